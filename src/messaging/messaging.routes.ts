/**
 * Paths of the messaging feature, served on each tenant's host; the WhatsApp
 * webhook also on the platform host, the one URL Meta calls (not under /api:
 * a phone opens the short link, Meta calls the webhook; neither is a JSON API
 * client, so they stay out of the OpenAPI document).
 *   GET  /m/:code             short manage link → 302 to /manage/<token>
 *   GET  /webhooks/whatsapp   Meta's verify-token handshake (hub.challenge echoed)
 *   POST /webhooks/whatsapp   inbound messages, X-Hub-Signature-256 verified with the app secret
 */
export const SHORT_LINK_PATH = "/m/:code";
export const WHATSAPP_WEBHOOK_PATH = "/webhooks/whatsapp";
/** Meta's payloads are small; anything bigger is refused before it is hashed. */
export const MAX_WEBHOOK_BYTES = 256 * 1024;
