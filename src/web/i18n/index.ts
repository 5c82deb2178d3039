/**
 * Languages of the customer pages and how one is chosen: `?lang=` (which the
 * switcher links set, and which is then remembered in a cookie), else the
 * cookie, else the browser's Accept-Language, else the tenant's default
 * (French unless configured otherwise).
 *
 * Formatting goes through Intl in the chosen language. Numerals policy: the
 * Arabic pages use Western (Latin) digits, as Moroccan signage, SMS and
 * phone numbers do: locale `ar-MA` with the `nu-latn` extension, so times,
 * dates, prices and phone numbers read the same on every page and device.
 */
import { LOCALES } from "../../domain/locales";
import { fr } from "./fr";
import { en } from "./en";
import { ar } from "./ar";

export type { Messages } from "./messages";
import type { Messages } from "./messages";
export const LANGS = LOCALES;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = "fr";
export const LANG_COOKIE = "bm_lang";

const DICTIONARIES: Record<Lang, Messages> = { fr, ar, en };

/** BCP 47 tags handed to Intl. */
export const INTL_LOCALE: Record<Lang, string> = {
  fr: "fr-MA",
  ar: "ar-MA-u-nu-latn",
  en: "en-GB",
};

export const messages = (lang: Lang): Messages => DICTIONARIES[lang];
export const isLang = (value: unknown): value is Lang => typeof value === "string" && (LANGS as readonly string[]).includes(value);

/** The best of our languages for an Accept-Language header, or null. */
export function fromAcceptLanguage(header: string | null | undefined): Lang | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { base: tag.trim().toLowerCase().split("-")[0], q: q === undefined ? 1 : Number(q), index };
    })
    .filter((x) => x.q > 0 && !Number.isNaN(x.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { base } of ranked) if (isLang(base)) return base;
  return null;
}

export function readCookie(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export interface LangChoice {
  lang: Lang;
  /** True when `?lang=` asked for it: the response should remember it in the cookie. */
  explicit: boolean;
}

export function chooseLang(input: {
  query?: string | null;
  cookie?: string | null;
  acceptLanguage?: string | null;
  fallback?: string | null;
}): LangChoice {
  if (isLang(input.query)) return { lang: input.query, explicit: true };
  const cookie = readCookie(input.cookie, LANG_COOKIE);
  if (isLang(cookie)) return { lang: cookie, explicit: false };
  const accepted = fromAcceptLanguage(input.acceptLanguage);
  if (accepted) return { lang: accepted, explicit: false };
  return { lang: isLang(input.fallback) ? input.fallback : DEFAULT_LANG, explicit: false };
}

export const langCookie = (lang: Lang) => `${LANG_COOKIE}=${lang}; Path=/; Max-Age=31536000; SameSite=Lax`;
