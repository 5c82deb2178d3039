/**
 * The other pages before sign-in: forgotten password (an emailed link through
 * the tenant's outbox), the new-password page that link opens, and the
 * invitation page (set a password, or give the existing account's, then land
 * in /admin signed in). Each form carries the pre-session CSRF token.
 */
import { and, eq, isNotNull } from "drizzle-orm";
import { getCookie } from "hono/cookie";
import { InvalidInvitation, verifyInvitation } from "../auth/invitations";
import { requestPasswordReset, resetLinkUsable, resetPassword } from "../auth/password-reset";
import { ADMIN_DEVICE_COOKIE, adminDeviceCookie, sessionCookie, signIn } from "../auth/sessions";
import { signingKeys } from "../auth/signing-keys";
import { publicOrigin } from "../bookings/manage-token";
import { users } from "../db/schema/public";
import { emailProblem } from "../domain/contact";
import { Conflict, InvalidInput, InvalidLink, LinkExpired, NotAuthenticated, RateLimited } from "../domain/errors";
import { clientAddress } from "../http/client-address";
import { accept } from "../team/invitations.service";
import { preSessionCsrf, preSessionFormOk } from "./auth.handlers";
import { ForgotPage, InvitationPage, ResetPage } from "./auth.pages";
import { adminHtml } from "./layout";
import { type AdminContext, cookieOptions, formOf, refuse, requestBasics } from "./session";

const str = (v: unknown, max = 4096) => (typeof v === "string" ? v.slice(0, max) : "");
const keysOf = (c: AdminContext) => signingKeys(c as never);

function tooMany(c: AdminContext, error: RateLimited, m: ReturnType<typeof requestBasics>["m"]): string {
  c.header("retry-after", String(error.retryAfterSeconds));
  return m.signIn.tooMany(error.retryAfterSeconds);
}

// --- forgotten password ------------------------------------------------------

export async function forgotPage(c: AdminContext) {
  const req = requestBasics(c);
  return adminHtml(c, <ForgotPage req={req} csrf={await preSessionCsrf(c)} />);
}

export async function forgotPost(c: AdminContext) {
  const req = requestBasics(c);
  const form = await formOf(c);
  if (!(await preSessionFormOk(c, form))) return refuse(c, "csrf");
  const csrf = await preSessionCsrf(c);
  const email = str(form.email, 320).trim().toLowerCase();
  if (!email || emailProblem(email)) {
    return adminHtml(c, <ForgotPage req={req} csrf={csrf} email={email} error={req.m.signIn.missing} />, 422);
  }
  const host = new URL(c.req.url).hostname;
  try {
    await requestPasswordReset(c.get("database").http, keysOf(c), req.tenant, publicOrigin(host, c.get("config").PUBLIC_URL_TEMPLATE), {
      email,
      address: clientAddress(c as never),
    });
  } catch (error) {
    if (!(error instanceof RateLimited)) throw error;
    return adminHtml(c, <ForgotPage req={req} csrf={csrf} email={email} error={tooMany(c, error, req.m)} />, 429);
  }
  return adminHtml(c, <ForgotPage req={req} csrf={csrf} sent />);
}

// --- new password from the link ---------------------------------------------

export async function resetPage(c: AdminContext) {
  const req = requestBasics(c);
  const csrf = await preSessionCsrf(c);
  const token = str(c.req.query("token"));
  const valid = (await resetLinkUsable(c.get("database").http, keysOf(c), req.tenant.id, token)) ? token : null;
  return adminHtml(c, <ResetPage req={req} csrf={csrf} token={valid} />, valid ? 200 : 404, { secretUrl: true });
}

export async function resetPost(c: AdminContext) {
  const req = requestBasics(c);
  const form = await formOf(c);
  if (!(await preSessionFormOk(c, form))) return refuse(c, "csrf");
  const csrf = await preSessionCsrf(c);
  const token = str(form.token);
  const password = str(form.password, 1024);
  const again = (props: { error?: string; passwordError?: string }, status: 404 | 422) =>
    adminHtml(c, <ResetPage req={req} csrf={csrf} token={status === 404 ? null : token} {...props} />, status, { secretUrl: true });
  if (password !== str(form.confirm, 1024)) return again({ passwordError: req.m.reset.mismatch }, 422);
  try {
    await resetPassword(c.get("database").http, keysOf(c), req.tenant.id, token, password);
  } catch (error) {
    if (error instanceof InvalidLink || error instanceof LinkExpired) return again({}, 404);
    if (error instanceof InvalidInput) return again({ passwordError: `${req.m.weakPassword} ${req.m.passwordRule}` }, 422);
    throw error;
  }
  c.header("cache-control", "no-store");
  return c.redirect("/admin/login?notice=reset", 303);
}

// --- invitation ----------------------------------------------------------------

/** The link in invitation emails (src/auth/invitations.ts acceptUrl) opens the page here. */
export function legacyInvitationLink(c: AdminContext) {
  const token = str(c.req.query("token"));
  c.header("referrer-policy", "no-referrer");
  return c.redirect(`/admin/invitation?token=${encodeURIComponent(token)}`, 303);
}

async function invitationOf(c: AdminContext, token: string) {
  const req = requestBasics(c);
  let email: string;
  try {
    ({ email } = await verifyInvitation(keysOf(c), token, req.tenant.id));
  } catch (error) {
    if (error instanceof InvalidInvitation) return null;
    throw error;
  }
  const found = await c
    .get("database")
    .http.select({ id: users.id })
    .from(users)
    .where(and(eq(users.email, email), isNotNull(users.passwordHash)))
    .limit(1);
  return { token, email, hasAccount: found.length > 0 };
}

export async function invitationPage(c: AdminContext) {
  const req = requestBasics(c);
  const csrf = await preSessionCsrf(c);
  const invitation = await invitationOf(c, str(c.req.query("token")));
  return adminHtml(c, <InvitationPage req={req} csrf={csrf} invitation={invitation} />, invitation ? 200 : 404, { secretUrl: true });
}

export async function invitationPost(c: AdminContext) {
  const req = requestBasics(c);
  const form = await formOf(c);
  if (!(await preSessionFormOk(c, form))) return refuse(c, "csrf");
  const csrf = await preSessionCsrf(c);
  const token = str(form.token);
  const password = str(form.password, 1024);
  const name = str(form.name, 120).trim();
  const invitation = await invitationOf(c, token);
  const again = (props: { error?: string; passwordError?: string }, status: 404 | 401 | 422 | 429) =>
    adminHtml(
      c,
      <InvitationPage req={req} csrf={csrf} invitation={status === 404 ? null : invitation} name={name} {...props} />,
      status as 422,
      { secretUrl: true },
    );
  if (!invitation) return again({}, 404);
  let email: string;
  try {
    const accepted = await accept(c.get("database").http, keysOf(c), req.tenant.id, {
      token,
      password,
      displayName: name || undefined,
    });
    email = accepted.user.email;
  } catch (error) {
    if (error instanceof InvalidLink || error instanceof Conflict) return again({}, 404);
    if (error instanceof NotAuthenticated) return again({ passwordError: req.m.invitation.wrongPassword }, 401);
    if (error instanceof InvalidInput) return again({ passwordError: `${req.m.weakPassword} ${req.m.passwordRule}` }, 422);
    if (error instanceof RateLimited) return again({ error: tooMany(c, error, req.m) }, 429);
    throw error;
  }
  // Joined: sign in with the password just given, and land in the back office.
  const { tokens, deviceToken } = await signIn(c.get("database"), keysOf(c), {
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
  return c.redirect("/admin", 303);
}
