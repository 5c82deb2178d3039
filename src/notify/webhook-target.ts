/**
 * Where a webhook may be delivered in production (SSRF guard).
 *
 * Refused: loopback, private (RFC 1918, unique-local), carrier-grade NAT,
 * link-local (which holds the cloud metadata address 169.254.169.254),
 * unspecified, multicast, reserved and documentation addresses, IPv6 forms
 * that embed one of those IPv4 addresses, and the names `localhost`,
 * `*.localhost`, `*.internal` (metadata.google.internal…) and `*.local`.
 *
 * Only the URL itself can be checked: a Worker cannot resolve DNS on its own
 * before `fetch`, so a public name whose DNS answer is a private address is
 * not caught here. That is acceptable on Workers because their `fetch` leaves
 * from Cloudflare's edge, which has no route into our (or a customer's)
 * private network; the check matters for IP literals and well-known internal
 * names, and for any future runtime with a private network behind it.
 */

type Range = [base: number[], bits: number];

const V4_BLOCKED: Range[] = [
  [[0, 0, 0, 0], 8], // "this network", unspecified
  [[10, 0, 0, 0], 8],
  [[100, 64, 0, 0], 10], // carrier-grade NAT (also Alibaba's metadata 100.100.100.200)
  [[127, 0, 0, 0], 8],
  [[169, 254, 0, 0], 16], // link-local, cloud metadata
  [[172, 16, 0, 0], 12],
  [[192, 0, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2, 0], 24], // documentation
  [[192, 88, 99, 0], 24], // 6to4 relay anycast
  [[192, 168, 0, 0], 16],
  [[198, 18, 0, 0], 15], // benchmarking
  [[198, 51, 100, 0], 24],
  [[203, 0, 113, 0], 24],
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved, broadcast
];

/** IPv6 ranges as 16-bit groups. */
const V6_BLOCKED: Range[] = [
  [[0, 0, 0, 0, 0, 0, 0, 0], 128], // ::
  [[0, 0, 0, 0, 0, 0, 0, 1], 128], // ::1
  [[0xfc00, 0, 0, 0, 0, 0, 0, 0], 7], // unique local (AWS metadata fd00:ec2::254)
  [[0xfe80, 0, 0, 0, 0, 0, 0, 0], 10], // link-local
  [[0xfec0, 0, 0, 0, 0, 0, 0, 0], 10], // site-local (deprecated)
  [[0xff00, 0, 0, 0, 0, 0, 0, 0], 8], // multicast
  [[0x2001, 0x0db8, 0, 0, 0, 0, 0, 0], 32], // documentation
  [[0x0100, 0, 0, 0, 0, 0, 0, 0], 64], // discard-only
];

function inRange(addr: number[], [base, bits]: Range, width: number): boolean {
  for (let i = 0; i < addr.length && bits > 0; i++, bits -= width) {
    const take = Math.min(width, bits);
    const mask = ((1 << take) - 1) << (width - take);
    if ((addr[i]! & mask) !== (base[i]! & mask)) return false;
  }
  return true;
}

/** WHATWG URL has already canonicalised IPv4 (0x7f.1 → 127.0.0.1, 2130706433 → 127.0.0.1). */
function parseV4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

/** "[::ffff:7f00:1]" → eight 16-bit groups (URL canonicalises to compressed hex, dotted tails included). */
function parseV6(host: string): number[] | null {
  if (!host.startsWith("[") || !host.endsWith("]")) return null;
  let text = host.slice(1, -1).toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const p = parseV4(v4[1]!);
    if (!p) return null;
    text = `${text.slice(0, -v4[1]!.length)}${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head, tail, extra] = text.split("::");
  if (extra !== undefined) return null;
  const left = head ? head.split(":") : [];
  const right = tail === undefined ? [] : tail ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  if ((tail === undefined && missing !== 0) || missing < 0) return null;
  const groups = [...left, ...Array(tail === undefined ? 0 : missing).fill("0"), ...right].map((g) =>
    /^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN,
  );
  return groups.length === 8 && groups.every(Number.isFinite) ? groups : null;
}

/** The IPv4 address an IPv6 address carries (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::/96), if any. */
function embeddedV4(g: number[]): number[] | null {
  const tail = [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff];
  const zeros5 = g.slice(0, 5).every((x) => x === 0);
  if (zeros5 && (g[5] === 0xffff || g[5] === 0)) return tail;
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return tail;
  return null;
}

const BLOCKED_NAMES = /(^|\.)(localhost|internal|local)$/;
const INTERNAL_NAME = "an internal host name";

/** Why `hostname` (as `new URL(...).hostname` gives it) must not receive webhooks, or null. */
export function blockedHostReason(hostname: string): string | null {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  const v4 = parseV4(host);
  if (v4) return V4_BLOCKED.some((r) => inRange(v4, r, 8)) ? "a private, loopback, link-local or reserved address" : null;
  if (host.startsWith("[")) {
    const v6 = parseV6(host);
    if (!v6) return "an unreadable IPv6 address";
    const inner = embeddedV4(v6);
    if (inner && V4_BLOCKED.some((r) => inRange(inner, r, 8))) return "a private, loopback, link-local or reserved address";
    return V6_BLOCKED.some((r) => inRange(v6, r, 16)) ? "a private, loopback, link-local or reserved address" : null;
  }
  if (BLOCKED_NAMES.test(host)) return INTERNAL_NAME;
  return null;
}

/** Why a URL was refused, as a stable code (screens word it in their language) with the API's English sentence. */
export type WebhookUrlCode = "not_absolute" | "credentials" | "private_address" | "internal_name" | "not_https";
export interface WebhookUrlIssue {
  code: WebhookUrlCode;
  message: string;
}

/**
 * Deliveries go to HTTPS only; plain http to the local machine is allowed in
 * test and development so the capture sink can receive them. In production
 * internal targets are refused (SSRF, blockedHostReason above); the delivery
 * repeats that check for rows stored before it existed.
 */
export function webhookUrlIssue(raw: string, appEnv: string): WebhookUrlIssue | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { code: "not_absolute", message: "Must be an absolute URL." };
  }
  if (url.username || url.password) return { code: "credentials", message: "Must not contain credentials." };
  if (url.protocol === "https:") {
    const blocked = appEnv === "production" ? blockedHostReason(url.hostname) : null;
    if (!blocked) return null;
    return { code: blocked === INTERNAL_NAME ? "internal_name" : "private_address", message: `Must be a public address, not ${blocked}.` };
  }
  const local = url.hostname === "127.0.0.1" || url.hostname === "localhost";
  if (url.protocol === "http:" && local && (appEnv === "test" || appEnv === "development")) return null;
  return { code: "not_https", message: "Must be an https:// URL." };
}

export const webhookUrlProblem = (raw: string, appEnv: string): string | null => webhookUrlIssue(raw, appEnv)?.message ?? null;
