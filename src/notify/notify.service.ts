/**
 * Reads and writes of the tenant's notification surface: webhook endpoints
 * (admins register where events go) and the outbox (what was sent, when, and
 * each attempt). Throws domain errors; the handlers shape the answers.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../db/client";
import type { TenantTables } from "../db/schema/tenant";
import { Conflict, InvalidInput, noSuch } from "../domain/errors";
import { type ListQuery, pageRows } from "../http/list-query";
import { webhookUrlProblem } from "./webhook-target";
import { generateWebhookSecret } from "./webhooks.sign";

/** The tenant's tables and a connection: what every call here works on. */
export interface NotifyScope {
  t: TenantTables;
  db: Queryable;
}

/** A webhook URL must be one we may call from here (`appEnv` relaxes the rules for local development). */
function checkUrl(url: string | undefined, appEnv: string): void {
  if (url === undefined) return;
  const problem = webhookUrlProblem(url, appEnv);
  if (problem) throw new InvalidInput([{ field: "url", message: problem }]);
}

const endpointColumns = (t: TenantTables) => ({
  id: t.webhookEndpoints.id,
  url: t.webhookEndpoints.url,
  events: t.webhookEndpoints.events,
  is_active: t.webhookEndpoints.isActive,
  created_at: t.webhookEndpoints.createdAt,
  updated_at: t.webhookEndpoints.updatedAt,
});

const notificationColumns = (t: TenantTables) => ({
  id: t.notifications.id,
  channel: t.notifications.channel,
  kind: t.notifications.kind,
  booking_id: t.notifications.bookingId,
  recipient: t.notifications.recipient,
  locale: t.notifications.locale,
  status: t.notifications.status,
  attempts: t.notifications.attempts,
  max_attempts: t.notifications.maxAttempts,
  next_attempt_at: t.notifications.nextAttemptAt,
  last_error: t.notifications.lastError,
  provider_message_id: t.notifications.providerMessageId,
  sent_at: t.notifications.sentAt,
  created_at: t.notifications.createdAt,
  updated_at: t.notifications.updatedAt,
});

export function listWebhookEndpoints({ t, db }: NotifyScope, list: ListQuery) {
  return pageRows(db, t.webhookEndpoints, endpointColumns(t), list);
}

export interface WebhookInput {
  url?: string;
  events?: string[];
  is_active?: boolean;
}

/** A new endpoint with a fresh signing secret (shown once, in this answer). */
export async function createWebhookEndpoint({ t, db }: NotifyScope, input: WebhookInput & { url: string }, appEnv: string) {
  checkUrl(input.url, appEnv);
  const secret = generateWebhookSecret();
  const [row] = await db
    .insert(t.webhookEndpoints)
    .values({ url: input.url, secret, events: [...new Set(input.events ?? [])], isActive: input.is_active ?? true })
    .returning(endpointColumns(t));
  return { ...row!, secret };
}

export async function findWebhookEndpoint({ t, db }: NotifyScope, id: string) {
  const [row] = await db.select(endpointColumns(t)).from(t.webhookEndpoints).where(eq(t.webhookEndpoints.id, id));
  if (!row) throw noSuch("webhook endpoint");
  return row;
}

export async function updateWebhookEndpoint({ t, db }: NotifyScope, id: string, input: WebhookInput, appEnv: string) {
  checkUrl(input.url, appEnv);
  const set: Partial<TenantTables["webhookEndpoints"]["$inferInsert"]> = {};
  if (input.url !== undefined) set.url = input.url;
  if (input.events !== undefined) set.events = [...new Set(input.events)];
  if (input.is_active !== undefined) set.isActive = input.is_active;
  const [row] = await db
    .update(t.webhookEndpoints)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(t.webhookEndpoints.id, id))
    .returning(endpointColumns(t));
  if (!row) throw noSuch("webhook endpoint");
  return row;
}

export async function deleteWebhookEndpoint({ t, db }: NotifyScope, id: string): Promise<void> {
  const [row] = await db.delete(t.webhookEndpoints).where(eq(t.webhookEndpoints.id, id)).returning({ id: t.webhookEndpoints.id });
  if (!row) throw noSuch("webhook endpoint");
}

export function listOutbox({ t, db }: NotifyScope, list: ListQuery) {
  return pageRows(db, t.notifications, notificationColumns(t), list);
}

/** One notification with every delivery attempt, oldest first. */
export async function findNotification({ t, db }: NotifyScope, id: string) {
  const [row] = await db.select(notificationColumns(t)).from(t.notifications).where(eq(t.notifications.id, id));
  if (!row) throw noSuch("notification");
  const attempts = await db
    .select({
      attempt: t.notificationAttempts.attempt,
      ok: t.notificationAttempts.ok,
      http_status: t.notificationAttempts.httpStatus,
      error: t.notificationAttempts.error,
      provider_message_id: t.notificationAttempts.providerMessageId,
      duration_ms: t.notificationAttempts.durationMs,
      created_at: t.notificationAttempts.createdAt,
    })
    .from(t.notificationAttempts)
    .where(eq(t.notificationAttempts.notificationId, id))
    .orderBy(asc(t.notificationAttempts.id));
  return { ...row, attempts };
}

/**
 * A person sends a `failed` or `unknown` message again: back to `pending`, due
 * now, with room for one more attempt. For an `unknown` phone message this is
 * the decision the worker would not take alone (it may reach the phone twice).
 */
export async function retryNotification({ t, db }: NotifyScope, id: string) {
  const n = t.notifications;
  const [row] = await db
    .update(n)
    .set({
      status: "pending",
      nextAttemptAt: sql`now()`,
      maxAttempts: sql`greatest(${n.maxAttempts}, ${n.attempts} + 1)`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(n.id, id), inArray(n.status, ["failed", "unknown"])))
    .returning(notificationColumns(t));
  if (row) return row;
  const [exists] = await db.select({ status: n.status }).from(n).where(eq(n.id, id));
  if (!exists) throw noSuch("notification");
  throw new Conflict(`Only a failed or unknown message can be retried; this one is ${exists.status}.`, "not_retryable");
}
