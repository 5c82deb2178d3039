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
 * Words: English only for now.
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
import { DomainError, NotAuthenticated, RateLimited } from "../domain/errors";
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
import { adminHtml } from "./layout";
import { cookieOptions, sameOrigin } from "./session";
import { ADMIN_CSS } from "./styles";
import { saveWhatsAppSender, WhatsAppSenderCard, type WhatsAppFormState } from "./platform-whatsapp";

type Ctx = Context<AppEnv>;
type Form = Record<string, unknown>;
interface Who {
  userId: string;
  csrf: string;
}

const CSS = `
.pc{max-inline-size:72rem;margin:0 auto;padding:1rem}
.pc header{display:flex;flex-wrap:wrap;gap:1rem;justify-content:space-between;align-items:center;margin-block-end:1rem}
.pc table{inline-size:100%;border-collapse:collapse;background:#fff}
.pc th,.pc td{text-align:start;padding:.5rem;border-block-end:1px solid var(--line)}
.pc .row{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end}
.pc .row .field{flex:1 1 12rem;min-inline-size:0}
.pc .grid{display:grid;gap:1rem}
.pc .scroll{overflow-x:auto}
.pc .status{font-weight:600}
`;

const str = (v: unknown, max = 512) => (typeof v === "string" ? v.slice(0, max).trim() : "");
const onPlatform = (c: Ctx) => c.get("tenant") == null;

