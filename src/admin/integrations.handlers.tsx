/**
 * /admin/settings/integrations (admin and above): webhook endpoints and the
 * notifications log, on the same services and schemas as /api/webhooks and
 * /api/notifications (src/notify).
 *
 *   GET      /settings/integrations                       endpoints, add form, failed count
 *   POST     /settings/integrations/webhooks              add → the endpoint's page, secret shown once
 *   GET/POST /settings/integrations/webhooks/:id          deliveries; edit URL, events, active
 *   POST     /settings/integrations/webhooks/:id/test     queue a signed ping to this endpoint only
 *   GET/POST /settings/integrations/webhooks/:id/delete   confirm, then delete
 *   GET      /settings/integrations/notifications         the outbox, filtered, newest first
 *   POST     /settings/integrations/notifications/:id/retry
 */
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { NOTIFICATION_CHANNELS, NOTIFICATION_STATUSES, tenantTables } from "../db/schema/tenant";
import { Conflict, noSuch } from "../domain/errors";
import { type ListQuery, toListQuery } from "../http/list-query";
import {
  notificationListSpec,
  WebhookCreateSchema,
  webhookDeliveryListSpec,
  webhookListSpec,
  WebhookUpdateSchema,
} from "../notify/notify.routes";
import * as S from "../notify/notify.service";
import { isUuid } from "../web/form";
import { type IntegrationsMessages, integrationsMessages } from "./i18n/integrations";
import {
  BASE,
  DeletePage,
  EndpointPage,
  type EndpointRow,
  type Errors,
  IntegrationsPage,
  type LogFilters,
  LogPage,
  type PageOf,
  type Values,
} from "./integrations.pages";
import { adminHtml } from "./layout";
import { type AdminContext, type AdminEnv, cookieOptions, requirePageRole } from "./session";

export const integrationsPages = new Hono<AdminEnv>();

const DELIVERIES_PER_PAGE = 20;
const MESSAGES_PER_PAGE = 25;

/**
 * The new endpoint's secret rides to the next page in this cookie (HttpOnly,
 * SameSite=Strict, 5 minutes, only under the endpoints' path) and is cleared
 * by the first page that shows it: a successful POST still answers 303, and a
 * reload cannot show the secret again or create a second endpoint.
 */
const SECRET_COOKIE = "bm_whsec";
const SECRET_PATH = `${BASE}/webhooks`;

const scope = (c: AdminContext): S.NotifyScope => ({
  t: tenantTables(c.get("admin").tenant.schemaName),
  db: c.get("database").http,
});
const words = (c: AdminContext) => integrationsMessages(c.get("admin").lang);
const appEnv = (c: AdminContext) => c.get("config").APP_ENV;
const str = (v: unknown) => (typeof v === "string" ? v : "");
const listOf = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" && v ? [v] : []);

function idOf(c: AdminContext, what: string): string {
  const id = c.req.param("id") ?? "";
  if (!isUuid(id)) throw noSuch(what);
  return id;
}

function pageNumber(raw: unknown): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

/** A page of rows plus the links to its neighbours, built from the list helper's total. */
function pageOf<T>(rows: (T & { total_count: number })[], list: ListQuery, href: (page: number) => string): PageOf<T> {
  const total = rows[0]?.total_count ?? 0;
  const pages = Math.max(1, Math.ceil(total / list.pageSize));
  return {
    rows: rows.map(({ total_count: _, ...row }) => row as T),
    page: list.page,
    pages,
    newer: list.page > 1 ? href(list.page - 1) : null,
    older: list.page < pages ? href(list.page + 1) : null,
  };
}

/** zod's or the service's refusal → the field's message in the page's words. */
function errorsOf(w: IntegrationsMessages, issues: { path: PropertyKey[] }[]): Errors {
  const out: Errors = {};
  for (const issue of issues) {
    const field = String(issue.path[0]);
    if (field === "events") out.events ??= w.errors.events;
    else out.url ??= w.errors.tooLong;
  }
  return out;
}

async function formValues(c: AdminContext): Promise<Values> {
  const form = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
  return { url: str(form.url).trim(), events: listOf(form.events), is_active: str(form.is_active) === "1" };
}

// ---- the overview ----------------------------------------------------------

