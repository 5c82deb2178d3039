/** Per-request page context: the language (and remembering it), branding, switcher links. */
import type { Context } from "hono";
import type { AppEnv } from "../http/types";
import type { TenantContext } from "../domain/tenant";
import type { Branding } from "./branding";
import { chooseLang, langCookie, messages, type Lang } from "./i18n";
import type { PageContext } from "./layout";

type Ctx = Context<AppEnv>;

/** The language of this request; sets the cookie when `?lang=` chose it. */
export function langOf(c: Ctx, fallback?: string | null): Lang {
  const choice = chooseLang({
    query: c.req.query("lang"),
    cookie: c.req.header("cookie"),
    acceptLanguage: c.req.header("accept-language"),
    fallback,
  });
  if (choice.explicit) c.header("set-cookie", langCookie(choice.lang));
  c.header("vary", "Cookie, Accept-Language");
  return choice.lang;
}

/** `path?query` of the current request with `lang` replaced. */
export function withLang(url: string, lang: Lang): string {
  const u = new URL(url);
  u.searchParams.set("lang", lang);
  return `${u.pathname}?${u.searchParams.toString()}`;
}

export function pageContext(
  c: Ctx,
  tenant: TenantContext,
  branding: Branding,
  opts: { lang?: Lang; switchUrl?: string } = {},
): PageContext {
  const lang = opts.lang ?? langOf(c, tenant.locale);
  const base = opts.switchUrl ? new URL(opts.switchUrl, c.req.url).toString() : c.req.url;
  return {
    lang,
    m: messages(lang),
    tenantName: tenant.name,
    tenantZone: tenant.timeZone,
    branding,
    hrefFor: (l) => withLang(base, l),
  };
}

/** Absolute origin as the customer reached us (the Host header, scheme of the request). */
export function originOf(c: Ctx): string {
  const url = new URL(c.req.url);
  const host = c.req.header("host") ?? url.host;
  return `${url.protocol}//${host}`;
}

export function html(c: Ctx, body: unknown, status: 200 | 404 | 409 | 422 = 200) {
  c.header("cache-control", "no-store");
  // Manage links carry their token in the URL: never leak it in a Referer (e.g. to the logo's host).
  c.header("referrer-policy", "no-referrer");
  c.header("x-frame-options", "DENY");
  c.header("x-content-type-options", "nosniff");
  return c.html(`<!DOCTYPE html>${String(body)}`, status);
}
