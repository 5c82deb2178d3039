/** OpenAPI routes of the tenant's notification surface: webhook endpoints and the outbox (admin and above). */
import { createRoute, z } from "@hono/zod-openapi";
import { guard } from "../auth/guards";
import { NOTIFICATION_CHANNELS, NOTIFICATION_STATUSES, TEMPLATE_SCHEMA, tenantTables, type TenantTables } from "../db/schema/tenant";
import { listQuerySchema, pageSchema, type ListSpec } from "../http/list-query";
import { bearer, jsonBody, jsonContent, staffErrors, IdParams } from "../http/schemas";
import { WEBHOOK_EVENT_TYPES } from "./events";

const admins = guard("admin");
const docTables = tenantTables(TEMPLATE_SCHEMA);

const errors = (body = true, conflict = false) => staffErrors({ body, conflict });

// ---- webhook endpoints ---------------------------------------------------

export const WebhookEndpointSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    events: z.array(z.string()).openapi({ description: "Event types delivered; empty = all." }),
    is_active: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("WebhookEndpoint");

export const WebhookEndpointCreatedSchema = WebhookEndpointSchema.extend({
  secret: z.string().openapi({ description: "HMAC-SHA256 signing secret. Shown only in this response: store it now." }),
}).openapi("WebhookEndpointCreated");

const eventsField = z.array(z.enum(WEBHOOK_EVENT_TYPES)).max(WEBHOOK_EVENT_TYPES.length);
const urlField = z.string().trim().max(2000).openapi({ example: "https://example.com/hooks/bookme" });

export const WebhookCreateSchema = z
  .object({ url: urlField, events: eventsField.optional(), is_active: z.boolean().optional() })
  .strict()
  .openapi("WebhookEndpointCreate");
export const WebhookUpdateSchema = z
  .object({ url: urlField, events: eventsField, is_active: z.boolean() })
  .partial()
  .strict()
  .openapi("WebhookEndpointUpdate");

const tags = ["Webhooks"];

export const webhookListSpec = (t: TenantTables): ListSpec => ({
  search: [t.webhookEndpoints.url],
  filters: { is_active: { column: t.webhookEndpoints.isActive, schema: z.stringbool({ truthy: ["true", "1"], falsy: ["false", "0"] }) } },
  ordering: { created_at: t.webhookEndpoints.createdAt, url: t.webhookEndpoints.url },
  defaultOrdering: "created_at",
  tiebreak: t.webhookEndpoints.id,
});

export const listWebhooks = createRoute({
  method: "get",
  path: "/api/webhooks",
  tags,
  security: bearer,
  middleware: admins,
  summary: "Webhook endpoints (admin and above)",
  request: { query: listQuerySchema(webhookListSpec(docTables)) },
  responses: { 200: jsonContent(pageSchema(WebhookEndpointSchema), "A page of endpoints"), ...errors(false) },
});

export const createWebhook = createRoute({
  method: "post",
  path: "/api/webhooks",
  tags,
  security: bearer,
  middleware: admins,
  summary: "Register an HTTPS endpoint for booking events; the signing secret is returned once",
  request: { body: jsonBody(WebhookCreateSchema) },
  responses: { 201: jsonContent(WebhookEndpointCreatedSchema, "Created, with its secret"), ...errors() },
});

export const getWebhook = createRoute({
  method: "get",
  path: "/api/webhooks/{id}",
  tags,
  security: bearer,
  middleware: admins,
  summary: "One webhook endpoint (never its secret)",
  request: { params: IdParams },
  responses: { 200: jsonContent(WebhookEndpointSchema, "The endpoint"), ...errors(false) },
});

export const updateWebhook = createRoute({
  method: "patch",
  path: "/api/webhooks/{id}",
  tags,
  security: bearer,
  middleware: admins,
  summary: "Change an endpoint's URL, events or active flag",
  request: { params: IdParams, body: jsonBody(WebhookUpdateSchema) },
  responses: { 200: jsonContent(WebhookEndpointSchema, "Updated"), ...errors() },
});

export const deleteWebhook = createRoute({
  method: "delete",
  path: "/api/webhooks/{id}",
  tags,
  security: bearer,
  middleware: admins,
  summary: "Remove an endpoint; its pending deliveries are skipped",
  request: { params: IdParams },
  responses: { 204: { description: "Deleted" }, ...errors(false) },
});

