/**
 * Password reset by an emailed link, for members of a business (the back
 * office's "forgot password").
 *
 * The link carries a JWT (`typ: bookme-reset+jwt`, audience
 * `password-reset:<tenant id>`, subject the user, 1 hour) signed with a key
 * derived from JWT_SECRET for this purpose only, and `pwv`: a fingerprint
 * (first 128 bits of SHA-256) of the password hash at the time it was sent.
 * Setting the password compares that fingerprint in the same UPDATE, so the
 * link works once: afterwards the hash (new salt) no longer matches, and two
 * concurrent uses cannot both pass. Any other password change also voids
 * older links. The same statement revokes every refresh token of the user
 * (every session, every device).
 *
 * Asking for a link costs three HTTP statements (the limits, the member
 * lookup, the outbox row; two when there is no such member); the page
 * answers the same whether the account exists or not.
 */
import { and, eq, sql } from "drizzle-orm";
import { errors, jwtVerify, SignJWT } from "jose";
import { type Queryable, rowsOf } from "../db/client";
import { rateLimits, refreshTokens, tenantMemberships, users } from "../db/schema/public";
import { tenantTables } from "../db/schema/tenant";
import { InvalidLink, LinkExpired } from "../domain/errors";
import type { TenantContext } from "../domain/tenant";
import { assertStrongPassword, hashPassword } from "./passwords";
import { enforce, type RateLimitRule } from "./rate-limit";
import { ISSUER, type SigningKeys } from "./tokens";

export const RESET_TTL_SECONDS = 60 * 60;
export const RESET_REQUESTS_PER_EMAIL = 3;
export const RESET_REQUESTS_PER_ADDRESS = 20;
const RESET_WINDOW_SECONDS = 60 * 60;
const TYP = "bookme-reset+jwt";
const encoder = new TextEncoder();
const derived = new Map<string, Uint8Array>();

async function resetKey(secret: string): Promise<Uint8Array> {
  let key = derived.get(secret);
  if (!key) {
    const hmac = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    key = new Uint8Array(await crypto.subtle.sign("HMAC", hmac, encoder.encode("bookme/password-reset/v1")));
    derived.set(secret, key);
  }
  return key;
}

export const resetAudience = (tenantId: string) => `password-reset:${tenantId}`;

/** The fingerprint SQL computes: left(hex(sha256(password_hash)), 32); '' for no password. */
export async function passwordFingerprint(passwordHash: string | null): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(passwordHash ?? "")));
  return Array.from(digest.slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}

const fingerprintSql = sql`left(encode(sha256(convert_to(coalesce(${users.passwordHash}, ''), 'UTF8')), 'hex'), 32)`;

export async function signResetToken(
  keys: SigningKeys,
  input: { userId: string; tenantId: string; passwordHash: string | null },
  ttlSeconds = RESET_TTL_SECONDS,
): Promise<string> {
  return new SignJWT({ pwv: await passwordFingerprint(input.passwordHash) })
    .setProtectedHeader({ alg: "HS256", typ: TYP })
    .setIssuer(ISSUER)
    .setAudience(resetAudience(input.tenantId))
    .setSubject(input.userId)
    .setJti(crypto.randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(await resetKey(keys.current));
}

/** The user and fingerprint of a reset link for this tenant; LinkExpired after its hour, InvalidLink for anything else. */
export async function verifyResetToken(keys: SigningKeys, token: string, tenantId: string): Promise<{ userId: string; pwv: string }> {
  if (typeof token !== "string" || token.length > 2048) throw new InvalidLink("This reset link is not valid.");
  for (const secret of [keys.current, keys.previous]) {
    if (!secret) continue;
    try {
      const { payload } = await jwtVerify(token, await resetKey(secret), {
        issuer: ISSUER,
        audience: resetAudience(tenantId),
        algorithms: ["HS256"],
        typ: TYP,
        requiredClaims: ["sub", "exp", "jti"],
      });
      if (typeof payload.pwv !== "string" || !/^[0-9a-f]{32}$/.test(payload.pwv)) break;
      return { userId: payload.sub!, pwv: payload.pwv };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new LinkExpired("This reset link has expired.");
    }
  }
  throw new InvalidLink("This reset link is not valid.");
}

/** Counts one hit on each key (fixed window); throws RateLimited above a limit. One statement. */
async function hitLimits(db: Queryable, rules: RateLimitRule[], windowSeconds: number): Promise<void> {
  const windowStart = sql`to_timestamp(floor(extract(epoch FROM now()) / ${windowSeconds}::int) * ${windowSeconds}::int)`;
  const hits = await db
    .insert(rateLimits)
    .values(rules.map((r) => ({ key: r.key, windowStart, hits: 1 })))
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        hits: sql`CASE WHEN ${rateLimits.windowStart} = excluded.window_start THEN ${rateLimits.hits} + 1 ELSE 1 END`,
        windowStart: sql`excluded.window_start`,
      },
    })
    .returning({
      key: rateLimits.key,
      hits: rateLimits.hits,
      retryAfter: sql<number>`greatest(1, ceil(extract(epoch FROM (${rateLimits.windowStart} + make_interval(secs => ${windowSeconds}::int) - now()))))::int`,
    });
  enforce(
    rules,
    hits.map((h) => ({ ...h, retryAfter: Number(h.retryAfter) })),
    "password reset requests",
  );
}

