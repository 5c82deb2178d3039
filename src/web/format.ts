/**
 * Dates, times, prices and durations for the pages, always through Intl in the
 * page's language and the business's zone (never hand-computed offsets).
 * Formatters are cached: building one costs far more than using it.
 */
import { INTL_LOCALE, type Lang } from "./i18n";

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dtf(lang: Lang, zone: string, kind: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${lang}|${zone}|${kind}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    f = new Intl.DateTimeFormat(INTL_LOCALE[lang], { timeZone: zone, ...options });
    cache.set(key, f);
  }
  return f;
}

function nf(lang: Lang, kind: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${lang}|${kind}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(INTL_LOCALE[lang], options);
    cache.set(key, f);
  }
  return f;
}

/** "14:30" */
export const formatTime = (lang: Lang, zone: string, ms: number) =>
  dtf(lang, zone, "time", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(ms);

/** "02/12/2026 14:30": a compact instant for logs and tables. */
export const formatStamp = (lang: Lang, zone: string, ms: number) =>
  dtf(lang, zone, "stamp", {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(ms);

/** "mardi 2 décembre 2026 à 14:30" (the language's own joining words). */
export const formatDateTime = (lang: Lang, zone: string, ms: number) =>
  dtf(lang, zone, "full", {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(ms);

/** Parts for the date strip: weekday "mar.", day "2", month "déc." of a local date YYYY-MM-DD. */
export function dateParts(lang: Lang, date: string): { weekday: string; day: string; month: string; long: string } {
  // Noon UTC of that calendar date, formatted in UTC: the same calendar day whatever the zone.
  const ms = Date.parse(`${date}T12:00:00Z`);
  return {
    weekday: dtf(lang, "UTC", "wd", { weekday: "short" }).format(ms),
    day: dtf(lang, "UTC", "day", { day: "numeric" }).format(ms),
    month: dtf(lang, "UTC", "mon", { month: "short" }).format(ms),
    long: dtf(lang, "UTC", "long", { weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(ms),
  };
}

export function formatPrice(lang: Lang, minor: number, currency: string): string {
  const whole = minor % 100 === 0;
  return nf(lang, `cur|${currency}|${whole}`, {
    style: "currency",
    currency,
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(minor / 100);
}

export const formatCount = (lang: Lang, n: number) => nf(lang, "int", {}).format(n);

/** "45 min", "1 h 30" style durations, from Intl unit formats. */
export function formatDuration(lang: Lang, minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const mins = nf(lang, "m", { style: "unit", unit: "minute", unitDisplay: "short" });
  if (h === 0) return mins.format(m);
  if (m === 0) return nf(lang, "hl", { style: "unit", unit: "hour", unitDisplay: "long" }).format(h);
  return `${nf(lang, "hs", { style: "unit", unit: "hour", unitDisplay: "short" }).format(h)} ${mins.format(m)}`;
}

/** A city-ish label for an IANA zone: "Casablanca" from Africa/Casablanca. */
export const zoneLabel = (zone: string) => zone.split("/").pop()!.replace(/_/g, " ");
