/** The integrations screens (/admin/settings/integrations): webhook endpoints and the notifications log. Views only. */
import type { Child } from "hono/jsx";
import { WEBHOOK_EVENT_TYPES } from "../notify/events";
import { formatCount, formatStamp } from "../web/format";
import type { IntegrationsMessages } from "./i18n/integrations";
import { AdminLayout, CsrfField } from "./layout";
import { maskRecipient } from "./mask";
import { SETTINGS_TABS_CSS, SettingsTabs } from "./settings-tabs";
import type { AdminRequest } from "./session";

export const BASE = "/admin/settings/integrations";

const CSS = `
.stack{display:grid;gap:1rem;max-width:60rem}
.stack h2{margin-top:0}
.items{list-style:none;margin:0;padding:0}
.items>li{padding:.75rem 0;border-block-end:1px solid var(--line)}
.items>li:last-child{border-block-end:0}
.top{display:flex;flex-wrap:wrap;gap:.4rem .75rem;align-items:center;justify-content:space-between}
.facts{display:flex;flex-wrap:wrap;gap:.2rem 1.25rem;margin:.4rem 0 0;font-size:.92rem}
.facts div{display:flex;gap:.35rem;min-inline-size:0}
.facts dt{color:var(--soft)}
.facts dd{margin:0;overflow-wrap:anywhere}
.badge{display:inline-block;padding:.1rem .6rem;border-radius:999px;font-size:.85rem;font-weight:600;background:#eef0f2;color:#3d444d}
.badge.failed{background:#fde8e8;color:#9b1c1c}
.badge.sent,.badge.on{background:#e3f6ec;color:#0b5b32}
.badge.pending,.badge.sending{background:#fff4d6;color:#6b4400}
.url{overflow-wrap:anywhere;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.92rem}
.error{overflow-wrap:anywhere;color:#9b1c1c;margin:.35rem 0 0;font-size:.9rem}
.checks{display:grid;gap:.35rem;border:0;padding:0;margin:0 0 1rem;min-inline-size:0}
.checks legend{font-weight:600;margin-block-end:.35rem;padding:0}
.check{display:flex;gap:.6rem;align-items:flex-start}
.check input{inline-size:1.25rem;block-size:1.25rem;margin:.15rem 0 0;flex:none}
.secret input{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;inline-size:100%;font-size:.9rem}
.actions{display:flex;gap:.6rem;flex-wrap:wrap;align-items:center}
.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end}
.filters .field{margin:0;flex:1 1 9rem}
.filters select{inline-size:100%}
.pager{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;justify-content:space-between;margin-top:.75rem}
`.replace(/\n/g, "");

export type Values = { url?: string; events?: string[]; is_active?: boolean };
export type Errors = Partial<Record<"url" | "events", string>>;

export interface EndpointRow {
  id: string;
  url: string;
  events: string[];
  is_active: boolean;
}

export interface DeliveryRow {
  id: string;
  event: string;
  status: string;
  attempts: number;
  http_status: number | null;
  last_error: string | null;
  created_at: Date;
}

export interface MessageRow {
  id: string;
  channel: string;
  kind: string;
  recipient: string;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
}

export interface PageOf<T> {
  rows: T[];
  page: number;
  pages: number;
  /** Links to the neighbouring pages (null at either end). */
  newer: string | null;
  older: string | null;
}

function Alert({ kind, text }: { kind: "ok" | "bad"; text?: string | null }) {
  if (!text) return null;
  return (
    <p class={`alert ${kind}`} role={kind === "bad" ? "alert" : "status"}>
      {text}
    </p>
  );
}

function Frame(props: { req: AdminRequest; w: IntegrationsMessages; title?: string; children: Child }) {
  return (
    <AdminLayout req={props.req} title={props.title ?? props.w.title} nav="settings" css={SETTINGS_TABS_CSS + CSS}>
      <SettingsTabs req={props.req} current="integrations" />
      <div class="stack">{props.children}</div>
    </AdminLayout>
  );
}

const eventName = (w: IntegrationsMessages, type: string) => w.eventNames[type] ?? type;
const statusName = (w: IntegrationsMessages, status: string) => w.statuses[status] ?? status;

function Badge({ w, status }: { w: IntegrationsMessages; status: string }) {
  return <span class={`badge ${status}`}>{statusName(w, status)}</span>;
}

