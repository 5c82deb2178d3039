/**
 * Housekeeping for the auth tables, for the scheduled job: drops refresh
 * tokens that expired or were revoked more than a day ago (rotated ones stay
 * until they expire, so a late reuse is still recognised as theft), rate
 * limit and sign-in slow-down rows whose time is long over, and invitations
 * finished a month ago.
 * One statement (HTTP or a connection, whichever the caller holds).
 */
import type { Client } from "@neondatabase/serverless";
import { sql } from "drizzle-orm";
import { type Queryable, queryableOf, rowsOf } from "../db/client";
import { invitations, loginThrottle, rateLimits, refreshTokens } from "../db/schema/public";

export async function pruneAuthTables(
  handle: Queryable | Client,
): Promise<{ refreshTokens: number; rateLimits: number; invitations: number }> {
  const rt = refreshTokens;
  const inv = invitations;
  const rows = await rowsOf<{ refreshTokens: number; rateLimits: number; invitations: number }>(
    queryableOf(handle),
    sql`WITH rt AS (
       DELETE FROM ${rt}
        WHERE ${rt.expiresAt} < now() - interval '1 day'
           OR ${rt.revokedAt} < now() - interval '1 day'
        RETURNING 1),
     rl AS (DELETE FROM ${rateLimits} WHERE ${rateLimits.windowStart} < now() - interval '1 day' RETURNING 1),
     thr AS (DELETE FROM ${loginThrottle} WHERE ${loginThrottle.notBefore} < now() - interval '1 day'),
     inv AS (
       DELETE FROM ${inv}
        WHERE coalesce(${inv.acceptedAt}, ${inv.revokedAt}, ${inv.expiresAt}) < now() - interval '30 days'
        RETURNING 1)
     SELECT (SELECT count(*) FROM rt)::int AS "refreshTokens", (SELECT count(*) FROM rl)::int AS "rateLimits",
            (SELECT count(*) FROM inv)::int AS invitations`,
  );
  return rows[0]!;
}
