/**
 * The back office's request context: who is signed in (the session cookie,
 * src/auth/sessions.ts), the CSRF check of every form, the language, and the
 * role check of pages.
 *
 *   requireSession     every /admin page except sign-in, password reset and
 *                      invitation: no session → 303 /admin/login?next=<path>
 *                      (GET) or /admin/login (other methods, nothing done);
 *                      sets c.var.principal (same Principal as the API
 *                      guards) and c.var.admin (csrf token, language…).
 *                      On POST/PUT/PATCH/DELETE: the form's `_csrf` must be
 *                      this session's token (else the 403 page, nothing read
 *                      or written), then one statement checks the session is
 *                      still alive and reads the member's current role.
 *   requirePageRole(r) 403 page below role r.
 */
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { roleAtLeast } from "../auth/guards";
import {
  type CookieOptions,
  clearSessionCookie,
  csrfSubject,
  csrfToken,
  decodeSession,
  liveSession,
  resumeSession,
  SESSION_COOKIE,
  SESSION_PATH,
  type SessionTokens,
  sessionCookie,
  verifyCsrf,
} from "../auth/sessions";
import { signingKeys } from "../auth/signing-keys";
import type { MembershipRole } from "../db/schema/public";
import type { TenantContext } from "../domain/tenant";
import type { Bindings } from "../env";
import type { AppVariables } from "../http/types";
import { tenantOf } from "../tenancy/scope";
import { langOf, withLang } from "../web/context";
import type { Lang } from "../web/i18n";
import { type AdminMessages, adminMessages } from "./i18n";

/** What every back-office page knows about the request. */
export interface AdminRequest {
  tenant: TenantContext;
  lang: Lang;
  m: AdminMessages;
  /** The current path and query with another language (the switcher's links). */
  hrefFor: (lang: Lang) => string;
  /** The path of this page (nav highlighting). */
  path: string;
  /** Null on the pages before sign-in. */
  session: { userId: string; role: MembershipRole; csrf: string; sid: string } | null;
}

export interface AdminVariables extends AppVariables {
  admin: AdminRequest;
}

export interface AdminEnv {
  Bindings: Bindings;
  Variables: AdminVariables;
}

export type AdminContext = Context<AdminEnv>;

export const cookieOptions = (c: Context): CookieOptions => ({ secure: c.env?.APP_ENV !== "development" });

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

const basicsOf = new WeakMap<object, Omit<AdminRequest, "session">>();

/**
 * Language, words and switcher links of this request (no database), worked
 * out once per request: choosing the language may set its cookie, which must
 * not happen again after other cookies were added.
 */
export function requestBasics(c: Context<AdminEnv>): Omit<AdminRequest, "session"> {
  const known = basicsOf.get(c.req.raw);
  if (known) return known;
  const basics = computeBasics(c);
  basicsOf.set(c.req.raw, basics);
  return basics;
}

function computeBasics(c: Context<AdminEnv>): Omit<AdminRequest, "session"> {
  const tenant = tenantOf(c);
  const lang = langOf(c as never, tenant.locale);
  const url = new URL(c.req.url);
  url.searchParams.delete("lang");
  return { tenant, lang, m: adminMessages(lang), hrefFor: (l) => withLang(url.toString(), l), path: url.pathname };
}

/** The form fields of a write (urlencoded or multipart), parsed once (Hono caches it for the handler). */
export async function formOf(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) return {};
  return (await c.req.parseBody()) as Record<string, unknown>;
}

/** False when the browser says the form came from another origin (`Origin: null` leaves it to the token). */
export function sameOrigin(c: Context): boolean {
  const origin = c.req.header("origin");
  if (!origin || origin === "null") return true;
  const url = new URL(c.req.url);
  const host = c.req.header("host") ?? url.host;
  return origin === `${url.protocol}//${host}`;
}

/** 303 to the sign-in page, coming back here after sign-in when this was a page (GET). */
export function toLogin(c: Context, notice?: "expired"): Response {
  const url = new URL(c.req.url);
  const params = new URLSearchParams();
  if (c.req.method === "GET" && url.pathname !== SESSION_PATH) params.set("next", `${url.pathname}${url.search}`);
  if (notice) params.set("notice", notice);
  const query = params.toString();
  c.header("cache-control", "no-store");
  return c.redirect(`${SESSION_PATH}/login${query ? `?${query}` : ""}`, 303);
}

type Renderer = (c: AdminContext, kind: "forbidden" | "csrf") => Response | Promise<Response>;
let refusalPage: Renderer = (c) => c.text("Forbidden", 403);

/** The 403 pages (set once by admin.index.ts, which knows the layout). */
export function setRefusalPage(render: Renderer): void {
  refusalPage = render;
}

export const refuse = (c: AdminContext, kind: "forbidden" | "csrf") => refusalPage(c, kind);

function setCookie(c: Context, value: string): void {
  c.header("set-cookie", value, { append: true });
}

export const requireSession = createMiddleware<AdminEnv>(async (c, next) => {
  const basics = requestBasics(c);
  const { tenant } = basics;
  const keys = signingKeys(c as never);
  const options = cookieOptions(c);
  const presented = decodeSession(getCookie(c, SESSION_COOKIE));
  const resumed = presented ? await resumeSession(c.get("database"), keys, presented, tenant.id) : null;
  if (!resumed?.ok || !resumed.user.role) {
    if (getCookie(c, SESSION_COOKIE) !== undefined) setCookie(c, clearSessionCookie(options));
    return toLogin(c, presented ? "expired" : undefined);
  }
  const tokens: SessionTokens = resumed.tokens;
  if (resumed.rotated) setCookie(c, sessionCookie(tokens, options));
  let role: MembershipRole = resumed.user.role;
  const csrf = await csrfToken(keys, csrfSubject("session", tenant.id, tokens.sid));
  c.set("admin", { ...basics, session: { userId: resumed.user.userId, role, csrf, sid: tokens.sid } });

  if (WRITES.has(c.req.method)) {
    const form = await formOf(c);
    if (!sameOrigin(c) || !(await verifyCsrf(keys, csrfSubject("session", tenant.id, tokens.sid), form._csrf))) {
      return refuse(c, "csrf");
    }
    // A rotation just now already proved the family alive and read the role.
    if (!resumed.rotated) {
      const live = await liveSession(c.get("database").http, tokens.refresh, tenant.id);
      if (!live || live.userId !== resumed.user.userId) {
        setCookie(c, clearSessionCookie(options));
        return toLogin(c, "expired");
      }
      role = live.role;
      c.set("admin", { ...basics, session: { userId: resumed.user.userId, role, csrf, sid: tokens.sid } });
    }
  }
  c.set("principal", { userId: resumed.user.userId, tenantId: tenant.id, role, isSuperuser: false, tokenId: resumed.user.tokenId });
  c.header("cache-control", "no-store");
  await next();
});

/** Pages (and their forms) for `minimum` and above: lower roles get the 403 page. */
export function requirePageRole(minimum: MembershipRole) {
  return createMiddleware<AdminEnv>(async (c, next) => {
    const session = c.get("admin")?.session;
    if (!session || !roleAtLeast(session.role, minimum)) return refuse(c, "forbidden");
    await next();
  });
}

/** The signed-in member of a page behind requireSession. */
export function sessionOf(c: AdminContext): NonNullable<AdminRequest["session"]> {
  const session = c.get("admin")?.session;
  if (!session) throw new Error("sessionOf() needs requireSession before it");
  return session;
}
