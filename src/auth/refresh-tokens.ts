/**
 * Refresh tokens: 32 random bytes (base64url) handed to the client once; the
 * database keeps only their SHA-256. Each use rotates the token inside its
 * family; presenting an already rotated token (after a short grace window for
 * racing tabs) is treated as theft and revokes the whole family, including the
 * newest token. Tokens are bound to the
 * audience they were issued for, so a tenant A token is unknown on tenant B.
 */
import { and, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Queryable, rowsOf } from "../db/client";
import { loginThrottle, type MembershipRole, rateLimits, refreshTokens, tenantMemberships, users } from "../db/schema/public";
import { columnList, columnName } from "../db/sql";
import { PLATFORM_AUDIENCE } from "./tokens";

export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function newRefreshToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

export async function hashRefreshToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return base64url(new Uint8Array(digest));
}

/** A well-formed refresh token is 43 base64url characters. */
export const REFRESH_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface IssueOptions {
  userId: string;
  audience: string;
  /** Also reset these rate-limit keys (a successful login clears its failure counters). */
  clearRateLimitKeys?: string[];
  /** Give these counters their attempt back (a success is not a failure). */
  refundRateLimitKeys?: string[];
  /** Delete these sign-in slow-down rows (login-limits.ts). */
  clearThrottleKeys?: string[];
  /** Store this upgraded password hash (login noticed an old iteration count). */
  rehash?: string;
}

/** The tenant id of a tenant audience, null for the platform's. */
const tenantOfAudience = (audience: string) => (audience === PLATFORM_AUDIENCE ? null : audience);

/**
 * `seen AS (UPDATE …)`: the member's last activity on this business, moved
 * forward at most once an hour (sign-ins and renewals are frequent; the team
 * screen only needs the hour). Nothing for the platform audience.
 */
function markSeen(userId: SQL, tenantId: string | null): SQL {
  const m = tenantMemberships;
  return sql`seen AS (
       UPDATE ${m} SET ${columnName(m.lastSeenAt)} = now()
        WHERE ${m.userId} = ${userId} AND ${m.tenantId} = ${tenantId}::uuid
          AND (${m.lastSeenAt} IS NULL OR ${m.lastSeenAt} < now() - make_interval(secs => ${LAST_SEEN_RESOLUTION_SECONDS}::int)))`;
}

/** How stale a member's recorded last activity may be. */
export const LAST_SEEN_RESOLUTION_SECONDS = 60 * 60;

/** Starts a new family; one statement (plus the optional counter reset and rehash). */
export async function issueRefreshToken(db: Queryable, options: IssueOptions): Promise<string> {
  const token = newRefreshToken();
  const rt = refreshTokens;
  await db.execute(sql`WITH ins AS (
       INSERT INTO ${rt} (${columnList(rt.familyId, rt.userId, rt.audience, rt.tokenHash, rt.expiresAt)})
       VALUES (gen_random_uuid(), ${options.userId}::uuid, ${options.audience}, ${await hashRefreshToken(token)},
               now() + make_interval(secs => ${REFRESH_TOKEN_TTL_SECONDS}::int))
       RETURNING ${rt.id}),
     clr AS (DELETE FROM ${rateLimits} WHERE ${rateLimits.key} = ANY(${sql.param(options.clearRateLimitKeys ?? [])}::text[])),
     ref AS (UPDATE ${rateLimits} SET ${columnName(rateLimits.hits)} = greatest(${rateLimits.hits} - 1, 0)
              WHERE ${rateLimits.key} = ANY(${sql.param(options.refundRateLimitKeys ?? [])}::text[])),
     thr AS (DELETE FROM ${loginThrottle} WHERE ${loginThrottle.key} = ANY(${sql.param(options.clearThrottleKeys ?? [])}::text[])),
     rh AS (UPDATE ${users} SET ${columnName(users.passwordHash)} = ${options.rehash ?? null}::text, ${columnName(users.updatedAt)} = now()
             WHERE ${users.id} = ${options.userId}::uuid AND ${options.rehash ?? null}::text IS NOT NULL),
     ${markSeen(sql`${options.userId}::uuid`, tenantOfAudience(options.audience))}
     SELECT id FROM ins`);
  return token;
}

/**
 * How long after a rotation the old token still rotates instead of counting
 * as theft. Two tabs (or a retry after a lost response) refreshing with the
 * same token a moment apart must both get a working pair; a replay later than
 * this still revokes the family. The window counts from the first rotation
 * and never slides.
 */
export const REFRESH_REUSE_GRACE_SECONDS = 20;

export type RotateResult =
  | { ok: true; token: string; userId: string; isSuperuser: boolean; role: MembershipRole | null }
  | { ok: false; reason: "unknown" | "reused" | "revoked" | "expired" | "no_access" };

