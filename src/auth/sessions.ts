/**
 * Browser sessions of the back office (/admin), on top of the API's sign-in
 * (auth.service.ts): the same login rules (limits, device token, password
 * check) and the same token pair, kept in ONE cookie instead of handed to a
 * script.
 *
 * Cookie `bm_admin` = `<sid>.<refresh token>.<access JWT>`:
 *  - the access JWT (15 min, audience = the tenant id) proves who is calling
 *    without the database on every page;
 *  - when it has expired, the opaque refresh token is rotated in its family
 *    (one statement) and the cookie re-set: a revoked family (logout, password
 *    reset, reuse) ends the session at that point;
 *  - `sid` is 16 random bytes chosen at sign-in and kept across rotations: the
 *    CSRF token of the session is HMAC(signing key, tenant id + sid), so a
 *    form rendered before a rotation still posts after it.
 * The cookie is HttpOnly, SameSite=Lax, Path=/admin, host-only (no Domain), Secure
 * outside development. A cookie copied to another business's host fails both
 * checks there: the JWT's audience and the refresh token's audience.
 *
 * Forms before sign-in (login, forgotten password, reset, invitation) carry a
 * CSRF token bound to a random pre-session cookie (`bm_admin_pre`) instead.
 */
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { LazyDatabase, Queryable } from "../db/client";
import { refreshTokens, tenantMemberships, users, type MembershipRole } from "../db/schema/public";
import { NotAuthenticated } from "../domain/errors";
import * as auth from "./auth.service";
import { DEVICE_TOKEN_TTL_SECONDS } from "./device-token";
import { hashRefreshToken, REFRESH_TOKEN_PATTERN, REFRESH_TOKEN_TTL_SECONDS } from "./refresh-tokens";
import { InvalidToken, PLATFORM_AUDIENCE, verifyAccessToken, type SigningKeys } from "./tokens";

export const SESSION_COOKIE = "bm_admin";
export const PRE_SESSION_COOKIE = "bm_admin_pre";
export const ADMIN_DEVICE_COOKIE = "bm_admin_device";
export const SESSION_PATH = "/admin";

export interface SessionTokens {
  sid: string;
  refresh: string;
  access: string;
}

const SID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const JWT_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export const randomId = () => base64url(crypto.getRandomValues(new Uint8Array(16)));

export function encodeSession(tokens: SessionTokens): string {
  return `${tokens.sid}.${tokens.refresh}.${tokens.access}`;
}

/** The three parts of a session cookie, or null when it is not one of ours. */
export function decodeSession(value: string | undefined | null): SessionTokens | null {
  if (!value || value.length > 2048) return null;
  const first = value.indexOf(".");
  const second = value.indexOf(".", first + 1);
  if (first < 0 || second < 0) return null;
  const tokens = { sid: value.slice(0, first), refresh: value.slice(first + 1, second), access: value.slice(second + 1) };
  if (!SID_PATTERN.test(tokens.sid) || !REFRESH_TOKEN_PATTERN.test(tokens.refresh) || !JWT_PATTERN.test(tokens.access)) return null;
  return tokens;
}

export interface CookieOptions {
  /** False in development only (plain http on *.localhost). */
  secure: boolean;
}

function cookie(name: string, value: string, maxAge: number, options: CookieOptions, sameSite = "Lax"): string {
  return `${name}=${value}; Max-Age=${maxAge}; Path=${SESSION_PATH}; HttpOnly;${options.secure ? " Secure;" : ""} SameSite=${sameSite}`;
}

/** Lives as long as the refresh token; re-set (sliding) at every rotation. */
export const sessionCookie = (tokens: SessionTokens, options: CookieOptions) =>
  cookie(SESSION_COOKIE, encodeSession(tokens), REFRESH_TOKEN_TTL_SECONDS, options);
export const clearSessionCookie = (options: CookieOptions) => cookie(SESSION_COOKIE, "", 0, options);
export const preSessionCookie = (nonce: string, options: CookieOptions) => cookie(PRE_SESSION_COOKIE, nonce, 24 * 60 * 60, options);
export const adminDeviceCookie = (token: string, options: CookieOptions) =>
  cookie(ADMIN_DEVICE_COOKIE, token, DEVICE_TOKEN_TTL_SECONDS, options, "Strict");

export interface SessionUser {
  userId: string;
  role: MembershipRole | null;
  isSuperuser: boolean;
  tokenId: string;
}

/** Signs in with the API's rules; the session's tokens and the device token to remember. */
export async function signIn(database: LazyDatabase, keys: SigningKeys, attempt: auth.LoginAttempt) {
  const { pair, deviceToken } = await auth.login(database.http, keys, attempt);
  const tokens: SessionTokens = { sid: randomId(), refresh: pair.refresh_token, access: pair.access_token };
  return { tokens, deviceToken, role: pair.role };
}

export type Resumed = { ok: true; user: SessionUser; tokens: SessionTokens; rotated: boolean } | { ok: false; reason: "invalid" | "ended" };

/**
 * The session of this cookie on this host (`audience` = the tenant id): the
 * access JWT when it is still valid (no database), else one rotation of the
 * refresh token (one statement). `ended` = the refresh token is unknown here,
 * expired, revoked or reused: sign in again.
 */
