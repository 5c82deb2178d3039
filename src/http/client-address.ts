/**
 * The client address that per-address limits count against. Cloudflare's edge
 * always sets `CF-Connecting-IP` (and overwrites a client-supplied one), so in
 * production it is present; without it (local dev, tests, a request that did
 * not come through the edge) every such client shares the one bucket `local`,
 * which fails closed rather than letting a missing header escape the limits.
 * An IPv6 client usually owns a whole /64, so it counts as one address.
 */
import type { Context } from "hono";
import type { AppEnv } from "./types";

export const UNKNOWN_ADDRESS = "local";

export function clientAddress(c: Context<AppEnv>): string {
  const value = c.req.header("cf-connecting-ip")?.trim().toLowerCase();
  if (!value) return UNKNOWN_ADDRESS;
  return value.includes(":") ? ipv6Prefix(value) : value.slice(0, 64);
}

/** The first four groups (/64) of an IPv6 address, `::` expanded; anything unparsable is kept as given (bounded). */
export function ipv6Prefix(address: string): string {
  const bare = address.split("%")[0];
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(bare);
  if (mapped) return mapped[1];
  const halves = bare.split("::");
  if (halves.length > 2) return bare.slice(0, 64);
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return bare.slice(0, 64);
  const groups = [...head, ...Array<string>(missing).fill("0"), ...tail];
  if (!groups.slice(0, 4).every((g) => /^[0-9a-f]{1,4}$/.test(g))) return bare.slice(0, 64);
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