export const WebhookDeliverySchema = z
  .object({
    id: z.uuid().openapi({ description: "The delivery id, sent as `X-BookMe-Delivery` (stable across retries)." }),
    event: z
      .string()
      .openapi({ description: "Event type sent as `X-BookMe-Event` (`ping` for a test delivery).", example: "booking.created" }),
    status: z.enum(NOTIFICATION_STATUSES),
    attempts: z.number().int(),
    http_status: z.number().int().nullable().openapi({ description: "HTTP status the endpoint answered on the latest attempt." }),
    last_error: z.string().nullable(),
    next_attempt_at: z.string(),
    sent_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("WebhookDelivery");

export const webhookDeliveryListSpec = (t: TenantTables): ListSpec => ({
  filters: { status: { column: t.notifications.status, schema: z.enum(NOTIFICATION_STATUSES) } },
  ordering: { created_at: t.notifications.createdAt },
  defaultOrdering: "-created_at",
  tiebreak: t.notifications.id,
});

export const listWebhookDeliveries = createRoute({
  method: "get",
  path: "/api/webhooks/{id}/deliveries",
  tags,
  security: bearer,
  middleware: admins,
  summary: "An endpoint's deliveries, newest first: status, attempts, the latest HTTP status and error",
  request: { params: IdParams, query: listQuerySchema(webhookDeliveryListSpec(docTables)) },
  responses: { 200: jsonContent(pageSchema(WebhookDeliverySchema), "A page of deliveries"), ...errors(false) },
});

// ---- outbox --------------------------------------------------------------

export const NotificationSchema = z
  .object({
    id: z.uuid(),
    channel: z.enum(NOTIFICATION_CHANNELS),
    kind: z.string(),
    booking_id: z.uuid().nullable(),
    recipient: z.string(),
    locale: z.string(),
    status: z.enum(NOTIFICATION_STATUSES).openapi({
      description: "`unknown`: a WhatsApp/SMS whose send may or may not have happened (worker stopped mid-send); not resent until retried",
    }),
    attempts: z.number().int(),
    max_attempts: z.number().int(),
    next_attempt_at: z.string(),
    last_error: z.string().nullable(),
    provider_message_id: z.string().nullable(),
    sent_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Notification");

export const NotificationAttemptSchema = z
  .object({
    attempt: z.number().int(),
    ok: z.boolean(),
    http_status: z.number().int().nullable(),
    error: z.string().nullable(),
    provider_message_id: z.string().nullable(),
    duration_ms: z.number().int().nullable(),
    created_at: z.string(),
  })
  .openapi("NotificationAttempt");

export const notificationListSpec = (t: TenantTables): ListSpec => ({
  search: [t.notifications.recipient],
  filters: {
    status: { column: t.notifications.status, schema: z.enum(NOTIFICATION_STATUSES) },
    channel: { column: t.notifications.channel, schema: z.enum(NOTIFICATION_CHANNELS) },
    kind: { column: t.notifications.kind, schema: z.string().max(80) },
    booking_id: { column: t.notifications.bookingId, schema: z.uuid() },
  },
  ordering: { created_at: t.notifications.createdAt, next_attempt_at: t.notifications.nextAttemptAt, status: t.notifications.status },
  defaultOrdering: "-created_at",
  tiebreak: t.notifications.id,
});

export const listNotifications = createRoute({
  method: "get",
  path: "/api/notifications",
  tags: ["Notifications"],
  security: bearer,
  middleware: admins,
  summary: "The outbox: every email, WhatsApp, SMS and webhook message with its status (filter status=failed to see what did not go out)",
  request: { query: listQuerySchema(notificationListSpec(docTables)) },
  responses: { 200: jsonContent(pageSchema(NotificationSchema), "A page of notifications"), ...errors(false) },
});

export const getNotification = createRoute({
  method: "get",
  path: "/api/notifications/{id}",
  tags: ["Notifications"],
  security: bearer,
  middleware: admins,
  summary: "One notification with its delivery attempts",
  request: { params: IdParams },
  responses: {
    200: jsonContent(NotificationSchema.extend({ attempt_log: z.array(NotificationAttemptSchema) }), "The notification"),
    ...errors(false),
  },
});

export const testWebhook = createRoute({
  method: "post",
  path: "/api/webhooks/{id}/test",
  tags,
  security: bearer,
  middleware: admins,
  summary: "Queue a signed test delivery (event `ping`) to this endpoint only",
  description:
    "The delivery goes through the outbox like any event (same signature, retries and attempts log) within a minute; " +
    'its body is `{id, type: "ping", created_at, data: {endpoint_id, test: true}}`. A paused endpoint answers 409.',
  request: { params: IdParams },
  responses: { 202: jsonContent(NotificationSchema, "Queued"), ...errors(false, true) },
});

export const retryNotification = createRoute({
  method: "post",
  path: "/api/notifications/{id}/retry",
  tags: ["Notifications"],
  security: bearer,
  middleware: admins,
  summary: "Send a failed message again",
  description:
    "Puts a `failed` or `unknown` message back to `pending`, due now, with a few more attempts; its earlier attempts stay in `attempt_log`. " +
    "A message already `pending` or `sending` is answered as it is (retrying twice is harmless); a `sent` or `skipped` one answers 409 " +
    "with `reason: not_retryable` and its `message_status`.",
  request: { params: IdParams },
  responses: { 200: jsonContent(NotificationSchema, "Queued again"), ...errors(false, true) },
});
