/**
 * Errors as pages a person understands, for browser requests outside /api:
 * unknown host, suspended or closed business, invalid or expired manage
 * link, missing page, anything unexpected. The API keeps problem+json.
 */
import type { Context } from "hono";
import { InvalidManageLink } from "../bookings/manage-token";
import { LinkExpired, RateLimited } from "../domain/errors";
import type { ApiError } from "../http/problem";
import { brandingFrom, cachedBranding } from "./branding";
import { withLang } from "./context";
import { chooseLang, messages, type Messages } from "./i18n";
import { Layout, type PageContext } from "./layout";

/** True for a browser asking for a page (not /api, Accept mentions text/html). */
export function wantsHtml(c: Context): boolean {
  const path = c.req.path;
  if (path === "/api" || path.startsWith("/api/") || path === "/health") return false;
  return (c.req.header("accept") ?? "").includes("text/html");
}

type Kind = keyof Messages["errorPages"];

/** Which page: by what was thrown (`cause`) when it says more than the problem code. */
function kindOf(error: ApiError, cause: unknown): Kind {
  if (cause instanceof LinkExpired) return "manageExpired";
  if (cause instanceof InvalidManageLink) return "manageNotFound";
  if (cause instanceof RateLimited && cause.reason === "contact_cap") return "contactCap";
  switch (error.code) {
    case "tenant_not_found":
      return "unknownHost";
    case "tenant_suspended":
      return "suspended";
    case "tenant_archived":
      return "archived";
    case "not_found":
    case "method_not_allowed":
      return "notFound";
    case "rate_limited":
      return "tooMany";
    case "unavailable":
    case "misconfigured":
      return "unavailable";
    default:
      return "generic";
  }
}

export function htmlErrorResponse(c: Context, error: ApiError, requestId?: string, cause?: unknown): Response {
  type TenantLike = { id: string; name: string; locale: string };
  let tenant: TenantLike | null = null;
  try {
    tenant = (c.get("tenant") as TenantLike | null) ?? null;
  } catch {
    tenant = null;
  }
  const { lang } = chooseLang({
    query: c.req.query("lang"),
    cookie: c.req.header("cookie"),
    acceptLanguage: c.req.header("accept-language"),
    fallback: tenant?.locale,
  });
  const m = messages(lang);
  const kind = kindOf(error, cause);
  const [title, text] = m.errorPages[kind];
  const ctx: PageContext = {
    lang,
    m,
    tenantName: tenant?.name ?? "BookMe",
    tenantZone: null,
    branding: (tenant && cachedBranding(tenant.id)) ?? brandingFrom({}),
    hrefFor: (l) => withLang(c.req.url, l),
  };
  const page = (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class="alert info">{text}</p>
      {tenant ? (
        <p>
          <a href={`/?lang=${lang}`}>{m.home}</a>
        </p>
      ) : null}
      {requestId && kind === "generic" ? (
        <p class="note">
          {m.reference}: <code>{requestId}</code>
        </p>
      ) : null}
    </Layout>
  );
  const headers = new Headers(error.headers);
  headers.set("content-type", "text/html; charset=UTF-8");
  headers.set("cache-control", "no-store");
  if (requestId) headers.set("x-request-id", requestId);
  // An expired manage link is a page that is no longer there (404), whatever the API answers (401).
  const status = kind === "manageExpired" ? 404 : error.status;
  return new Response(`<!DOCTYPE html>${page.toString()}`, { status, headers });
}