export async function resumeSession(database: LazyDatabase, keys: SigningKeys, tokens: SessionTokens, audience: string): Promise<Resumed> {
  try {
    const claims = await verifyAccessToken(keys, tokens.access, audience);
    return {
      ok: true,
      user: { userId: claims.userId, role: claims.role, isSuperuser: claims.isSuperuser, tokenId: claims.tokenId },
      tokens,
      rotated: false,
    };
  } catch (error) {
    if (!(error instanceof InvalidToken)) throw error;
  }
  try {
    const pair = await auth.refresh(database.http, keys, tokens.refresh, audience);
    const next = { sid: tokens.sid, refresh: pair.refresh_token, access: pair.access_token };
    const claims = await verifyAccessToken(keys, next.access, audience);
    return {
      ok: true,
      user: { userId: claims.userId, role: claims.role, isSuperuser: claims.isSuperuser, tokenId: claims.tokenId },
      tokens: next,
      rotated: true,
    };
  } catch (error) {
    if (error instanceof NotAuthenticated || error instanceof InvalidToken) return { ok: false, reason: "ended" };
    throw error;
  }
}

/**
 * Is the session's family still alive, and the member's role now? One
 * statement, run before every change a form asks for, so a signed-out or
 * reset session cannot change anything even while its access JWT lasts, and a
 * demoted member acts with the new role at once.
 */
export async function liveSession(
  db: Queryable,
  refreshToken: string,
  audience: string,
): Promise<{ userId: string; role: MembershipRole } | null> {
  const rows = await db
    .select({ userId: refreshTokens.userId, role: tenantMemberships.role })
    .from(refreshTokens)
    .innerJoin(users, eq(users.id, refreshTokens.userId))
    .innerJoin(
      tenantMemberships,
      and(eq(tenantMemberships.userId, refreshTokens.userId), eq(tenantMemberships.tenantId, sql`${audience}::uuid`)),
    )
    .where(
      and(
        eq(refreshTokens.tokenHash, await hashRefreshToken(refreshToken)),
        eq(refreshTokens.audience, audience),
        isNull(refreshTokens.revokedAt),
        gt(refreshTokens.expiresAt, sql`now()`),
        eq(users.isActive, true),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

/**
 * The platform console's counterpart of `liveSession`: the family is alive on
 * the platform audience and its user is still an active superuser. One statement.
 */
export async function livePlatformSession(db: Queryable, refreshToken: string): Promise<{ userId: string } | null> {
  const rows = await db
    .select({ userId: refreshTokens.userId })
    .from(refreshTokens)
    .innerJoin(users, eq(users.id, refreshTokens.userId))
    .where(
      and(
        eq(refreshTokens.tokenHash, await hashRefreshToken(refreshToken)),
        eq(refreshTokens.audience, PLATFORM_AUDIENCE),
        isNull(refreshTokens.revokedAt),
        gt(refreshTokens.expiresAt, sql`now()`),
        eq(users.isActive, true),
        eq(users.isSuperuser, true),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

/** Logout: revokes the refresh token's whole family. */
export async function signOut(database: LazyDatabase, tokens: SessionTokens, audience: string): Promise<void> {
  await auth.logout(database.http, tokens.refresh, audience);
}

// --- CSRF -------------------------------------------------------------------

const encoder = new TextEncoder();
const hmacKeys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(`bookme/admin-csrf/v1:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    hmacKeys.set(secret, key);
  }
  return key;
}

async function mac(secret: string, message: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(message))));
}

/** `session:<tenant>:<sid>` for a signed-in form, `pre:<tenant>:<nonce>` before sign-in. */
export const csrfSubject = (kind: "session" | "pre", audience: string, id: string) => `${kind}:${audience}:${id}`;

export function csrfToken(keys: SigningKeys, subject: string): Promise<string> {
  return mac(keys.current, subject);
}

/** Constant-time check against the current key and, during a rotation, the previous one. */
export async function verifyCsrf(keys: SigningKeys, subject: string, token: unknown): Promise<boolean> {
  if (typeof token !== "string" || token.length !== 43) return false;
  let ok = false;
  for (const secret of [keys.current, keys.previous]) {
    if (!secret) continue;
    const expected = await mac(secret, subject);
    let diff = 0;
    for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ token.charCodeAt(i);
    ok = ok || diff === 0;
  }
  return ok;
}

/**
 * Where to go after signing in: a path on this host under /admin only
 * (`next=//evil.com`, `https://…`, `/\evil`, `/api/…` all fall back to /admin).
 */
export function safeNext(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.length > 1024) return SESSION_PATH;
  if (next.startsWith("//") || next.includes("\\") || /[\u0000-\u001f\u007f]/.test(next)) return SESSION_PATH;
  let url: URL;
  try {
    url = new URL(next, "https://host.invalid");
  } catch {
    return SESSION_PATH;
  }
  if (url.origin !== "https://host.invalid") return SESSION_PATH;
  if (url.pathname !== SESSION_PATH && !url.pathname.startsWith(`${SESSION_PATH}/`)) return SESSION_PATH;
  if (url.pathname.startsWith(`${SESSION_PATH}/login`) || url.pathname.startsWith(`${SESSION_PATH}/logout`)) return SESSION_PATH;
  return `${url.pathname}${url.search}`;
}
