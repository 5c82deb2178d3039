/**
 * Fixed-window rate limits kept in Postgres (`public.rate_limits`, one row per
 * key), so they hold across isolates and run the same under miniflare. An
 * attempt is one upsert for all its keys; the counters come back with the
 * seconds left in the window, which become `Retry-After`.
 */
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
 * A CTE named `rl` that counts one hit for each key in `$keysParam` (a text[])
 * in the window of `$windowParam` seconds. Compose it into a larger statement
 * so counting costs no extra round trip.
 */
export function rateLimitCte(keysParam: string, windowParam: string): string {
  return `rl AS (
    INSERT INTO "public"."rate_limits" AS r (key, window_start, hits)
    SELECT k, to_timestamp(floor(extract(epoch FROM now()) / ${windowParam}::int) * ${windowParam}::int), 1
      FROM unnest(${keysParam}::text[]) AS k
    ON CONFLICT (key) DO UPDATE
      SET hits = CASE WHEN r.window_start = EXCLUDED.window_start THEN r.hits + 1 ELSE 1 END,
          window_start = EXCLUDED.window_start
    RETURNING key, hits,
      greatest(1, ceil(extract(epoch FROM (window_start + make_interval(secs => ${windowParam}::int) - now()))))::int AS "retryAfter")`;
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

/** Standalone check (one statement) for places that do not compose the CTE. */
export async function hitRateLimits(
  client: { query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }> },
  rules: RateLimitRule[],
  windowSeconds = DEFAULT_WINDOW_SECONDS,
  what?: string,
): Promise<void> {
  const { rows } = await client.query(`WITH ${rateLimitCte("$1", "$2")} SELECT key, hits, "retryAfter" FROM rl`, [
    rules.map((r) => r.key),
    windowSeconds,
  ]);
  enforce(rules, rows as RateLimitHit[], what);
}
