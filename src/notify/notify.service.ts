/**
 * Reads and writes of the tenant's notification surface: webhook endpoints
 * (admins register where events go) and the outbox (what was sent, when, and
 * each attempt). Throws domain errors; the handlers shape the answers.
 */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../db/client";
import type { TenantTables } from "../db/schema/tenant";
import { Conflict, InvalidInput, noSuch } from "../domain/errors";
import { type ListQuery, pageRows, totalCount } from "../http/list-query";
import { type WebhookUrlCode, webhookUrlIssue } from "./webhook-target";
import { generateWebhookSecret } from "./webhooks.sign";

/** The tenant's tables and a connection: what every call here works on. */
export interface NotifyScope {
  t: TenantTables;
  db: Queryable;
}

/** A refused webhook URL: an InvalidInput on `url` for the API, with a code the screens put in their own words. */
export class WebhookUrlRefused extends InvalidInput {
  constructor(
    readonly code: WebhookUrlCode,
    message: string,
  ) {
    super([{ field: "url", message }]);
  }
}

/** A webhook URL must be one we may call from here (`appEnv` relaxes the rules for local development). */
function checkUrl(url: string | undefined, appEnv: string): void {
  if (url === undefined) return;
  const issue = webhookUrlIssue(url, appEnv);
  if (issue) throw new WebhookUrlRefused(issue.code, issue.message);
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
  const attemptLog = await db
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
  // Not `attempts`: that is the row's own count.
  return { ...row, attemptLog };
}

/** The event type a test delivery carries (not a booking event: endpoints cannot subscribe to it, they get it when asked). */
export const TEST_EVENT_TYPE = "ping";

/**
 * Queues a signed `ping` for this one endpoint through the outbox, so it
 * takes the very path of real deliveries (claim, signature, retries, attempts
 * log). Every call is a new delivery (its own dedupe key).
 */
export async function sendTestDelivery({ t, db }: NotifyScope, id: string) {
  const endpoint = await findWebhookEndpoint({ t, db }, id);
  if (!endpoint.is_active) {
    throw new Conflict("This endpoint is paused: activate it before sending a test delivery.", "endpoint_inactive");
  }
  const deliveryId = crypto.randomUUID();
  const [row] = await db
    .insert(t.notifications)
    .values({
      channel: "webhook",
      kind: `webhook:${TEST_EVENT_TYPE}`,
      dedupeKey: `test:${endpoint.id}:${deliveryId}`,
      recipient: endpoint.id,
      locale: "en",
      payload: {
        id: `evt_test_${deliveryId}`,
        type: TEST_EVENT_TYPE,
        created_at: new Date().toISOString(),
        data: { endpoint_id: endpoint.id, test: true },
      },
    })
    .returning(notificationColumns(t));
  return row!;
}

/** One endpoint's deliveries (webhook outbox rows), each with the HTTP status of its latest attempt. */
export async function listWebhookDeliveries({ t, db }: NotifyScope, id: string, list: ListQuery) {
  await findWebhookEndpoint({ t, db }, id);
  const n = t.notifications;
  const a = t.notificationAttempts;
  // A lateral join reads only this page's latest attempts (index on notification_id), never the whole log.
  const last = db
    .select({ http_status: a.httpStatus })
    .from(a)
    .where(eq(a.notificationId, n.id))
    .orderBy(desc(a.attempt), desc(a.id))
    .limit(1)
    .as("last_attempt");
  return db
    .select({
      id: n.id,
      event: sql<string>`coalesce(${n.payload}->>'type', ${n.kind})`,
      status: n.status,
      attempts: n.attempts,
      http_status: last.http_status,
      last_error: n.lastError,
      next_attempt_at: n.nextAttemptAt,
      sent_at: n.sentAt,
      created_at: n.createdAt,
      updated_at: n.updatedAt,
      total_count: totalCount(),
    })
    .from(n)
    .leftJoinLateral(last, sql`true`)
    .where(and(eq(n.channel, "webhook"), eq(n.recipient, id), list.where))
    .orderBy(...list.orderBy)
    .limit(list.limit)
    .offset(list.offset);
}

/** A manually retried message gets this many more attempts (with the usual backoff between them). */
export const MANUAL_RETRY_ATTEMPTS = 3;

/**
 * Puts a failed message back in the queue, due now, with a few more attempts;
 * its attempts so far stay in the log. An `unknown` phone message (the worker
 * stopped mid-send) is retried only this way: a person accepts that it may
 * reach the phone twice. Retrying one already queued again
 * (pending or being sent) changes nothing; a sent or skipped one is a conflict.
 */
export async function retryNotification({ t, db }: NotifyScope, id: string) {
  const n = t.notifications;
  const [reset] = await db
    .update(n)
    .set({
      status: "pending",
      nextAttemptAt: sql`now()`,
      maxAttempts: sql`${n.attempts} + ${MANUAL_RETRY_ATTEMPTS}::int`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(n.id, id), inArray(n.status, ["failed", "unknown"])))
    .returning(notificationColumns(t));
  if (reset) return reset;
  const [row] = await db.select(notificationColumns(t)).from(n).where(eq(n.id, id));
  if (!row) throw noSuch("notification");
  if (row.status === "pending" || row.status === "sending") return row;
  throw new Conflict(`This message was ${row.status}: only a failed or unknown message can be retried.`, "not_retryable", {
    message_status: row.status,
  });
}