function Pager({ w, page }: { w: IntegrationsMessages; page: PageOf<unknown> }) {
  if (page.pages <= 1) return null;
  return (
    <nav class="pager" aria-label={w.pageOf(page.page, page.pages)}>
      {page.newer ? (
        <a class="btn ghost" href={page.newer} rel="prev">
          {w.previous}
        </a>
      ) : (
        <span />
      )}
      <span class="note">{w.pageOf(page.page, page.pages)}</span>
      {page.older ? (
        <a class="btn ghost" href={page.older} rel="next">
          {w.next}
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}

/** URL, event checkboxes and (when editing) the active switch: the add and edit forms share them. */
function EndpointFields(props: { w: IntegrationsMessages; values: Values; errors: Errors; prefix: string; withActive?: boolean }) {
  const { w, values, errors, prefix } = props;
  const chosen = new Set(values.events ?? []);
  const urlId = `${prefix}-url`;
  return (
    <>
      <div class="field">
        <label for={urlId}>{props.w.url}</label>
        <input
          id={urlId}
          name="url"
          type="url"
          dir="ltr"
          inputmode="url"
          autocomplete="off"
          required
          maxlength={2000}
          placeholder="https://"
          value={values.url ?? ""}
          aria-invalid={errors.url ? "true" : undefined}
          aria-describedby={`${urlId}-hint${errors.url ? ` ${urlId}-err` : ""}`}
        />
        <span class="hint" id={`${urlId}-hint`}>
          {w.urlHint}
        </span>
        {errors.url ? (
          <span class="err" id={`${urlId}-err`}>
            {errors.url}
          </span>
        ) : null}
      </div>
      <fieldset class="checks" aria-describedby={`${prefix}-events-hint${errors.events ? ` ${prefix}-events-err` : ""}`}>
        <legend>{w.events}</legend>
        <span class="hint" id={`${prefix}-events-hint`}>
          {w.eventsHint}
        </span>
        {WEBHOOK_EVENT_TYPES.map((type) => (
          <div class="check">
            <input id={`${prefix}-ev-${type}`} type="checkbox" name="events" value={type} checked={chosen.has(type)} />
            <label for={`${prefix}-ev-${type}`}>
              {eventName(w, type)}{" "}
              <bdi class="note" dir="ltr">
                {type}
              </bdi>
            </label>
          </div>
        ))}
        {errors.events ? (
          <span class="err" id={`${prefix}-events-err`}>
            {errors.events}
          </span>
        ) : null}
      </fieldset>
      {props.withActive ? (
        <div class="check field">
          <input id={`${prefix}-active`} type="checkbox" name="is_active" value="1" checked={values.is_active} />
          <label for={`${prefix}-active`}>{w.activeLabel}</label>
        </div>
      ) : null}
    </>
  );
}

export function IntegrationsPage(props: {
  req: AdminRequest;
  w: IntegrationsMessages;
  endpoints: EndpointRow[];
  failed: number;
  values: Values;
  errors: Errors;
  notice?: string;
}) {
  const { req, w, errors } = props;
  return (
    <Frame req={req} w={w}>
      <Alert kind="ok" text={props.notice} />
      <Alert kind="bad" text={Object.keys(errors).length ? w.fixErrors : null} />
      <section class="card" aria-labelledby="hooks-title">
        <h2 id="hooks-title">{w.webhooks}</h2>
        <p class="hint">{w.webhooksHint}</p>
        {props.endpoints.length ? (
          <ul class="items" id="endpoints">
            {props.endpoints.map((e) => (
              <li>
                <div class="top">
                  <bdi class="url" dir="ltr">
                    {e.url}
                  </bdi>
                  <span class={`badge ${e.is_active ? "on" : ""}`}>{e.is_active ? w.active : w.paused}</span>
                </div>
                <div class="top">
                  <span class="note">{e.events.length ? e.events.map((type) => eventName(w, type)).join(", ") : w.allEvents}</span>
                  <a class="btn ghost" href={`${BASE}/webhooks/${e.id}`}>
                    {w.manage}
                    <span class="sr"> {e.url}</span>
                  </a>
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <p class="note">{w.noEndpoints}</p>
        )}
      </section>
      <section class="card" aria-labelledby="add-title">
        <h2 id="add-title">{w.addTitle}</h2>
        <form method="post" action={`${BASE}/webhooks`} novalidate>
          <CsrfField token={req.session!.csrf} />
          <EndpointFields w={w} values={props.values} errors={errors} prefix="new" />
          <button class="btn" type="submit">
            {w.add}
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="log-title">
        <h2 id="log-title">{w.log}</h2>
        <p class="hint">{w.logHint}</p>
        <p>{w.failedCount(props.failed)}</p>
        <a class="btn ghost" href={`${BASE}/notifications${props.failed ? "?status=failed" : ""}`}>
          {w.logLink}
        </a>
      </section>
    </Frame>
  );
}

export function EndpointPage(props: {
  req: AdminRequest;
  w: IntegrationsMessages;
  endpoint: EndpointRow;
  deliveries: PageOf<DeliveryRow>;
  values: Values;
  errors: Errors;
  /** Only on the page that follows the creation: the one time the secret is shown. */
  secret?: string | null;
  notice?: string;
  problem?: string;
}) {
  const { req, w, endpoint, errors } = props;
  const zone = req.tenant.timeZone;
  const action = `${BASE}/webhooks/${endpoint.id}`;
  return (
    <Frame req={req} w={w} title={w.endpointTitle}>
      <p>
        <a href={BASE}>{w.back}</a>
      </p>
      <Alert kind="ok" text={props.notice} />
      <Alert kind="bad" text={props.problem ?? (Object.keys(errors).length ? w.fixErrors : null)} />
      {props.secret ? (
        <section class="card secret alert info" aria-labelledby="secret-title">
          <h2 id="secret-title">{w.secretTitle}</h2>
          <div class="field">
            <label class="sr" for="secret">
              {w.secretTitle}
            </label>
            <input id="secret" readonly value={props.secret} dir="ltr" autocomplete="off" aria-describedby="secret-once" />
          </div>
          <p id="secret-once">
            <strong>{w.secretOnce}</strong>
          </p>
        </section>
      ) : (
        <p class="note" id="secret-hidden">
          {w.secretHidden}
        </p>
      )}
      <section class="card" aria-labelledby="settings-title">
        <h2 id="settings-title">{w.settings}</h2>
        <form method="post" action={action} novalidate>
          <CsrfField token={req.session!.csrf} />
          <EndpointFields w={w} values={props.values} errors={errors} prefix="edit" withActive />
          <button class="btn" type="submit">
            {w.save}
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="test-title">
        <h2 id="test-title">{w.testTitle}</h2>
        {endpoint.is_active ? (
          <form method="post" action={`${action}/test`}>
            <CsrfField token={req.session!.csrf} />
            <p class="hint" id="test-hint">
              {w.testHint}
            </p>
            <button class="btn ghost" type="submit" aria-describedby="test-hint">
              {w.test}
            </button>
          </form>
        ) : (
          <p class="note">{w.testPaused}</p>
        )}
      </section>
      <section class="card" aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">{w.deliveries}</h2>
        {props.deliveries.rows.length ? (
          <ul class="items" id="deliveries">
            {props.deliveries.rows.map((d) => (
              <li>
                <div class="top">
                  <b>{eventName(w, d.event)}</b>
                  <Badge w={w} status={d.status} />
                </div>
                <dl class="facts">
                  <div>
                    <dt>{w.time}</dt>
                    <dd>
                      <bdi>{formatStamp(req.lang, zone, d.created_at.getTime())}</bdi>
                    </dd>
                  </div>
                  <div>
                    <dt>{w.httpCode}</dt>
                    <dd>{d.http_status ?? "—"}</dd>
                  </div>
                  <div>
                    <dt>{w.attempts}</dt>
                    <dd>{formatCount(req.lang, d.attempts)}</dd>
                  </div>
                </dl>
                {d.last_error && d.status !== "sent" ? (
                  <p class="error">
                    <b>{w.lastError}</b> <bdi dir="ltr">{d.last_error}</bdi>
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p class="note">{w.noDeliveries}</p>
        )}
        <Pager w={w} page={props.deliveries} />
      </section>
      <section class="card" aria-labelledby="delete-title">
        <h2 id="delete-title">{w.deleteTitle}</h2>
        <a class="btn danger" href={`${action}/delete`}>
          {w.delete}
        </a>
      </section>
    </Frame>
  );
}

export function DeletePage(props: { req: AdminRequest; w: IntegrationsMessages; endpoint: EndpointRow }) {
  const { req, w, endpoint } = props;
  const action = `${BASE}/webhooks/${endpoint.id}`;
  return (
    <Frame req={req} w={w} title={w.deleteTitle}>
      <section class="card" aria-labelledby="confirm-title">
        <h2 id="confirm-title">{w.deleteQuestion}</h2>
        <p>
          <bdi class="url" dir="ltr">
            {endpoint.url}
          </bdi>
        </p>
        <p>{w.deleteWarning}</p>
        <form method="post" action={`${action}/delete`} class="actions">
          <CsrfField token={req.session!.csrf} />
          <button class="btn danger" type="submit">
            {w.deleteYes}
          </button>
          <a class="btn ghost" href={action}>
            {w.cancel}
          </a>
        </form>
      </section>
    </Frame>
  );
}

export interface LogFilters {
  status?: string;
  channel?: string;
  page: number;
}

const STATUS_CHOICES = ["failed", "pending", "sent"] as const;
const CHANNEL_CHOICES = ["email", "whatsapp", "sms", "webhook"] as const;

/** A kind as people say it: "Rappel", "Alerte", or the event of a webhook. */
function kindName(w: IntegrationsMessages, kind: string): string {
  if (kind.startsWith("webhook:")) return eventName(w, kind.slice("webhook:".length));
  if (kind.startsWith("alert_")) return w.kinds.alert!;
  return w.kinds[kind] ?? kind;
}

export function LogPage(props: {
  req: AdminRequest;
  w: IntegrationsMessages;
  filters: LogFilters;
  messages: PageOf<MessageRow>;
  /** Webhook endpoint id → URL (a webhook message's recipient is its endpoint). */
  endpoints: Map<string, string>;
  notice?: string;
  problem?: string;
}) {
  const { req, w, filters } = props;
  const zone = req.tenant.timeZone;
  const recipientOf = (m: MessageRow) => {
    if (m.channel !== "webhook") return maskRecipient(m.channel, m.recipient);
    const url = props.endpoints.get(m.recipient);
    if (!url) return w.deletedEndpoint;
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  };
  return (
    <Frame req={req} w={w} title={w.log}>
      <p>
        <a href={BASE}>{w.back}</a>
      </p>
      <Alert kind="ok" text={props.notice} />
      <Alert kind="bad" text={props.problem} />
      <section class="card" aria-labelledby="log-title">
        <h2 id="log-title" class="sr">
          {w.log}
        </h2>
        <p class="hint">{w.logHint}</p>
        <form method="get" action={`${BASE}/notifications`} class="filters">
          <div class="field">
            <label for="f-status">{w.status}</label>
            <select id="f-status" name="status">
              <option value="">{w.any}</option>
              {STATUS_CHOICES.map((s) => (
                <option value={s} selected={filters.status === s}>
                  {statusName(w, s)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-channel">{w.channel}</label>
            <select id="f-channel" name="channel">
              <option value="">{w.any}</option>
              {CHANNEL_CHOICES.map((ch) => (
                <option value={ch} selected={filters.channel === ch}>
                  {w.channels[ch]}
                </option>
              ))}
            </select>
          </div>
          <button class="btn ghost" type="submit">
            {w.filter}
          </button>
        </form>
      </section>
      <section class="card" aria-label={w.log}>
        {props.messages.rows.length ? (
          <ul class="items" id="messages">
            {props.messages.rows.map((m) => (
              <li>
                <div class="top">
                  <b>
                    {w.channels[m.channel] ?? m.channel} · {kindName(w, m.kind)}
                  </b>
                  <Badge w={w} status={m.status} />
                </div>
                <dl class="facts">
                  <div>
                    <dt>{w.time}</dt>
                    <dd>
                      <bdi>{formatStamp(req.lang, zone, m.created_at.getTime())}</bdi>
                    </dd>
                  </div>
                  <div>
                    <dt>{w.recipient}</dt>
                    <dd>
                      <bdi dir="ltr">{recipientOf(m)}</bdi>
                    </dd>
                  </div>
                  <div>
                    <dt>{w.attempts}</dt>
                    <dd>{formatCount(req.lang, m.attempts)}</dd>
                  </div>
                </dl>
                {m.status === "failed" ? (
                  <div class="top">
                    <p class="error">
                      <b>{w.lastError}</b> <bdi dir="ltr">{m.last_error ?? "—"}</bdi>
                    </p>
                    <form method="post" action={`${BASE}/notifications/${m.id}/retry`}>
                      <CsrfField token={req.session!.csrf} />
                      {filters.status ? <input type="hidden" name="status" value={filters.status} /> : null}
                      {filters.channel ? <input type="hidden" name="channel" value={filters.channel} /> : null}
                      {filters.page > 1 ? <input type="hidden" name="page" value={String(filters.page)} /> : null}
                      <button class="btn ghost" type="submit">
                        {w.retry}
                      </button>
                    </form>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p class="note">{w.noMessages}</p>
        )}
        <Pager w={w} page={props.messages} />
      </section>
    </Frame>
  );
}