/**
 * Rotates in one statement. The row lock (`FOR UPDATE`) makes two concurrent
 * uses of the same token serialise: the second sees it rotated and, within
 * REFRESH_REUSE_GRACE_SECONDS of that rotation, gets a sibling token in the
 * same family; later, it revokes the family. On a tenant audience the current membership role is read again,
 * so a changed role takes effect at the next refresh and a removed member
 * cannot refresh at all.
 */
export async function rotateRefreshToken(db: Queryable, token: string, audience: string): Promise<RotateResult> {
  const next = newRefreshToken();
  const tenantId = tenantOfAudience(audience);
  const rt = refreshTokens;
  const t = alias(refreshTokens, "t");
  const u = alias(users, "u");
  const m = alias(tenantMemberships, "m");
  const tenant = sql`${tenantId}::uuid`;
  const rows = await rowsOf<{
    userId: string;
    isSuperuser: boolean;
    reused: boolean;
    revoked: boolean;
    expired: boolean;
    role: MembershipRole | null;
    issued: number;
  }>(
    db,
    sql`WITH cur AS (
       SELECT ${t.id} AS id, ${t.familyId} AS family_id, ${t.userId} AS user_id, ${t.rotatedAt} AS rotated_at,
              ${t.revokedAt} AS revoked_at, ${t.expiresAt} AS expires_at, ${u.isActive} AS is_active, ${u.isSuperuser} AS is_superuser
         FROM ${refreshTokens} t JOIN ${users} u ON ${u.id} = ${t.userId}
        WHERE ${t.tokenHash} = ${await hashRefreshToken(token)} AND ${t.audience} = ${audience}
        FOR UPDATE OF t),
     mem AS (
       SELECT ${m.role} AS role FROM ${tenantMemberships} m, cur
        WHERE ${m.userId} = cur.user_id AND ${m.tenantId} = ${tenant}),
     late AS (
       SELECT cur.* FROM cur
        WHERE rotated_at IS NOT NULL AND rotated_at <= now() - make_interval(secs => ${REFRESH_REUSE_GRACE_SECONDS}::int)),
     reuse AS (
       UPDATE ${rt} SET ${columnName(rt.revokedAt)} = now()
        WHERE ${rt.familyId} IN (SELECT family_id FROM late)
          AND ${rt.revokedAt} IS NULL
        RETURNING ${rt.id}),
     ok AS (
       SELECT cur.* FROM cur
        WHERE NOT EXISTS (SELECT 1 FROM late) AND revoked_at IS NULL AND expires_at > now() AND is_active
          AND (${tenant} IS NULL OR EXISTS (SELECT 1 FROM mem))),
     rot AS (
       UPDATE ${rt} SET ${columnName(rt.rotatedAt)} = now()
        WHERE ${rt.id} IN (SELECT id FROM ok WHERE rotated_at IS NULL) RETURNING ${rt.id}),
     ins AS (
       INSERT INTO ${rt} (${columnList(rt.familyId, rt.userId, rt.audience, rt.tokenHash, rt.expiresAt)})
       SELECT family_id, user_id, ${audience}, ${await hashRefreshToken(next)}, now() + make_interval(secs => ${REFRESH_TOKEN_TTL_SECONDS}::int)
         FROM ok
       RETURNING ${rt.id}),
     ${markSeen(sql`(SELECT user_id FROM ok)`, tenantId)}
     SELECT cur.user_id AS "userId", cur.is_superuser AS "isSuperuser",
            EXISTS (SELECT 1 FROM late) AS reused, cur.revoked_at IS NOT NULL AS revoked,
            cur.expires_at <= now() AS expired,
            (SELECT role FROM mem) AS role,
            (SELECT count(*) FROM ins)::int AS issued
       FROM cur`,
  );
  const row = rows[0];
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revoked) return { ok: false, reason: "revoked" };
  if (row.reused) return { ok: false, reason: "reused" };
  if (row.expired) return { ok: false, reason: "expired" };
  if (row.issued !== 1) return { ok: false, reason: "no_access" };
  return { ok: true, token: next, userId: row.userId, isSuperuser: row.isSuperuser, role: tenantId ? row.role : null };
}

/** Revokes the family of this token (logout). Unknown tokens are ignored. */
export async function revokeFamilyOf(db: Queryable, token: string, audience: string): Promise<number> {
  const rt = refreshTokens;
  const family = db
    .select({ familyId: rt.familyId })
    .from(rt)
    .where(and(eq(rt.tokenHash, await hashRefreshToken(token)), eq(rt.audience, audience)));
  const revoked = await db
    .update(rt)
    .set({ revokedAt: sql`now()` })
    .where(and(isNull(rt.revokedAt), inArray(rt.familyId, family)))
    .returning({ id: rt.id });
  return revoked.length;
}
