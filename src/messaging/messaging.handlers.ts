/** HTTP side of messaging: short-link redirects and the WhatsApp webhook (Hono only here; logic in the service). */
import type { Context } from "hono";
import { InvalidManageLink, managePath, signManageToken } from "../bookings/manage-token";
import type { AppEnv } from "../http/types";
import { resolveShortLink } from "../notify/short-links";
import { tenantOf } from "../tenancy/scope";
import { inboundMessagesOf, verifyHubSignature } from "./messaging.service";
import { MAX_WEBHOOK_BYTES } from "./messaging.routes";
import { routeInbound } from "./routing.service";

type Ctx = Context<AppEnv>;

export async function shortLinkRedirect(c: Ctx) {
  const tenant = tenantOf(c);
  const grant = await resolveShortLink(c.get("database").http, tenant.schemaName, c.req.param("code") ?? "");
  if (!grant) throw new InvalidManageLink();
  const { token } = await signManageToken(c.get("config").JWT_SECRET, { tenantId: tenant.id, ...grant });
  c.header("cache-control", "no-store");
  c.header("referrer-policy", "no-referrer");
  return c.redirect(managePath(token), 302);
}

/** Meta's handshake, on the platform host (the app's one webhook URL) and on each business's host alike. */
export function whatsAppVerify(c: Ctx) {
  const expected = c.get("config").WHATSAPP_VERIFY_TOKEN;
  const q = c.req.query();
  if (!expected || q["hub.mode"] !== "subscribe" || q["hub.verify_token"] !== expected) return c.text("forbidden", 403);
  return c.text(q["hub.challenge"] ?? "", 200);
}

/**
 * Inbound messages: the signature is checked once on the raw body, then each
 * message goes to its business (routing.service): by the number it was sent
 * to on the platform host (null tenant), to this business on its own host.
 */
export async function whatsAppInbound(c: Ctx) {
  const host = c.get("tenant");
  const secret = c.get("config").WHATSAPP_APP_SECRET;
  if (!secret) return c.json({ error: "whatsapp_not_configured" }, 503);
  const raw = await c.req.text();
  if (raw.length > MAX_WEBHOOK_BYTES) return c.json({ error: "payload_too_large" }, 413);
  if (!(await verifyHubSignature(secret, raw, c.req.header("x-hub-signature-256")))) return c.json({ error: "bad_signature" }, 401);
  let payload: unknown;
  try {
    payload = JSON.parse(raw);
  } catch {
    return c.json({ error: "bad_json" }, 400);
  }
  const outcomes = await routeInbound(c.get("database").http, inboundMessagesOf(payload), host);
  return c.json({ received: outcomes.length, outcomes }, 200);
}