async function overview(c: AdminContext, view: { values?: Values; errors?: Errors; notice?: string } = {}, status: 200 | 422 = 200) {
  const s = scope(c);
  const [endpoints, failed] = await Promise.all([
    S.listWebhookEndpoints(s, toListQuery(webhookListSpec(s.t), { page: 1, page_size: 100, ordering: "created_at" })),
    S.listOutbox(s, toListQuery(notificationListSpec(s.t), { status: "failed", page: 1, page_size: 1 })),
  ]);
  return adminHtml(
    c,
    <IntegrationsPage
      req={c.get("admin")}
      w={words(c)}
      endpoints={endpoints}
      failed={failed[0]?.total_count ?? 0}
      values={view.values ?? {}}
      errors={view.errors ?? {}}
      notice={view.notice}
    />,
    status,
  );
}

integrationsPages.get("/settings/integrations", requirePageRole("admin"), (c) => {
  const done = c.req.query("done");
  return overview(c, { notice: done === "deleted" ? words(c).deleted : undefined });
});

integrationsPages.post("/settings/integrations/webhooks", requirePageRole("admin"), async (c) => {
  const w = words(c);
  const values = await formValues(c);
  const parsed = WebhookCreateSchema.safeParse({ url: values.url, events: values.events, is_active: true });
  if (!parsed.success) return overview(c, { values, errors: errorsOf(w, parsed.error.issues) }, 422);
  try {
    const created = await S.createWebhookEndpoint(scope(c), parsed.data, appEnv(c));
    setCookie(c, SECRET_COOKIE, `${created.id}.${created.secret}`, {
      path: SECRET_PATH,
      httpOnly: true,
      secure: cookieOptions(c).secure,
      sameSite: "Strict",
      maxAge: 300,
    });
    return c.redirect(`${BASE}/webhooks/${created.id}?done=created`, 303);
  } catch (e) {
    if (e instanceof S.WebhookUrlRefused) return overview(c, { values, errors: { url: w.errors[e.code] } }, 422);
    throw e;
  }
});

// ---- one endpoint ------------------------------------------------------------

interface EndpointView {
  values?: Values;
  errors?: Errors;
  notice?: string;
  problem?: string;
  secret?: string | null;
}

async function endpointPage(c: AdminContext, endpoint: EndpointRow, view: EndpointView = {}, status: 200 | 409 | 422 = 200) {
  const s = scope(c);
  const page = pageNumber(c.req.query("page"));
  const list = toListQuery(webhookDeliveryListSpec(s.t), { page, page_size: DELIVERIES_PER_PAGE });
  const rows = await S.listWebhookDeliveries(s, endpoint.id, list);
  const href = (p: number) => `${BASE}/webhooks/${endpoint.id}${p > 1 ? `?page=${p}` : ""}`;
  return adminHtml(
    c,
    <EndpointPage
      req={c.get("admin")}
      w={words(c)}
      endpoint={endpoint}
      deliveries={pageOf(rows, list, href)}
      values={view.values ?? { url: endpoint.url, events: endpoint.events, is_active: endpoint.is_active }}
      errors={view.errors ?? {}}
      secret={view.secret}
      notice={view.notice}
      problem={view.problem}
    />,
    status,
  );
}

integrationsPages.get("/settings/integrations/webhooks/:id", requirePageRole("admin"), async (c) => {
  const endpoint = await S.findWebhookEndpoint(scope(c), idOf(c, "webhook endpoint"));
  const w = words(c);
  // The secret is shown on this one page view, then the cookie is gone (another endpoint's is dropped too).
  const flash = getCookie(c, SECRET_COOKIE);
  let secret: string | null = null;
  if (flash !== undefined) {
    if (flash.startsWith(`${endpoint.id}.`)) secret = flash.slice(endpoint.id.length + 1);
    deleteCookie(c, SECRET_COOKIE, { path: SECRET_PATH, secure: cookieOptions(c).secure, httpOnly: true, sameSite: "Strict" });
  }
  const done = c.req.query("done");
  const notice = done === "created" ? w.created : done === "saved" ? w.saved : done === "test" ? w.testQueued : undefined;
  return endpointPage(c, endpoint, { secret, notice });
});

