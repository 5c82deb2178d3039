/**
 * Sign-in and sign-out of the back office. Forms before sign-in carry a CSRF
 * token bound to the pre-session cookie; sign-out is a form behind
 * requireSession (its CSRF token is the session's).
 */
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import {
  ADMIN_DEVICE_COOKIE,
  adminDeviceCookie,
  clearSessionCookie,
  csrfSubject,
  csrfToken,
  decodeSession,
  PRE_SESSION_COOKIE,
  preSessionCookie,
  randomId,
  SESSION_COOKIE,
  safeNext,
  sessionCookie,
  signIn,
  signOut,
  verifyCsrf,
} from "../auth/sessions";
import { signingKeys } from "../auth/signing-keys";
import { verifyAccessToken } from "../auth/tokens";
import { emailProblem } from "../domain/contact";
import { NotAuthenticated, RateLimited } from "../domain/errors";
import { clientAddress } from "../http/client-address";
import { LoginPage } from "./auth.pages";
import { adminHtml } from "./layout";
import { type AdminContext, cookieOptions, formOf, refuse, requestBasics, sameOrigin } from "./session";

const str = (v: unknown, max = 512) => (typeof v === "string" ? v.slice(0, max) : "");

/** The pre-session nonce (from its cookie, or a new one set on this response) and the form token bound to it. */
export async function preSessionCsrf(c: AdminContext): Promise<string> {
  let nonce = getCookie(c, PRE_SESSION_COOKIE);
  if (!nonce || !/^[A-Za-z0-9_-]{22}$/.test(nonce)) {
    nonce = randomId();
    c.header("set-cookie", preSessionCookie(nonce, cookieOptions(c)), { append: true });
  }
  return csrfToken(signingKeys(c as never), csrfSubject("pre", requestBasics(c).tenant.id, nonce));
}

/** True when a form before sign-in carries the token of this browser's pre-session cookie. */
export async function preSessionFormOk(c: AdminContext, form: Record<string, unknown>): Promise<boolean> {
  const nonce = getCookie(c, PRE_SESSION_COOKIE);
  if (!nonce || !sameOrigin(c)) return false;
  return verifyCsrf(signingKeys(c as never), csrfSubject("pre", requestBasics(c).tenant.id, nonce), form._csrf);
}

function noticeText(c: Context, m: ReturnType<typeof requestBasics>["m"]): string | null {
  switch (c.req.query("notice")) {
    case "expired":
      return m.signIn.expired;
    case "signed_out":
      return m.signIn.signedOut;
    case "reset":
      return m.signIn.resetDone;
    default:
      return null;
  }
}

export async function loginPage(c: AdminContext) {
  const req = requestBasics(c);
  // Already signed in here (a valid access part; no database): go on to the page asked for.
  const current = decodeSession(getCookie(c, SESSION_COOKIE));
  if (
    current &&
    (await verifyAccessToken(signingKeys(c as never), current.access, req.tenant.id).then(
      (claims) => claims.role !== null,
      () => false,
    ))
  ) {
    c.header("cache-control", "no-store");
    return c.redirect(safeNext(c.req.query("next")), 303);
  }
  const csrf = await preSessionCsrf(c);
  return adminHtml(c, <LoginPage req={req} csrf={csrf} next={safeNext(c.req.query("next"))} notice={noticeText(c, req.m)} />);
}

export async function loginPost(c: AdminContext) {
  const req = requestBasics(c);
  const form = await formOf(c);
  if (!(await preSessionFormOk(c, form))) return refuse(c, "csrf");
  const csrf = await preSessionCsrf(c);
  const email = str(form.email, 320).trim().toLowerCase();
  const password = str(form.password, 1024);
  const next = safeNext(form.next);
  const again = (error: string, status: 401 | 422 | 429) =>
    adminHtml(c, <LoginPage req={req} csrf={csrf} next={next} email={email} error={error} />, status as 422);
  if (!email || !password) return again(req.m.signIn.missing, 422);
  if (emailProblem(email)) return again(req.m.signIn.wrong, 401);
  try {
    const { tokens, deviceToken } = await signIn(c.get("database"), signingKeys(c as never), {
      email,
      password,
      deviceToken: getCookie(c, ADMIN_DEVICE_COOKIE),
      address: clientAddress(c as never),
      tenantId: req.tenant.id,
      audience: req.tenant.id,
    });
    const options = cookieOptions(c);
    c.header("set-cookie", sessionCookie(tokens, options), { append: true });
    c.header("set-cookie", adminDeviceCookie(deviceToken, options), { append: true });
    c.header("cache-control", "no-store");
    return c.redirect(next, 303);
  } catch (error) {
    if (error instanceof NotAuthenticated) return again(req.m.signIn.wrong, 401);
    if (error instanceof RateLimited) {
      c.header("retry-after", String(error.retryAfterSeconds));
      return again(req.m.signIn.tooMany(error.retryAfterSeconds), 429);
    }
    throw error;
  }
}

/** Behind requireSession (so the CSRF token was checked): revokes the family, forgets the cookie. */
export async function logoutPost(c: AdminContext) {
  const tokens = decodeSession(getCookie(c, SESSION_COOKIE));
  if (tokens) await signOut(c.get("database"), tokens, requestBasics(c).tenant.id);
  c.header("set-cookie", clearSessionCookie(cookieOptions(c)), { append: true });
  c.header("cache-control", "no-store");
  return c.redirect("/admin/login?notice=signed_out", 303);
}