function Page(props: { title: string; who?: Who | null; children: Child }) {
  return (
    <html lang="en" dir="ltr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · BookMe platform`}</title>
        <style>{raw(ADMIN_CSS + CSS)}</style>
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <div class="pc">
          <header>
            <nav aria-label="Console">
              <a href="/admin/businesses">
                <b>BookMe platform console</b>
              </a>{" "}
              · <a href="/admin/migrations">Migrations</a>
            </nav>
            {props.who ? (
              <form method="post" action="/admin/logout">
                <input type="hidden" name="_csrf" value={props.who.csrf} />
                <button class="btn ghost" type="submit">
                  Sign out
                </button>
              </form>
            ) : null}
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
  return adminHtml(
    c,
    <Page title="Refused">
      <p class="alert bad">This form expired or did not come from this site. Go back, reload the page and try again.</p>
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

function LoginForm(props: { csrf: string; next: string; email?: string; error?: string }) {
  return (
    <Page title="Sign in">
      {props.error ? (
        <p class="alert bad" role="alert">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/admin/login" class="card grid">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <input type="hidden" name="next" value={props.next} />
        <div class="field">
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required value={props.email ?? ""} />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <button class="btn" type="submit">
          Sign in
        </button>
      </form>
    </Page>
  );
}

async function loginPage(c: Ctx, next: Next) {
  if (!onPlatform(c)) return next();
  return adminHtml(c, <LoginForm csrf={await preCsrf(c)} next={safeConsoleNext(c.req.query()["next"])} />);
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
  const again = async (error: string, status: 401 | 429) =>
    adminHtml(c, <LoginForm csrf={await preCsrf(c)} next={nextPath} email={email} error={error} />, status as 403);
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
      return again("Only platform superusers can sign in here.", 401);
    }
    c.header("set-cookie", sessionCookie(tokens, cookieOptions(c)), { append: true });
    c.header("set-cookie", adminDeviceCookie(deviceToken, cookieOptions(c)), { append: true });
    c.header("cache-control", "no-store");
    return c.redirect(nextPath, 303);
  } catch (error) {
    if (error instanceof NotAuthenticated) return again("Wrong email or password.", 401);
    if (error instanceof RateLimited) return again(`Too many attempts; try again in ${error.retryAfterSeconds} s.`, 429);
    throw error;
  }
}

const logoutPost = page(async (c) => {
  const tokens = decodeSession(getCookie(c, SESSION_COOKIE));
  if (tokens) await signOut(c.get("database"), tokens, PLATFORM_AUDIENCE);
  c.header("set-cookie", clearSessionCookie(cookieOptions(c)), { append: true });
  return c.redirect("/admin/login", 303);
});

function CreateForm(props: { who: Who; form?: Form; errors?: { field: string; message: string }[] }) {
  const f = props.form ?? {};
  const errs = props.errors ?? [];
  const err = (k: string) => errs.find((e) => e.field === k)?.message;
  const Field = (p: { name: string; label: string; type?: string; placeholder?: string }) => (
    <div class="field">
      <label for={`new-${p.name}`}>{p.label}</label>
      <input
        id={`new-${p.name}`}
        name={p.name}
        type={p.type ?? "text"}
        placeholder={p.placeholder}
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
      <h2 id="create-title">New business</h2>
      {errs.length ? (
        <p class="alert bad" role="alert">
          Please fix the fields shown.
        </p>
      ) : null}
      <form method="post" action="/admin/businesses" class="grid">
        <input type="hidden" name="_csrf" value={props.who.csrf} />
        <div class="row">
          <Field name="slug" label="Slug" placeholder="salon-amal" />
          <Field name="name" label="Name" />
          <Field name="domain" label="Domain" placeholder="salon-amal.bookme.ma" />
        </div>
        <div class="row">
          <Field name="contact_email" label="Contact email" type="email" />
          <Field name="time_zone" label="Time zone" placeholder="Africa/Casablanca" />
          <div class="field">
            <label for="new-locale">Locale</label>
            <select id="new-locale" name="locale">
              {["fr", "ar", "en"].map((l) => (
                <option value={l} selected={str(f.locale) === l}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          <Field name="currency" label="Currency" placeholder="MAD" />
        </div>
        <Field name="owner_email" label="Owner to invite (email)" type="email" />
        <div>
          <button class="btn" type="submit">
            Create and invite the owner
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
  return adminHtml(
    c,
    <Page title="Businesses" who={who}>
      <form method="get" action="/admin/businesses" class="row card" aria-label="Search businesses">
        <div class="field">
          <label for="q">Search (slug, name, email)</label>
          <input id="q" name="q" type="search" value={q} />
        </div>
        <div class="field">
          <label for="status">Status</label>
          <select id="status" name="status">
            <option value="">Any</option>
            {TENANT_STATUSES.map((s) => (
              <option value={s} selected={statusFilter === s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <button class="btn ghost" type="submit">
          Filter
        </button>
      </form>
      <section class="scroll" tabindex={0} aria-label="Businesses table">
        <table>
          <caption class="sr">Businesses</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Slug</th>
              <th scope="col">Primary domain</th>
              <th scope="col">Status</th>
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
                <td class="status">{t.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.length ? null : <p class="note">No business matches.</p>}
      </section>
      <CreateForm who={who} form={extra.form} errors={extra.errors} />
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
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(ownerEmail)) errors.push({ field: "owner_email", message: "Enter the owner's email." });
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

const ACTIONS: { status: (typeof TENANT_STATUSES)[number]; label: string; danger?: boolean }[] = [
  { status: "suspended", label: "Suspend", danger: true },
  { status: "archived", label: "Archive", danger: true },
  { status: "active", label: "Reactivate" },
];

async function detailView(c: Ctx, who: Who, id: string, error?: string, whatsapp?: WhatsAppFormState) {
  const db = c.get("database").http;
  const [detail, events] = await Promise.all([platform.loadTenant(db, id), platform.lifecycle(db, id, 50)]);
  const migration = detail.migration;
  const invited = str(c.req.query()["invited"], 254);
  return adminHtml(
    c,
    <Page title={detail.name} who={who}>
      <p>
        <a href="/admin/businesses">← All businesses</a>
      </p>
      {invited ? (
        <p class="alert ok" role="status">
          Business created; invitation sent to <b>{invited}</b>.
        </p>
      ) : null}
      {error ? (
        <p class="alert bad" role="alert">
          {error}
        </p>
      ) : null}
      <section class="card" aria-labelledby="status-title">
        <h2 id="status-title">
          Status:{" "}
          <span class="status" id="tenant-status">
            {detail.status}
          </span>
        </h2>
        <p>
          {detail.slug} · {detail.contact_email} · {detail.time_zone} · {detail.locale} · {detail.currency}
        </p>
        <form method="post" action={`/admin/businesses/${detail.id}/status`} class="row">
          <input type="hidden" name="_csrf" value={who.csrf} />
          <div class="field">
            <label for="reason">Reason (shown in the lifecycle log)</label>
            <input id="reason" name="reason" required minlength={3} maxlength={500} />
          </div>
          {ACTIONS.filter((a) => a.status !== detail.status).map((a) => (
            <button class={a.danger ? "btn danger" : "btn"} type="submit" name="status" value={a.status}>
              {a.label}
            </button>
          ))}
        </form>
      </section>
      <section class="card" aria-labelledby="domains-title">
        <h2 id="domains-title">Domains</h2>
        <ul class="plain" id="domains">
          {detail.domains.map((d) => (
            <li class="row">
              <span>
                {d.domain}
                {d.is_primary ? " (primary)" : ""}
              </span>
              {d.is_primary ? null : (
                <>
                  <form method="post" action={`/admin/businesses/${detail.id}/domains/${d.id}/primary`}>
                    <input type="hidden" name="_csrf" value={who.csrf} />
                    <button class="btn ghost" type="submit" aria-label={`Make ${d.domain} primary`}>
                      Make primary
                    </button>
                  </form>
                  <form method="post" action={`/admin/businesses/${detail.id}/domains/${d.id}/delete`}>
                    <input type="hidden" name="_csrf" value={who.csrf} />
                    <button class="btn ghost danger" type="submit" aria-label={`Remove ${d.domain}`}>
                      Remove
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
            <label for="new-domain">Add a domain</label>
            <input id="new-domain" name="domain" required maxlength={253} />
          </div>
          <label>
            <input type="checkbox" name="primary" value="1" /> primary
          </label>
          <button class="btn" type="submit">
            Add
          </button>
        </form>
      </section>
      <WhatsAppSenderCard
        csrf={who.csrf}
        tenantId={detail.id}
        sender={detail.whatsapp}
        state={whatsapp}
        saved={c.req.query("saved") === "whatsapp"}
      />
      <section class="card" aria-labelledby="migration-title">
        <h2 id="migration-title">Migrations</h2>
        <dl id="migration">
          <dt>Version</dt>
          <dd>
            {String(migration.version ?? 0)} / {String(tenantMigrations.length)}
          </dd>
          <dt>Last migration</dt>
          <dd>{String(migration.last_tag ?? "—")}</dd>
          <dt>Last error</dt>
          <dd>{String(migration.last_error ?? "—")}</dd>
        </dl>
        <form method="post" action={`/admin/businesses/${detail.id}/migrate`}>
          <input type="hidden" name="_csrf" value={who.csrf} />
          <button class="btn" type="submit">
            Migrate now
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="log-title">
        <h2 id="log-title">Lifecycle log</h2>
        <section class="scroll" tabindex={0} aria-label="Lifecycle log table">
          <table id="lifecycle">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Who</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr>
                  <td>{e.created_at}</td>
                  <td>{e.event}</td>
                  <td>{e.actor}</td>
                  <td>
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
    return detailView(c, who, id, "Give a reason (at least 3 characters).");
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

/** Runs a domain change; a refusal (taken, invalid, last domain…) shows on the detail page. */
async function domainChange(c: Ctx, who: Who, id: string, change: () => Promise<unknown>) {
  try {
    await change();
  } catch (error) {
    if (error instanceof DomainError || error instanceof ApiError) return detailView(c, who, id, error.message);
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
  const saved = await saveWhatsAppSender(c, id, `user:${who.userId}`);
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
  if (result.error) return detailView(c, who, id, `Migration failed: ${result.error}`);
  return c.redirect(`/admin/businesses/${id}`, 303);
});

const migrationsPage = page(async (c, who) => {
  const o = await platform.migrationOverview(c.get("database").http);
  return adminHtml(
    c,
    <Page title="Migrations" who={who}>
      <p>
        <a href="/admin/businesses">← All businesses</a>
      </p>
      <p class="card" id="overview">
        Latest tenant migration: <b>{o.latest}</b> · businesses: <b>{o.total}</b> · behind: <b>{o.behind}</b> · failing: <b>{o.failing}</b>
      </p>
      <section class="scroll" tabindex={0} aria-label="Migrations table">
        <table>
          <caption class="sr">Businesses behind or failing</caption>
          <thead>
            <tr>
              <th scope="col">Business</th>
              <th scope="col">Version</th>
              <th scope="col">Failed attempts</th>
              <th scope="col">Last error</th>
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
