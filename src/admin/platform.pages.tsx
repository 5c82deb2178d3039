/**
 * The platform console: /admin on the PLATFORM host, for superusers (issue 13).
 * Same session model as the business back office (src/auth/sessions.ts:
 * access JWT + refresh family in the `bm_admin` cookie, CSRF bound to the
 * session), with the platform audience; every write re-checks in the database
 * that the session is alive and its user still an active superuser.
 *
 *   GET/POST /admin/login              sign in (superusers only)
 *   POST     /admin/logout             sign out
 *   GET      /admin, /admin/businesses list with search (q) and status filter
 *   POST     /admin/businesses         create a business + its owner invitation
 *   GET      /admin/businesses/:id     detail: status, domains, migration state, lifecycle log
 *   POST     /admin/businesses/:id/status   suspend / archive / reactivate with a reason
 *   POST     /admin/businesses/:id/whatsapp the business's own WhatsApp sender (platform-whatsapp.tsx)
 *
 * Mounted by admin.index.ts before the tenant routes: each handler passes
 * tenant hosts on (`next()`), so the business back office is unchanged.
 * Words: src/admin/i18n/platform.{fr,ar,en}.ts. The language is chosen like on
 * a tenant host (`?lang=`, remembered in the same cookie, then
 * Accept-Language); the platform host has no business whose default could
 * come last, so the platform default (DEFAULT_LANG, French) does.
 */
import type { Context, Hono, Next } from "hono";
import { getCookie } from "hono/cookie";
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import {
  ADMIN_DEVICE_COOKIE,
  adminDeviceCookie,
  clearSessionCookie,
  csrfSubject,
  csrfToken,
  decodeSession,
  livePlatformSession,
  PRE_SESSION_COOKIE,
  preSessionCookie,
  randomId,
  resumeSession,
  SESSION_COOKIE,
  sessionCookie,
  signIn,
  signOut,
  verifyCsrf,
} from "../auth/sessions";
import { signingKeys } from "../auth/signing-keys";
import { PLATFORM_AUDIENCE } from "../auth/tokens";
import { TENANT_STATUSES } from "../db/schema/public";
import { Conflict, DomainError, NotAuthenticated, RateLimited } from "../domain/errors";
import { clientAddress } from "../http/client-address";
import { toListQuery } from "../http/list-query";
import { ApiError } from "../http/problem";
import type { AppEnv } from "../http/types";
import { CreateTenantBody } from "../platform/platform.routes";
import { tenantListSpec } from "../platform/platform.routes";
import * as platform from "../platform/platform.service";
import { migrateTenant } from "../db/migrations/migrator";
import { tenantMigrations } from "../db/migrations/bundle.generated";
import { schemaNameForSlug } from "../tenancy/naming";
import { formatStamp } from "../web/format";
import { withLang, langOf } from "../web/context";
import { DEFAULT_LANG, type Lang, messages as webMessages } from "../web/i18n";
import { type AdminMessages, adminMessages } from "./i18n";
import { type PlatformMessages, platformMessages } from "./i18n/platform";
import { adminHtml, Langs } from "./layout";
import { cookieOptions, sameOrigin } from "./session";
import { ADMIN_CSS } from "./styles";
import { saveWhatsAppSender, WhatsAppSenderCard, type WhatsAppFormState } from "./platform-whatsapp";

type Ctx = Context<AppEnv>;
type Form = Record<string, unknown>;
interface Who {
  userId: string;
  csrf: string;
}

/** The language and words of this console request. */
interface Ui {
  lang: Lang;
  /** The shell's words (direction, skip link, languages, sign out). */
  m: AdminMessages;
  p: PlatformMessages;
  hrefFor: (lang: Lang) => string;
}

const uiOf = new WeakMap<Request, Ui>();

/** Worked out once per request: langOf sets the cookie when `?lang=` chose the language. */
function ui(c: Ctx): Ui {
  const known = uiOf.get(c.req.raw);
  if (known) return known;
  const lang = langOf(c, DEFAULT_LANG);
  const url = new URL(c.req.url);
  url.searchParams.delete("lang");
  const made: Ui = { lang, m: adminMessages(lang), p: platformMessages(lang), hrefFor: (l) => withLang(url.toString(), l) };
  uiOf.set(c.req.raw, made);
  return made;
}

