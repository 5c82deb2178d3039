/**
 * Refresh tokens: 32 random bytes (base64url) handed to the client once; the
 * database keeps only their SHA-256. Each use rotates the token inside its
 * family; presenting an already rotated token (after a short grace window for
 * racing tabs) is treated as theft and revokes the whole family, including the
 * newest token. Tokens are bound to the
 * audience they were issued for, so a tenant A token is unknown on tenant B.
 */
import type { Client } from "@neondatabase/serverless";
import type { MembershipRole } from "../db/schema/public";

type Queryable = Pick<Client, "query">;

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

/** Starts a new family; one statement (plus the optional counter reset and rehash). */
export async function issueRefreshToken(db: Queryable, options: IssueOptions): Promise<string> {
  const token = newRefreshToken();
  await db.query(
    `WITH ins AS (
       INSERT INTO "public"."refresh_tokens" (family_id, user_id, audience, token_hash, expires_at)
       VALUES (gen_random_uuid(), $1, $2, $3, now() + make_interval(secs => $4::int)) RETURNING id),
     clr AS (DELETE FROM "public"."rate_limits" WHERE key = ANY($5::text[])),
     ref AS (UPDATE "public"."rate_limits" SET hits = greatest(hits - 1, 0) WHERE key = ANY($7::text[])),
     thr AS (DELETE FROM "public"."login_throttle" WHERE key = ANY($8::text[])),
     rh AS (UPDATE "public"."users" SET password_hash = $6, updated_at = now() WHERE id = $1 AND $6::text IS NOT NULL)
     SELECT id FROM ins`,
    [
      options.userId,
      options.audience,
      await hashRefreshToken(token),
      REFRESH_TOKEN_TTL_SECONDS,
      options.clearRateLimitKeys ?? [],
      options.rehash ?? null,
      options.refundRateLimitKeys ?? [],
      options.clearThrottleKeys ?? [],
    ],
  );
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
  const tenantId = audience === "platform" ? null : audience;
  const { rows } = await db.query(
    `WITH cur AS (
       SELECT t.id, t.family_id, t.user_id, t.rotated_at, t.revoked_at, t.expires_at, u.is_active, u.is_superuser
         FROM "public"."refresh_tokens" t JOIN "public"."users" u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.audience = $2
        FOR UPDATE OF t),
     mem AS (
       SELECT m.role FROM "public"."tenant_memberships" m, cur
        WHERE m.user_id = cur.user_id AND m.tenant_id = $3::uuid),
     late AS (
       SELECT cur.* FROM cur WHERE rotated_at IS NOT NULL AND rotated_at <= now() - make_interval(secs => $6::int)),
     reuse AS (
       UPDATE "public"."refresh_tokens" SET revoked_at = now()
        WHERE family_id IN (SELECT family_id FROM late)
          AND revoked_at IS NULL
        RETURNING id),
     ok AS (
       SELECT cur.* FROM cur
        WHERE NOT EXISTS (SELECT 1 FROM late) AND revoked_at IS NULL AND expires_at > now() AND is_active
          AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM mem))),
     rot AS (
       UPDATE "public"."refresh_tokens" SET rotated_at = now() WHERE id IN (SELECT id FROM ok WHERE rotated_at IS NULL) RETURNING id),
     ins AS (
       INSERT INTO "public"."refresh_tokens" (family_id, user_id, audience, token_hash, expires_at)
       SELECT family_id, user_id, $2, $4, now() + make_interval(secs => $5::int) FROM ok
       RETURNING id)
     SELECT cur.user_id AS "userId", cur.is_superuser AS "isSuperuser",
            EXISTS (SELECT 1 FROM late) AS reused, cur.revoked_at IS NOT NULL AS revoked,
            cur.expires_at <= now() AS expired,
            (SELECT role FROM mem) AS role,
            (SELECT count(*) FROM ins)::int AS issued
       FROM cur`,
    [
      await hashRefreshToken(token),
      audience,
      tenantId,
      await hashRefreshToken(next),
      REFRESH_TOKEN_TTL_SECONDS,
      REFRESH_REUSE_GRACE_SECONDS,
    ],
  );
  const row = rows[0] as
    | {
        userId: string;
        isSuperuser: boolean;
        reused: boolean;
        revoked: boolean;
        expired: boolean;
        role: MembershipRole | null;
        issued: number;
      }
    | undefined;
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revoked) return { ok: false, reason: "revoked" };
  if (row.reused) return { ok: false, reason: "reused" };
  if (row.expired) return { ok: false, reason: "expired" };
  if (row.issued !== 1) return { ok: false, reason: "no_access" };
  return { ok: true, token: next, userId: row.userId, isSuperuser: row.isSuperuser, role: tenantId ? row.role : null };
}

/** Revokes the family of this token (logout). Unknown tokens are ignored. */
export async function revokeFamilyOf(db: Queryable, token: string, audience: string): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE "public"."refresh_tokens" SET revoked_at = now()
      WHERE revoked_at IS NULL
        AND family_id = (SELECT family_id FROM "public"."refresh_tokens" WHERE token_hash = $1 AND audience = $2)`,
    [await hashRefreshToken(token), audience],
  );
  return rowCount ?? 0;
}
