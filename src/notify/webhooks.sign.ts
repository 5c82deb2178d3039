/**
 * Webhook signing (HMAC-SHA256 with WebCrypto, so it runs in Workers and Node).
 *
 * Every delivery carries
 *   X-BookMe-Event: booking.created            (the body's `type`)
 *   X-BookMe-Delivery: <notification id>       (stable across retries: dedupe on it)
 *   X-BookMe-Signature: t=<unix seconds>,v1=<hex>
 * where hex = HMAC-SHA256(key = the endpoint secret as UTF-8 bytes, whole
 * string including the `whsec_` prefix, message = "<t>.<raw body>").
 *
 * To verify (receiver side): read the RAW body bytes (before any JSON parse),
 * split the header on "," into t= and v1=, recompute the HMAC over
 * `${t}.${rawBody}`, compare it to v1 in constant time, and reject when
 * |now - t| > 300 s (replay window).
 */

const encoder = new TextEncoder();

function toHex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toHex(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
}

export async function signatureHeader(secret: string, body: string, timestampSec: number): Promise<string> {
  const t = Math.floor(timestampSec);
  return `t=${t},v1=${await hmacHex(secret, `${t}.${body}`)}`;
}

/** `whsec_` + 32 random bytes in hex: shown to the tenant once, at creation. */
export function generateWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}
