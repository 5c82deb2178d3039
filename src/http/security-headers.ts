/**
 * Security headers on every response the Worker writes (static files get
 * theirs from public/_headers):
 * - `nosniff` and `Referrer-Policy: no-referrer` everywhere (manage links
 *   carry a token in the URL, so no page may leak its address);
 * - HSTS in production only (dev and tests run on plain http);
 * - a Content-Security-Policy: HTML pages get a fresh nonce per response that
 *   is added to the inline <style>/<script> the layout emits, so nothing else
 *   inline can run; everything else (JSON, problem+json, .ics) gets
 *   `default-src 'none'`, which makes a response opened as a document inert.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./types";

/** Header name shared with src/web/embed.ts (kept here: http must not import web). */
export const FRAME_ANCESTORS_HEADER = "x-bookme-frame-ancestors";

/** Two years; no includeSubDomains: tenants' custom domains may have subdomains we do not serve. */
export const HSTS = "max-age=63072000";

const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The customer pages: only our own nonced inline CSS/JS, same-origin forms, logos from anywhere on the web. */
function pageCsp(nonce: string, frameAncestors = "'none'"): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "img-src 'self' data: https: http:",
    "connect-src 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
    "base-uri 'none'",
  ].join("; ");
}

/**
 * Swagger UI: its code and CSS are our own static files; React sets style
 * attributes at runtime (no nonce can cover those), hence 'unsafe-inline' for
 * styles on this page only; it fetches /api/schema and calls the API.
 */
export const SWAGGER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** Adds the nonce to the bare <style>/<script> tags our layout emits (user text is escaped, so it has none). */
export function addNonce(html: string, nonce: string): string {
  return html.replace(/<(style|script)>/g, `<$1 nonce="${nonce}">`);
}

export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const type = c.res.headers.get("content-type") ?? "";
  // Set by src/web/embed.ts only for a framed booking page whose business allows framing origins.
  const embedders = c.res.headers.get(FRAME_ANCESTORS_HEADER);
  if (embedders !== null) c.res.headers.delete(FRAME_ANCESTORS_HEADER);
  if (type.startsWith("text/html") && !c.res.headers.has("content-security-policy")) {
    const nonce = newNonce();
    c.res = new Response(addNonce(await c.res.text(), nonce), c.res);
    c.res.headers.set("content-security-policy", pageCsp(nonce, embedders ? `'self' ${embedders}` : undefined));
  }
  const headers = c.res.headers;
  if (!headers.has("content-security-policy")) headers.set("content-security-policy", API_CSP);
  headers.set("x-content-type-options", "nosniff");
  if (!headers.has("referrer-policy")) headers.set("referrer-policy", "no-referrer");
  if (c.env.APP_ENV === "production") headers.set("strict-transport-security", HSTS);
});
