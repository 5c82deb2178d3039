/**
 * Fixed-window rate limits kept in Postgres (`public.rate_limits`, one row per
 * key), so they hold across isolates and run the same under miniflare. An
 * attempt is one upsert for all its keys; the counters come back with the
 * seconds left in the window, which become `Retry-After`.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "../db/client";
import { rateLimits } from "../db/schema/public";
import { columnList, columnName } from "../db/sql";
import { RateLimited } from "../domain/errors";

export interface RateLimitRule {
  key: string;
  limit: number;
}

/** The window of the password-change counter (and the default of `hitRateLimits`). */
export const DEFAULT_WINDOW_SECONDS = 15 * 60;

export interface RateLimitHit {
  key: string;
  hits: number;
  retryAfter: number;
}

/**
 * A CTE named `rl` (columns key, hits, "retryAfter") that counts one hit for
 * each of `keys` in a window of `windowSeconds`. Compose it into a larger
 * statement so counting costs no extra round trip.
 */
export function rateLimitCte(keys: readonly string[], windowSeconds: number): SQL {
  const r = rateLimits;
  const window = sql`${windowSeconds}::int`;
  return sql`rl AS (
    INSERT INTO ${r} (${columnList(r.key, r.windowStart, r.hits)})
    SELECT k, to_timestamp(floor(extract(epoch FROM now()) / ${window}) * ${window}), 1
      FROM unnest(${sql.param(keys)}::text[]) AS k
    ON CONFLICT (${columnName(r.key)}) DO UPDATE
      SET ${columnName(r.hits)} = CASE WHEN ${r.windowStart} = EXCLUDED.${columnName(r.windowStart)} THEN ${r.hits} + 1 ELSE 1 END,
          ${columnName(r.windowStart)} = EXCLUDED.${columnName(r.windowStart)}
    RETURNING ${r.key} AS key, ${r.hits} AS hits,
      greatest(1, ceil(extract(epoch FROM (${r.windowStart} + make_interval(secs => ${window}) - now()))))::int AS "retryAfter")`;
}

/** Throws RateLimited (429 with `Retry-After`) if any counter went over its limit. */
export function enforce(rules: RateLimitRule[], hits: RateLimitHit[] | null, what = "sign-in attempts"): void {
  let retryAfter = 0;
  for (const hit of hits ?? []) {
    const rule = rules.find((r) => r.key === hit.key);
    if (rule && hit.hits > rule.limit) retryAfter = Math.max(retryAfter, hit.retryAfter);
  }
  if (retryAfter > 0) {
    throw new RateLimited(`Too many ${what}. Try again in ${retryAfter} seconds.`, retryAfter);
  }
}

/** The counters as one JSON array (null when no key): for a statement that also reads other things. */
export const rateLimitHitsJson = sql`(SELECT json_agg(rl) FROM rl)`;

/** Standalone check (one statement) for places that do not compose the CTE. */
export async function hitRateLimits(
  db: Queryable,
  rules: RateLimitRule[],
  windowSeconds = DEFAULT_WINDOW_SECONDS,
  what?: string,
): Promise<void> {
  const rows = await rowsOf<RateLimitHit>(
    db,
    sql`WITH ${rateLimitCte(
      rules.map((r) => r.key),
      windowSeconds,
    )} SELECT key, hits, "retryAfter" FROM rl`,
  );
  enforce(rules, rows, what);
}
