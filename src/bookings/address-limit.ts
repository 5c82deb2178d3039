/**
 * Slot hoarding, per client address: public booking creation (the API and the
 * booking form) goes through the Workers rate-limiting binding
 * `BOOKING_LIMITER` (wrangler.toml: 10 per 60 s), keyed by business and
 * address. Its counters live in each Cloudflare location and are approximate,
 * which fits a burst limit that costs no database round trip; the hard limit
 * is the database cap per contact (contact-cap.ts).
 */
import type { Context } from "hono";
import { clientAddress } from "../http/client-address";
import { RateLimited } from "../domain/errors";
import type { AppEnv } from "../http/types";
import { tenantOf } from "../tenancy/scope";

/** The binding's period (wrangler.toml `[ratelimits.simple] period`): the longest a refused client waits. */
export const BOOKING_LIMIT_PERIOD_SECONDS = 60;

export async function limitBookingsPerAddress(c: Context<AppEnv>): Promise<void> {
  const limiter = c.env.BOOKING_LIMITER;
  // Deployments without the binding (and any Worker built without it) skip only this burst limit.
  if (!limiter) return;
  const { success } = await limiter.limit({ key: `${tenantOf(c).id}:${clientAddress(c)}` });
  if (success) return;
  throw new RateLimited(
    `Too many bookings from this network. Try again in ${BOOKING_LIMIT_PERIOD_SECONDS} seconds.`,
    BOOKING_LIMIT_PERIOD_SECONDS,
    "address_limit",
  );
}
