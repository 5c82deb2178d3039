/**
 * Sign-in limits that slow guessing down without letting anyone lock an
 * account out (a lock per email was a denial of service: ten wrong passwords
 * from anywhere blocked the right one everywhere).
 *
 * A client WITHOUT a device token for the account (see device-token.ts):
 * - per client address: LOGIN_FAILURES_PER_ADDRESS failed attempts per window;
 * - per (address, account): LOGIN_FAILURES_PER_ADDRESS_ACCOUNT per window;
 * - per account, across addresses: no lock but a growing delay; after
 *   LOGIN_FREE_FAILURES consecutive failures the next attempt waits 1 s, then
 *   2, 4, 8, 16 and at most LOGIN_MAX_DELAY_SECONDS.
 * A client WITH one is never slowed by those; only its own failures count
 * (LOGIN_FAILURES_PER_DEVICE per window, per device id).
 *
 * Every attempt is counted before the password is checked (one statement, so
 * a burst of parallel guesses cannot all slip in before the counters move);
 * a success gives the address its attempt back and clears the rest, so the
 * counters measure failures. An attempt refused with 429 checks no password
 * and does not push the account's delay further.
 */
import { type SQL, sql } from "drizzle-orm";
import { loginThrottle } from "../db/schema/public";
import { columnList, columnName } from "../db/sql";
import { RateLimited } from "../domain/errors";
import { rateLimitCte, type RateLimitRule } from "./rate-limit";

export const LOGIN_WINDOW_SECONDS = 15 * 60;
export const LOGIN_FAILURES_PER_ADDRESS = 30;
export const LOGIN_FAILURES_PER_ADDRESS_ACCOUNT = 10;
export const LOGIN_FAILURES_PER_DEVICE = 10;
export const LOGIN_FREE_FAILURES = 5;
export const LOGIN_MAX_DELAY_SECONDS = 30;

/** Seconds the account waits after its `failures`-th consecutive failure (untrusted clients). */
export function accountDelaySeconds(failures: number): number {
  if (failures < LOGIN_FREE_FAILURES) return 0;
  return Math.min(LOGIN_MAX_DELAY_SECONDS, 2 ** Math.min(failures - LOGIN_FREE_FAILURES, 10));
}

/** The delay after the `n`-th consecutive failure, in SQL (the same rule as `accountDelaySeconds`). */
const delaySql = (n: SQL) =>
  sql`(CASE WHEN ${n} < ${LOGIN_FREE_FAILURES}::int THEN 0
         ELSE least(${LOGIN_MAX_DELAY_SECONDS}::int, power(2, least(${n} - ${LOGIN_FREE_FAILURES}::int, 10))) END)`;

export interface LoginPlan {
  /** Fixed-window counters hit by this attempt. */
  rules: RateLimitRule[];
  /** The account's slow-down row, for untrusted clients only. */
  throttleKey: string | null;
  /** What a success resets. */
  success: { clearKeys: string[]; refundKeys: string[]; clearThrottleKeys: string[] };
}

export function loginPlan(email: string, address: string, deviceId: string | null): LoginPlan {
  const throttle = `login:account:${email}`;
  if (deviceId) {
    const device = `login:device:${deviceId}`;
    return {
      rules: [{ key: device, limit: LOGIN_FAILURES_PER_DEVICE }],
      throttleKey: null,
      success: { clearKeys: [device], refundKeys: [], clearThrottleKeys: [throttle] },
    };
  }
  const perAddress = `login:ip:${address}`;
  const perPair = `login:ip-account:${address}:${email}`;
  return {
    rules: [
      { key: perAddress, limit: LOGIN_FAILURES_PER_ADDRESS },
      { key: perPair, limit: LOGIN_FAILURES_PER_ADDRESS_ACCOUNT },
    ],
    throttleKey: throttle,
    success: { clearKeys: [perPair], refundKeys: [perAddress], clearThrottleKeys: [throttle] },
  };
}

/**
 * CTEs `rl` (the counters) and `thr` (the account's slow-down: one row back
 * when this attempt is admitted, none when it must wait; it only moves when
 * no counter is over its limit). `throttleKey` null = a trusted device.
 */
export function loginLimitsCte(rules: readonly RateLimitRule[], windowSeconds: number, throttleKey: string | null): SQL {
  const t = loginThrottle;
  const key = sql`${throttleKey}::text`;
  return sql`${rateLimitCte(
    rules.map((r) => r.key),
    windowSeconds,
  )},
  thr AS (
    INSERT INTO ${t} (${columnList(t.key, t.failures, t.notBefore)})
    SELECT ${key}, 1, now() + make_interval(secs => ${delaySql(sql`1`)})
     WHERE ${key} IS NOT NULL
       AND NOT EXISTS (
         SELECT 1 FROM rl JOIN unnest(${sql.param(rules.map((r) => r.key))}::text[], ${sql.param(rules.map((r) => r.limit))}::int[]) AS lim(key, n)
           ON lim.key = rl.key
          WHERE rl.hits > lim.n)
    ON CONFLICT (${columnName(t.key)}) DO UPDATE
       SET ${columnName(t.failures)} = ${t.failures} + 1,
           ${columnName(t.notBefore)} = now() + make_interval(secs => ${delaySql(sql`(${t.failures} + 1)`)})
     WHERE ${t.notBefore} <= now()
    RETURNING ${t.failures})`;
}

/** The seconds the account must still wait, read in the same statement (approximate under a concurrent update). */
export function throttleWaitSql(throttleKey: string | null): SQL {
  const t = loginThrottle;
  return sql`(SELECT greatest(1, ceil(extract(epoch FROM ${t.notBefore} - now())))::int
             FROM ${t} WHERE ${t.key} = ${throttleKey}::text)`;
}

export function accountSlowedDown(retryAfter: number | null): RateLimited {
  const seconds = Math.max(1, retryAfter ?? 1);
  return new RateLimited(`Too many failed sign-ins for this account. Try again in ${seconds} seconds.`, seconds);
}