integrationsPages.post("/settings/integrations/webhooks/:id", requirePageRole("admin"), async (c) => {
  const s = scope(c);
  const endpoint = await S.findWebhookEndpoint(s, idOf(c, "webhook endpoint"));
  const w = words(c);
  const values = await formValues(c);
  const parsed = WebhookUpdateSchema.safeParse(values);
  if (!parsed.success) return endpointPage(c, endpoint, { values, errors: errorsOf(w, parsed.error.issues) }, 422);
  try {
    await S.updateWebhookEndpoint(s, endpoint.id, parsed.data, appEnv(c));
  } catch (e) {
    if (e instanceof S.WebhookUrlRefused) return endpointPage(c, endpoint, { values, errors: { url: w.errors[e.code] } }, 422);
    throw e;
  }
  return c.redirect(`${BASE}/webhooks/${endpoint.id}?done=saved`, 303);
});

integrationsPages.post("/settings/integrations/webhooks/:id/test", requirePageRole("admin"), async (c) => {
  const s = scope(c);
  const id = idOf(c, "webhook endpoint");
  try {
    await S.sendTestDelivery(s, id);
  } catch (e) {
    if (e instanceof Conflict) return endpointPage(c, await S.findWebhookEndpoint(s, id), { problem: words(c).testPaused }, 409);
    throw e;
  }
  return c.redirect(`${BASE}/webhooks/${id}?done=test`, 303);
});

integrationsPages.get("/settings/integrations/webhooks/:id/delete", requirePageRole("admin"), async (c) => {
  const endpoint = await S.findWebhookEndpoint(scope(c), idOf(c, "webhook endpoint"));
  return adminHtml(c, <DeletePage req={c.get("admin")} w={words(c)} endpoint={endpoint} />);
});

integrationsPages.post("/settings/integrations/webhooks/:id/delete", requirePageRole("admin"), async (c) => {
  await S.deleteWebhookEndpoint(scope(c), idOf(c, "webhook endpoint"));
  return c.redirect(`${BASE}?done=deleted`, 303);
});

// ---- the notifications log ---------------------------------------------------

const LogQuery = z.object({
  status: z.enum(NOTIFICATION_STATUSES).optional().catch(undefined),
  channel: z.enum(NOTIFICATION_CHANNELS).optional().catch(undefined),
  page: z.unknown().optional().transform(pageNumber),
});

const logHref = (f: LogFilters) => {
  const q = new URLSearchParams();
  if (f.status) q.set("status", f.status);
  if (f.channel) q.set("channel", f.channel);
  if (f.page > 1) q.set("page", String(f.page));
  return q;
};

async function logPage(c: AdminContext, filters: LogFilters, view: { notice?: string; problem?: string } = {}, status: 200 | 409 = 200) {
  const s = scope(c);
  const list = toListQuery(notificationListSpec(s.t), { ...filters, page_size: MESSAGES_PER_PAGE });
  const [rows, endpoints] = await Promise.all([
    S.listOutbox(s, list),
    S.listWebhookEndpoints(s, toListQuery(webhookListSpec(s.t), { page: 1, page_size: 100 })),
  ]);
  const href = (page: number) => {
    const q = logHref({ ...filters, page }).toString();
    return `${BASE}/notifications${q ? `?${q}` : ""}`;
  };
  return adminHtml(
    c,
    <LogPage
      req={c.get("admin")}
      w={words(c)}
      filters={filters}
      messages={pageOf(rows, list, href)}
      endpoints={new Map(endpoints.map((e) => [e.id, e.url]))}
      notice={view.notice}
      problem={view.problem}
    />,
    status,
  );
}

integrationsPages.get("/settings/integrations/notifications", requirePageRole("admin"), (c) => {
  const filters = LogQuery.parse(c.req.query());
  return logPage(c, filters, { notice: c.req.query("done") === "retried" ? words(c).retried : undefined });
});

integrationsPages.post("/settings/integrations/notifications/:id/retry", requirePageRole("admin"), async (c) => {
  const id = idOf(c, "notification");
  // Back to the list as it was filtered (rebuilt from the known filters only, never a raw URL).
  const filters = LogQuery.parse(await c.req.parseBody());
  try {
    await S.retryNotification(scope(c), id);
  } catch (e) {
    if (e instanceof Conflict) {
      const w = words(c);
      const status = String(e.details.message_status ?? "");
      return logPage(c, filters, { problem: w.notRetryable(w.statuses[status] ?? status) }, 409);
    }
    throw e;
  }
  const q = logHref(filters);
  q.set("done", "retried");
  return c.redirect(`${BASE}/notifications?${q}`, 303);
});