/**
 * Queues a reset email when `email` is an active member of this business
 * (nothing otherwise; the caller answers the same either way). The link
 * opens `<origin>/admin/password/reset?token=…`.
 */
export async function requestPasswordReset(
  db: Queryable,
  keys: SigningKeys,
  tenant: Pick<TenantContext, "id" | "schemaName">,
  origin: string,
  input: { email: string; address: string },
): Promise<{ queued: boolean }> {
  await hitLimits(
    db,
    [
      { key: `reset:ip:${input.address}`, limit: RESET_REQUESTS_PER_ADDRESS },
      { key: `reset:account:${input.email}`, limit: RESET_REQUESTS_PER_EMAIL },
    ],
    RESET_WINDOW_SECONDS,
  );
  const found = await db
    .select({ id: users.id, email: users.email, passwordHash: users.passwordHash, locale: users.locale })
    .from(users)
    .innerJoin(tenantMemberships, and(eq(tenantMemberships.userId, users.id), eq(tenantMemberships.tenantId, tenant.id)))
    .where(and(eq(users.email, input.email), eq(users.isActive, true)))
    .limit(1);
  const user = found[0];
  if (!user) return { queued: false };
  const token = await signResetToken(keys, { userId: user.id, tenantId: tenant.id, passwordHash: user.passwordHash });
  const t = tenantTables(tenant.schemaName);
  await db
    .insert(t.notifications)
    .values({
      channel: "email",
      kind: "password_reset",
      dedupeKey: `password-reset:${crypto.randomUUID()}`,
      recipient: user.email,
      locale: user.locale,
      payload: { reset_url: `${origin}/admin/password/reset?token=${encodeURIComponent(token)}` },
      // A reset link is useless after its hour: do not keep retrying past it.
      maxAttempts: 3,
    })
    .onConflictDoNothing();
  return { queued: true };
}

/** True when the link is valid here and still unused (one statement; the page shows the form only then). */
export async function resetLinkUsable(db: Queryable, keys: SigningKeys, tenantId: string, token: string): Promise<boolean> {
  let claims: { userId: string; pwv: string };
  try {
    claims = await verifyResetToken(keys, token, tenantId);
  } catch (error) {
    if (error instanceof InvalidLink || error instanceof LinkExpired) return false;
    throw error;
  }
  const found = await db
    .select({ fingerprint: sql<string>`${fingerprintSql}` })
    .from(users)
    .innerJoin(tenantMemberships, and(eq(tenantMemberships.userId, users.id), eq(tenantMemberships.tenantId, tenantId)))
    .where(and(eq(users.id, claims.userId), eq(users.isActive, true)))
    .limit(1);
  return found[0]?.fingerprint === claims.pwv;
}

/**
 * Sets the new password if the link is still unused, and revokes every
 * session of the user, in one statement. Returns the account's email.
 */
export async function resetPassword(
  db: Queryable,
  keys: SigningKeys,
  tenantId: string,
  token: string,
  newPassword: string,
): Promise<{ email: string }> {
  const { userId, pwv } = await verifyResetToken(keys, token, tenantId);
  const found = await db
    .select({ email: users.email, fingerprint: sql<string>`${fingerprintSql}` })
    .from(users)
    .innerJoin(tenantMemberships, and(eq(tenantMemberships.userId, users.id), eq(tenantMemberships.tenantId, tenantId)))
    .where(and(eq(users.id, userId), eq(users.isActive, true)))
    .limit(1);
  const user = found[0];
  if (!user || user.fingerprint !== pwv) throw new InvalidLink("This reset link was already used.");
  assertStrongPassword(newPassword, user.email, "password");
  const hash = await hashPassword(newPassword);
  const updated = await rowsOf<{ email: string }>(
    db,
    sql`
    WITH u AS (
      UPDATE ${users} SET ${sql.identifier(users.passwordHash.name)} = ${hash}, ${sql.identifier(users.updatedAt.name)} = now()
       WHERE ${users.id} = ${userId}::uuid AND ${users.isActive} AND ${fingerprintSql} = ${pwv}
       RETURNING ${users.id}, ${users.email}),
    r AS (
      UPDATE ${refreshTokens} SET ${sql.identifier(refreshTokens.revokedAt.name)} = now()
       WHERE ${refreshTokens.userId} IN (SELECT id FROM u) AND ${refreshTokens.revokedAt} IS NULL)
    SELECT email FROM u`,
  );
  const row = updated[0];
  if (!row) throw new InvalidLink("This reset link was already used.");
  return { email: row.email };
}
