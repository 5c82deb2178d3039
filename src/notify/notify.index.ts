/** Handlers for webhook endpoints and the outbox read API, mounted on the tenant host. */
import { iso } from "../http/json";
import { tenantScope as scope } from "../tenancy/scope";
import { asc, eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { TenantTables } from "../db/schema/tenant";
import { listPage, toListQuery, totalCount } from "../http/list-query";
import { ApiError } from "../http/problem";
import { createRouter } from "../http/router";
import type { AppEnv } from "../http/types";
import { webhookUrlProblem } from "./webhook-target";
import { generateWebhookSecret } from "./webhooks.sign";
import {
  createWebhook, deleteWebhook, getNotification, getWebhook, listNotifications, listWebhooks,
  notificationListSpec, updateWebhook, webhookListSpec,
} from "./notify.routes";


const notFound = (what: string) => new ApiError("not_found", `No ${what} with this id here.`);

export { webhookUrlProblem };

function checkUrl(c: Context<AppEnv>, url: string | undefined): void {
  if (url === undefined) return;
  const problem = webhookUrlProblem(url, c.get("config").APP_ENV);
  if (problem) throw new ApiError("validation_failed", "Some fields are invalid.", { errors: [{ field: "url", message: problem }] });
}

const endpointColumns = (t: TenantTables) => ({
  id: t.webhookEndpoints.id,
  url: t.webhookEndpoints.url,
  events: t.webhookEndpoints.events,
  is_active: t.webhookEndpoints.isActive,
  created_at: t.webhookEndpoints.createdAt,
  updated_at: t.webhookEndpoints.updatedAt,
});

const presentEndpoint = <R extends { created_at: Date; updated_at: Date }>(r: R) => ({ ...r, created_at: iso(r.created_at)!, updated_at: iso(r.updated_at)! });

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

const presentNotification = <R extends { next_attempt_at: Date; sent_at: Date | null; created_at: Date; updated_at: Date }>(r: R) => ({
  ...r,
  next_attempt_at: iso(r.next_attempt_at)!,
  sent_at: iso(r.sent_at),
  created_at: iso(r.created_at)!,
  updated_at: iso(r.updated_at)!,
});

export const notifyRouter = createRouter()
  .openapi(listWebhooks, async (c) => {
    const { t, db } = await scope(c);
    const list = toListQuery(webhookListSpec(t), c.req.valid("query"));
    const rows = await db
      .select({ ...endpointColumns(t), total_count: totalCount() })
      .from(t.webhookEndpoints)
      .where(list.where)
      .orderBy(...list.orderBy)
      .limit(list.limit)
      .offset(list.offset);
    return c.json(listPage(rows, list, c.req.url, presentEndpoint) as never, 200);
  })
  .openapi(createWebhook, async (c) => {
    const body = c.req.valid("json");
    checkUrl(c, body.url);
    const { t, db } = await scope(c);
    const secret = generateWebhookSecret();
    const [row] = await db
      .insert(t.webhookEndpoints)
      .values({ url: body.url, secret, events: [...new Set(body.events ?? [])], isActive: body.is_active ?? true })
      .returning(endpointColumns(t));
    return c.json({ ...presentEndpoint(row!), secret }, 201);
  })
  .openapi(getWebhook, async (c) => {
    const { t, db } = await scope(c);
    const [row] = await db.select(endpointColumns(t)).from(t.webhookEndpoints).where(eq(t.webhookEndpoints.id, c.req.valid("param").id));
    if (!row) throw notFound("webhook endpoint");
    return c.json(presentEndpoint(row), 200);
  })
  .openapi(updateWebhook, async (c) => {
    const body = c.req.valid("json");
    checkUrl(c, body.url);
    const { t, db } = await scope(c);
    const set: Partial<TenantTables["webhookEndpoints"]["$inferInsert"]> = {};
    if (body.url !== undefined) set.url = body.url;
    if (body.events !== undefined) set.events = [...new Set(body.events)];
    if (body.is_active !== undefined) set.isActive = body.is_active;
    const [row] = await db
      .update(t.webhookEndpoints)
      .set({ ...set, updatedAt: sql`now()` })
      .where(eq(t.webhookEndpoints.id, c.req.valid("param").id))
      .returning(endpointColumns(t));
    if (!row) throw notFound("webhook endpoint");
    return c.json(presentEndpoint(row), 200);
  })
  .openapi(deleteWebhook, async (c) => {
    const { t, db } = await scope(c);
    const [row] = await db.delete(t.webhookEndpoints).where(eq(t.webhookEndpoints.id, c.req.valid("param").id)).returning({ id: t.webhookEndpoints.id });
    if (!row) throw notFound("webhook endpoint");
    return c.body(null, 204);
  })
  .openapi(listNotifications, async (c) => {
    const { t, db } = await scope(c);
    const list = toListQuery(notificationListSpec(t), c.req.valid("query"));
    const rows = await db
      .select({ ...notificationColumns(t), total_count: totalCount() })
      .from(t.notifications)
      .where(list.where)
      .orderBy(...list.orderBy)
      .limit(list.limit)
      .offset(list.offset);
    return c.json(listPage(rows, list, c.req.url, presentNotification) as never, 200);
  })
  .openapi(getNotification, async (c) => {
    const { t, db } = await scope(c);
    const id = c.req.valid("param").id;
    const [row] = await db.select(notificationColumns(t)).from(t.notifications).where(eq(t.notifications.id, id));
    if (!row) throw notFound("notification");
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
    return c.json({ ...presentNotification(row), attempt_log: attempts.map((a) => ({ ...a, created_at: iso(a.created_at)! })) }, 200);
  });