const CSS = `
.pc{max-inline-size:72rem;margin:0 auto;padding:1rem}
.pc header{display:flex;flex-wrap:wrap;gap:1rem;justify-content:space-between;align-items:center;margin-block-end:1rem}
.pc .tools{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.pc table{inline-size:100%;border-collapse:collapse;background:#fff}
.pc th,.pc td{text-align:start;padding:.5rem;border-block-end:1px solid var(--line)}
.pc .row{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end}
.pc .row .field{flex:1 1 12rem;min-inline-size:0}
.pc .grid{display:grid;gap:1rem;grid-template-columns:minmax(0,1fr)}
.pc td time{white-space:nowrap}
.pc main{padding-inline:0}
.pc .plain{list-style:none;margin:0 0 1rem;padding:0;display:grid;gap:.5rem}
.pc dl{display:grid;grid-template-columns:auto minmax(0,1fr);gap:.25rem 1rem;margin:0 0 1rem}
.pc dd{margin:0;overflow-wrap:anywhere}
.pc .scroll{overflow-x:auto}
.pc .status{font-weight:600}
`;

const str = (v: unknown, max = 512) => (typeof v === "string" ? v.slice(0, max).trim() : "");
const onPlatform = (c: Ctx) => c.get("tenant") == null;

function Page(props: { ui: Ui; title: string; who?: Who | null; children: Child }) {
  const { m, p } = props.ui;
  return (
    <html lang={props.ui.lang} dir={m.dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · ${p.site}`}</title>
        <style>{raw(ADMIN_CSS + CSS)}</style>
      </head>
      <body>
        <a class="skip" href="#main">
          {m.skip}
        </a>
        <div class="pc">
          <header>
            <nav aria-label={p.consoleNav}>
              <a href="/admin/businesses">
                <b>{p.brand}</b>
              </a>{" "}
              · <a href="/admin/migrations">{p.nav.migrations}</a>
            </nav>
            <div class="tools">
              <Langs req={props.ui} label={m.languages} />
              {props.who ? (
                <form method="post" action="/admin/logout">
                  <input type="hidden" name="_csrf" value={props.who.csrf} />
                  <button class="btn ghost" type="submit">
                    {m.signOut}
                  </button>
                </form>
              ) : null}
            </div>
          </header>
          <main id="main" tabindex={-1} class="grid">
            <h1>{props.title}</h1>
            {props.children}
          </main>
        </div>
      </body>
    </html>
  );
}

async function preCsrf(c: Ctx): Promise<string> {
  let nonce = getCookie(c, PRE_SESSION_COOKIE);
  if (!nonce || !/^[A-Za-z0-9_-]{22}$/.test(nonce)) {
    nonce = randomId();
    c.header("set-cookie", preSessionCookie(nonce, cookieOptions(c)), { append: true });
  }
  return csrfToken(signingKeys(c), csrfSubject("pre", PLATFORM_AUDIENCE, nonce));
}

function refused(c: Ctx) {
  const u = ui(c);
  return adminHtml(
    c,
    <Page ui={u} title={u.p.refused.title}>
      <p class="alert bad">{u.p.refused.text}</p>
    </Page>,
    403,
  );
}

/** The signed-in superuser, or null (then the caller answers with the login redirect). Writes: CSRF + live check. */
async function platformSession(c: Ctx): Promise<Who | null | "refused"> {
  const keys = signingKeys(c);
  const presented = decodeSession(getCookie(c, SESSION_COOKIE));
  if (!presented) return null;
  const resumed = await resumeSession(c.get("database"), keys, presented, PLATFORM_AUDIENCE);
  if (!resumed.ok || !resumed.user.isSuperuser) {
    c.header("set-cookie", clearSessionCookie(cookieOptions(c)), { append: true });
    return null;
  }
  if (resumed.rotated) c.header("set-cookie", sessionCookie(resumed.tokens, cookieOptions(c)), { append: true });
  const subject = csrfSubject("session", PLATFORM_AUDIENCE, resumed.tokens.sid);
  const who = { userId: resumed.user.userId, csrf: await csrfToken(keys, subject) };
  if (c.req.method === "POST") {
    const form = (await c.req.parseBody()) as Form;
    if (!sameOrigin(c) || !(await verifyCsrf(keys, subject, form._csrf))) return "refused";
    if (!resumed.rotated) {
      const live = await livePlatformSession(c.get("database").http, resumed.tokens.refresh);
      if (!live || live.userId !== who.userId) return null;
    }
  }
  c.header("cache-control", "no-store");
  return who;
}

/** Wraps a console page: tenant hosts go on to the business back office; no session → the sign-in page. */
const page =
  (handler: (c: Ctx, who: Who) => Promise<Response> | Response) =>
  async (c: Ctx, next: Next): Promise<Response | undefined> => {
    if (!onPlatform(c)) {
      await next();
      return undefined;
    }
    const who = await platformSession(c);
    if (who === "refused") return refused(c);
    if (!who) return c.redirect(`/admin/login?next=${encodeURIComponent(new URL(c.req.url).pathname)}`, 303);
    return handler(c, who);
  };

const safeConsoleNext = (v: unknown) => {
  const s = typeof v === "string" ? v : "";
  return /^\/admin\/businesses(\/[0-9a-f-]{36})?$/.test(s) ? s : "/admin/businesses";
};

function LoginForm(props: { ui: Ui; csrf: string; next: string; email?: string; error?: string }) {
  const w = props.ui.p.login;
  return (
    <Page ui={props.ui} title={w.title}>
      {props.error ? (
        <p class="alert bad" role="alert">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/admin/login" class="card grid">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <input type="hidden" name="next" value={props.next} />
        <div class="field">
          <label for="email">{w.email}</label>
          <input id="email" name="email" type="email" autocomplete="username" required dir="ltr" value={props.email ?? ""} />
        </div>
        <div class="field">
          <label for="password">{w.password}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <button class="btn" type="submit">
          {w.submit}
        </button>
      </form>
    </Page>
  );
}

async function loginPage(c: Ctx, next: Next) {
  if (!onPlatform(c)) return next();
  return adminHtml(c, <LoginForm ui={ui(c)} csrf={await preCsrf(c)} next={safeConsoleNext(c.req.query()["next"])} />);
}

async function loginPost(c: Ctx, next: Next) {
  if (!onPlatform(c)) return next();
  const form = (await c.req.parseBody()) as Form;
  const nonce = getCookie(c, PRE_SESSION_COOKIE);
  const keys = signingKeys(c);
  if (!nonce || !sameOrigin(c) || !(await verifyCsrf(keys, csrfSubject("pre", PLATFORM_AUDIENCE, nonce), form._csrf))) return refused(c);
  const email = str(form.email, 320).toLowerCase();
  const password = typeof form.password === "string" ? form.password.slice(0, 1024) : "";
  const nextPath = safeConsoleNext(form.next);
  const u = ui(c);
  const again = async (error: string, status: 401 | 429) =>
    adminHtml(c, <LoginForm ui={u} csrf={await preCsrf(c)} next={nextPath} email={email} error={error} />, status as 403);
  try {
    const { tokens, deviceToken } = await signIn(c.get("database"), keys, {
      email,
      password,
      deviceToken: getCookie(c, ADMIN_DEVICE_COOKIE),
      address: clientAddress(c),
      tenantId: null,
      audience: PLATFORM_AUDIENCE,
    });
    const resumed = await resumeSession(c.get("database"), keys, tokens, PLATFORM_AUDIENCE);
    if (!resumed.ok || !resumed.user.isSuperuser) {
      await signOut(c.get("database"), tokens, PLATFORM_AUDIENCE);
      return again(u.p.login.superusersOnly, 401);
    }
    c.header("set-cookie", sessionCookie(tokens, cookieOptions(c)), { append: true });
    c.header("set-cookie", adminDeviceCookie(deviceToken, cookieOptions(c)), { append: true });
    c.header("cache-control", "no-store");
    return c.redirect(nextPath, 303);
  } catch (error) {
    if (error instanceof NotAuthenticated) return again(u.p.login.wrong, 401);
    if (error instanceof RateLimited) return again(u.p.login.tooMany(error.retryAfterSeconds), 429);
    throw error;
  }
}

const logoutPost = page(async (c) => {
  const tokens = decodeSession(getCookie(c, SESSION_COOKIE));
  if (tokens) await signOut(c.get("database"), tokens, PLATFORM_AUDIENCE);
  c.header("set-cookie", clearSessionCookie(cookieOptions(c)), { append: true });
  return c.redirect("/admin/login", 303);
});

/** A refused field's message in the page's language: the service's stable reasons first, else the field's own. */
function fieldMessage(p: PlatformMessages, e: { field: string; message: string }): string {
  if (e.message === "already taken") return p.errors.taken!;
  if (e.message === "reserved for the platform") return p.errors.platformHost!;
  return p.errors[e.field] ?? p.errors.form!;
}

function CreateForm(props: { ui: Ui; who: Who; form?: Form; errors?: { field: string; message: string }[] }) {
  const pm = props.ui.p;
  const w = pm.create;
  const f = props.form ?? {};
  const errs = props.errors ?? [];
  const err = (k: string) => {
    const e = errs.find((x) => x.field === k);
    return e ? fieldMessage(pm, e) : undefined;
  };
  // `ltr`: codes, addresses and zone names read left to right on an Arabic page too.
  const Field = (p: { name: string; label: string; type?: string; placeholder?: string; ltr?: boolean }) => (
    <div class="field">
      <label for={`new-${p.name}`}>{p.label}</label>
      <input
        id={`new-${p.name}`}
        name={p.name}
        type={p.type ?? "text"}
        placeholder={p.placeholder}
        dir={p.ltr ? "ltr" : undefined}
        value={str(f[p.name])}
        aria-invalid={err(p.name) ? "true" : undefined}
        aria-describedby={err(p.name) ? `new-${p.name}-err` : undefined}
      />
      {err(p.name) ? (
        <p class="err" id={`new-${p.name}-err`}>
          {err(p.name)}
        </p>
      ) : null}
    </div>
  );
  return (
    <section class="card" aria-labelledby="create-title">
      <h2 id="create-title">{w.title}</h2>
      {errs.length ? (
        <p class="alert bad" role="alert">
          {w.fixErrors}
        </p>
      ) : null}
      <form method="post" action="/admin/businesses" class="grid">
        <input type="hidden" name="_csrf" value={props.who.csrf} />
        <div class="row">
          <Field name="slug" label={w.slug} placeholder="salon-amal" ltr />
          <Field name="name" label={w.name} />
          <Field name="domain" label={w.domain} placeholder="salon-amal.bookme.ma" ltr />
        </div>
        <div class="row">
          <Field name="contact_email" label={w.contactEmail} type="email" ltr />
          <Field name="time_zone" label={w.timeZone} placeholder="Africa/Casablanca" ltr />
          <div class="field">
            <label for="new-locale">{w.locale}</label>
            <select id="new-locale" name="locale">
              {(["fr", "ar", "en"] as const).map((l) => (
                <option value={l} lang={l} selected={str(f.locale) === l}>
                  {webMessages(l).langName}
                </option>
              ))}
            </select>
          </div>
          <Field name="currency" label={w.currency} placeholder="MAD" ltr />
        </div>
        <Field name="owner_email" label={w.owner} type="email" ltr />
        <div>
          <button class="btn" type="submit">
            {w.submit}
          </button>
        </div>
      </form>
    </section>
  );
}

async function listView(
  c: Ctx,
  who: Who,
  extra: { form?: Form; errors?: { field: string; message: string }[] } = {},
  status: 200 | 422 = 200,
) {
  const q = str(c.req.query()["q"], 100);
  const statusFilter = str(c.req.query()["status"], 20);
  const query: Record<string, string> = { page_size: "100" };
  if (q) query.search = q;
  if ((TENANT_STATUSES as readonly string[]).includes(statusFilter)) query.status = statusFilter;
  const rows = await platform.listTenants(c.get("database").http, toListQuery(tenantListSpec, query));
  const list = rows.map((r) => platform.presentSummary(r as Record<string, unknown>));
  const u = ui(c);
  const w = u.p.list;
  return adminHtml(
    c,
    <Page ui={u} title={w.title} who={who}>
      <form method="get" action="/admin/businesses" class="row card" aria-label={w.searchLabel}>
        <div class="field">
          <label for="q">{w.search}</label>
          <input id="q" name="q" type="search" value={q} dir="auto" />
        </div>
        <div class="field">
          <label for="status">{w.status}</label>
          <select id="status" name="status">
            <option value="">{w.any}</option>
            {TENANT_STATUSES.map((s) => (
              <option value={s} selected={statusFilter === s}>
                {u.p.statuses[s] ?? s}
              </option>
            ))}
          </select>
        </div>
        <button class="btn ghost" type="submit">
          {w.filter}
        </button>
      </form>
      <section class="scroll" tabindex={0} aria-label={w.tableLabel}>
        <table>
          <caption class="sr">{w.title}</caption>
          <thead>
            <tr>
              <th scope="col">{w.name}</th>
              <th scope="col">{w.slug}</th>
              <th scope="col">{w.primaryDomain}</th>
              <th scope="col">{w.status}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((t) => (
              <tr>
                <td>
                  <a href={`/admin/businesses/${t.id}`}>{t.name}</a>
                </td>
                <td>{t.slug}</td>
                <td>{t.primary_domain ?? "—"}</td>
                <td class="status" data-status={t.status}>
                  {u.p.statuses[t.status] ?? t.status}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.length ? null : <p class="note">{w.noMatch}</p>}
      </section>
      <CreateForm ui={u} who={who} form={extra.form} errors={extra.errors} />
    </Page>,
    status,
  );
}

const listPage = page((c, who) => listView(c, who));

const createPost = page(async (c, who) => {
  const form = (await c.req.parseBody()) as Form;
  const input = {
    slug: str(form.slug, 32),
    name: str(form.name, 120),
    domain: str(form.domain, 253).toLowerCase(),
    contact_email: str(form.contact_email, 254),
    ...(str(form.time_zone) ? { time_zone: str(form.time_zone, 64) } : {}),
    ...(str(form.locale) ? { locale: str(form.locale, 2) } : {}),
    ...(str(form.currency) ? { currency: str(form.currency, 3).toUpperCase() } : {}),
  };
  const ownerEmail = str(form.owner_email, 254).toLowerCase();
  const parsed = CreateTenantBody.safeParse(input);
  const errors: { field: string; message: string }[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? "form"), message: i.message }));
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(ownerEmail)) errors.push({ field: "owner_email", message: "invalid" });
  if (!parsed.success || errors.length) return listView(c, who, { form, errors }, 422);
  const { contact_email: contactEmail, time_zone: timeZone, ...rest } = parsed.data;
  const database = c.get("database");
  let detail: Awaited<ReturnType<typeof platform.createTenant>>;
  try {
    platform.refusePlatformHost(c.get("config").platformHosts, rest.domain);
    detail = await platform.createTenant(
      await database.client(),
      database.http,
      c.env.TENANT_CACHE,
      { ...rest, contactEmail, timeZone },
      `user:${who.userId}`,
    );
  } catch (error) {
    const fields =
      error instanceof ApiError && error.errors
        ? error.errors
        : error instanceof DomainError && "fields" in error
          ? (error as unknown as { fields: { field: string; message: string }[] }).fields
          : null;
    if (!fields) throw error;
    const wire: Record<string, string> = { contactEmail: "contact_email", timeZone: "time_zone" };
    return listView(c, who, { form, errors: fields.map((e) => ({ field: wire[e.field] ?? e.field, message: e.message })) }, 422);
  }
  const { invitation, origin } = await platform.inviteToTenant(database.http, signingKeys(c), c.get("config").PUBLIC_URL_TEMPLATE, {
    tenantId: detail.id,
    email: ownerEmail,
    role: "owner",
    invitedBy: who.userId,
  });
  // The invitation's link holds its token: it goes by email only, never into a URL here.
  void invitation;
  void origin;
  return c.redirect(`/admin/businesses/${detail.id}?invited=${encodeURIComponent(ownerEmail)}`, 303);
});

const ACTIONS: { status: (typeof TENANT_STATUSES)[number]; danger?: boolean }[] = [
  { status: "suspended", danger: true },
  { status: "archived", danger: true },
  { status: "active" },
];

async function detailView(c: Ctx, who: Who, id: string, error?: string, whatsapp?: WhatsAppFormState) {
  const db = c.get("database").http;
  const [detail, events] = await Promise.all([platform.loadTenant(db, id), platform.lifecycle(db, id, 50)]);
  const migration = detail.migration;
  const invited = str(c.req.query()["invited"], 254);
  const u = ui(c);
  const w = u.p.detail;
  return adminHtml(
    c,
    <Page ui={u} title={detail.name} who={who}>
      <p>
        <a href="/admin/businesses">{w.back}</a>
      </p>
      {invited ? (
        <p class="alert ok" role="status">
          {w.created} <bdi>{invited}</bdi>.
        </p>
      ) : null}
      {error ? (
        <p class="alert bad" role="alert">
          {error}
        </p>
      ) : null}
      <section class="card" aria-labelledby="status-title">
        <h2 id="status-title">
          {w.status}{" "}
          <span class="status" id="tenant-status" data-status={detail.status}>
            {u.p.statuses[detail.status] ?? detail.status}
          </span>
        </h2>
        <p dir="ltr" class="facts">
          {detail.slug} · {detail.contact_email} · {detail.time_zone} · {detail.locale} · {detail.currency}
        </p>
        <form method="post" action={`/admin/businesses/${detail.id}/status`} class="row">
          <input type="hidden" name="_csrf" value={who.csrf} />
          <div class="field">
            <label for="reason">{w.reason}</label>
            <input id="reason" name="reason" required minlength={3} maxlength={500} />
          </div>
          {ACTIONS.filter((a) => a.status !== detail.status).map((a) => (
            <button class={a.danger ? "btn danger" : "btn"} type="submit" name="status" value={a.status}>
              {w.actions[a.status]}
            </button>
          ))}
        </form>
      </section>
      <section class="card" aria-labelledby="domains-title">
        <h2 id="domains-title">{w.domains}</h2>
        <ul class="plain" id="domains">
          {detail.domains.map((d) => (
            <li class="row">
              <span>
                <bdi>{d.domain}</bdi>
                {d.is_primary ? ` ${w.primary}` : ""}
              </span>
              {d.is_primary ? null : (
                <>
                  <form method="post" action={`/admin/businesses/${detail.id}/domains/${d.id}/primary`}>
                    <input type="hidden" name="_csrf" value={who.csrf} />
                    <button class="btn ghost" type="submit" aria-label={w.makePrimaryLabel(d.domain)}>
                      {w.makePrimary}
                    </button>
                  </form>
                  <form method="post" action={`/admin/businesses/${detail.id}/domains/${d.id}/delete`}>
                    <input type="hidden" name="_csrf" value={who.csrf} />
                    <button class="btn ghost danger" type="submit" aria-label={w.removeLabel(d.domain)}>
                      {w.remove}
                    </button>
                  </form>
                </>
              )}
            </li>
          ))}
        </ul>
        <form method="post" action={`/admin/businesses/${detail.id}/domains`} class="row">
          <input type="hidden" name="_csrf" value={who.csrf} />
          <div class="field">
            <label for="new-domain">{w.addDomain}</label>
            <input id="new-domain" name="domain" required maxlength={253} dir="ltr" />
          </div>
          <label>
            <input type="checkbox" name="primary" value="1" /> {w.primaryBox}
          </label>
          <button class="btn" type="submit">
            {w.add}
          </button>
        </form>
      </section>
      <WhatsAppSenderCard
        lang={u.lang}
        csrf={who.csrf}
        tenantId={detail.id}
        sender={detail.whatsapp}
        state={whatsapp}
        saved={c.req.query("saved") === "whatsapp"}
      />
      <section class="card" aria-labelledby="migration-title">
        <h2 id="migration-title">{w.migrations}</h2>
        <dl id="migration">
          <dt>{w.version}</dt>
          <dd>
            {String(migration.version ?? 0)} / {String(tenantMigrations.length)}
          </dd>
          <dt>{w.lastMigration}</dt>
          <dd>{String(migration.last_tag ?? "—")}</dd>
          <dt>{w.lastError}</dt>
          <dd>{String(migration.last_error ?? "—")}</dd>
        </dl>
        <form method="post" action={`/admin/businesses/${detail.id}/migrate`}>
          <input type="hidden" name="_csrf" value={who.csrf} />
          <button class="btn" type="submit">
            {w.migrateNow}
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="log-title">
        <h2 id="log-title">{w.log}</h2>
        <section class="scroll" tabindex={0} aria-label={w.logTable}>
          <table id="lifecycle">
            <thead>
              <tr>
                <th scope="col">{w.when}</th>
                <th scope="col">{w.event}</th>
                <th scope="col">{w.who}</th>
                <th scope="col">{w.details}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr>
                  <td>
                    <time datetime={e.created_at}>{formatStamp(u.lang, detail.time_zone, Date.parse(e.created_at))}</time>
                  </td>
                  <td data-event={e.event}>{w.events[e.event] ?? e.event}</td>
                  <td>
                    <bdi>{e.actor}</bdi>
                  </td>
                  <td dir="auto">
                    {Object.entries(e.detail ?? {})
                      .map(([k, v]) => `${k}: ${String(v)}`)
                      .join(" · ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </section>
    </Page>,
    whatsapp ? 422 : 200,
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const detailPage = page(async (c, who) => {
  const id = c.req.param("id") ?? "";
  if (!UUID.test(id)) throw new ApiError("not_found", "No business with this id.");
  return detailView(c, who, id);
});

const statusPost = page(async (c, who) => {
  const id = c.req.param("id") ?? "";
  if (!UUID.test(id)) throw new ApiError("not_found", "No business with this id.");
  const form = (await c.req.parseBody()) as Form;
  const status = str(form.status, 20);
  const reason = str(form.reason, 500);
  if (!(TENANT_STATUSES as readonly string[]).includes(status) || reason.length < 3) {
    return detailView(c, who, id, ui(c).p.detail.reasonTooShort);
  }
  await platform.changeStatus(
    c.get("database").http,
    c.env.TENANT_CACHE,
    id,
    { status: status as (typeof TENANT_STATUSES)[number], reason },
    `user:${who.userId}`,
  );
  return c.redirect(`/admin/businesses/${id}`, 303);
});

/** Why a domain change was refused, in the page's language (the service's field reasons, the primary rule, else generic). */
function domainRefusal(p: PlatformMessages, error: DomainError | ApiError): string {
  const fields = error as { fields?: { field: string; message: string }[]; errors?: { field: string; message: string }[] };
  const first = (fields.fields ?? fields.errors ?? [])[0];
  if (first) return fieldMessage(p, first);
  if (error instanceof Conflict) return p.detail.primaryRemove;
  return p.detail.domainRefused;
}

/** Runs a domain change; a refusal (taken, invalid, last domain…) shows on the detail page. */
async function domainChange(c: Ctx, who: Who, id: string, change: () => Promise<unknown>) {
  try {
    await change();
  } catch (error) {
    if (error instanceof DomainError || error instanceof ApiError) return detailView(c, who, id, domainRefusal(ui(c).p, error));
    throw error;
  }
  return c.redirect(`/admin/businesses/${id}`, 303);
}

const idOf = (c: Ctx, name = "id") => {
  const id = c.req.param(name) ?? "";
  if (!UUID.test(id)) throw new ApiError("not_found", "No business or domain with this id.");
  return id;
};

const domainAdd = page(async (c, who) => {
  const id = idOf(c);
  const form = (await c.req.parseBody()) as Form;
  const cache = c.env.TENANT_CACHE;
  return domainChange(c, who, id, async () => {
    const domain = platform.checkedDomain(c.get("config").platformHosts, str(form.domain, 253));
    await platform.addDomain(c.get("database").http, cache, id, { domain, primary: form.primary === "1" }, `user:${who.userId}`);
  });
});

const domainPrimary = page(async (c, who) => {
  const id = idOf(c);
  const domainId = idOf(c, "domainId");
  return domainChange(c, who, id, () =>
    platform.setPrimaryDomain(c.get("database").http, c.env.TENANT_CACHE, id, domainId, `user:${who.userId}`),
  );
});

const domainRemove = page(async (c, who) => {
  const id = idOf(c);
  const domainId = idOf(c, "domainId");
  return domainChange(c, who, id, () =>
    platform.removeDomain(c.get("database").http, c.env.TENANT_CACHE, id, domainId, `user:${who.userId}`),
  );
});

const whatsappPost = page(async (c, who) => {
  const id = idOf(c);
  const saved = await saveWhatsAppSender(c, id, `user:${who.userId}`, ui(c).lang);
  if (!saved.ok) return detailView(c, who, id, undefined, saved.state);
  return c.redirect(`/admin/businesses/${id}?saved=whatsapp#whatsapp`, 303);
});

/** "Migrate now" for one business: its own transaction on a WebSocket connection (DDL); a failure is recorded and shown. */
const migratePost = page(async (c, who) => {
  const id = idOf(c);
  const detail = await platform.loadTenant(c.get("database").http, id);
  const result = await migrateTenant(await c.get("database").client(), {
    id: detail.id,
    slug: detail.slug,
    schemaName: schemaNameForSlug(detail.slug),
  });
  if (result.error) return detailView(c, who, id, ui(c).p.detail.migrationFailed(result.error));
  return c.redirect(`/admin/businesses/${id}`, 303);
});

const migrationsPage = page(async (c, who) => {
  const o = await platform.migrationOverview(c.get("database").http);
  const u = ui(c);
  const w = u.p.migrations;
  return adminHtml(
    c,
    <Page ui={u} title={w.title} who={who}>
      <p>
        <a href="/admin/businesses">{u.p.detail.back}</a>
      </p>
      <p class="card" id="overview">
        {w.latest} <b>{o.latest}</b> · {w.total} <b>{o.total}</b> · {w.behind} <b>{o.behind}</b> · {w.failing} <b>{o.failing}</b>
      </p>
      <section class="scroll" tabindex={0} aria-label={w.tableLabel}>
        <table>
          <caption class="sr">{w.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{w.business}</th>
              <th scope="col">{w.version}</th>
              <th scope="col">{w.failedAttempts}</th>
              <th scope="col">{w.lastError}</th>
            </tr>
          </thead>
          <tbody>
            {o.tenants.map((t) => (
              <tr>
                <td>
                  <a href={`/admin/businesses/${t.id}`}>{t.name}</a> ({t.slug})
                </td>
                <td>
                  {t.version} / {o.latest}
                </td>
                <td>{t.failedAttempts}</td>
                <td>{t.lastError ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Page>,
  );
});

/** Registers the console's routes on the /admin router, before the business back office's. */
export function mountPlatformConsole(admin: Hono<AppEnv>): void {
  admin.get("/admin/login", loginPage);
  admin.post("/admin/login", loginPost);
  admin.post("/admin/logout", logoutPost);
  admin.get(
    "/admin",
    page((c) => c.redirect("/admin/businesses", 303)),
  );
  admin.get("/admin/businesses", listPage);
  admin.post("/admin/businesses", createPost);
  admin.get("/admin/businesses/:id", detailPage);
  admin.post("/admin/businesses/:id/status", statusPost);
  admin.post("/admin/businesses/:id/domains", domainAdd);
  admin.post("/admin/businesses/:id/domains/:domainId/primary", domainPrimary);
  admin.post("/admin/businesses/:id/domains/:domainId/delete", domainRemove);
  admin.post("/admin/businesses/:id/migrate", migratePost);
  admin.post("/admin/businesses/:id/whatsapp", whatsappPost);
  admin.get("/admin/migrations", migrationsPage);
}
