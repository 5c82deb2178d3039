/**
 * Housekeeping for the auth tables, for the scheduled job: drops refresh
 * tokens that expired or were revoked more than a day ago (rotated ones stay
 * until they expire, so a late reuse is still recognised as theft), rate
 * limit and sign-in slow-down rows whose time is long over, and invitations
 * finished a month ago.
 * One statement.
 */
import type { Client } from "@neondatabase/serverless";

export async function pruneAuthTables(
  client: Pick<Client, "query">,
): Promise<{ refreshTokens: number; rateLimits: number; invitations: number }> {
  const { rows } = await client.query(
    `WITH rt AS (
       DELETE FROM "public"."refresh_tokens"
        WHERE expires_at < now() - interval '1 day'
           OR revoked_at < now() - interval '1 day'
        RETURNING 1),
     rl AS (DELETE FROM "public"."rate_limits" WHERE window_start < now() - interval '1 day' RETURNING 1),
     thr AS (DELETE FROM "public"."login_throttle" WHERE not_before < now() - interval '1 day'),
     inv AS (
       DELETE FROM "public"."invitations"
        WHERE coalesce(accepted_at, revoked_at, expires_at) < now() - interval '30 days'
        RETURNING 1)
     SELECT (SELECT count(*) FROM rt)::int AS "refreshTokens", (SELECT count(*) FROM rl)::int AS "rateLimits",
            (SELECT count(*) FROM inv)::int AS invitations`,
  );
  return rows[0] as { refreshTokens: number; rateLimits: number; invitations: number };
}
