/**
 * Wall-clock rendering of instants for API responses. Intl (built into
 * workerd) reads the zone database, so no offset is ever computed by hand;
 * one formatter per zone is cached because building one costs far more than
 * using it, and a 62-day availability answer formats hundreds of slots.
 */
import { iso as wireIso } from "../http/json";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** `YYYY-MM-DDTHH:MM` of `ms` on the wall clock of `zone`. */
export function localDateTime(ms: number, zone: string): string {
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(ms)) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The local date `YYYY-MM-DD` of `ms` in `zone`. */
export function localDate(ms: number, zone: string): string {
  return localDateTime(ms, zone).slice(0, 10);
}

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` → epoch day (UTC calendar arithmetic on dates only, no zones). */
export function epochDay(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

export function addDays(date: string, days: number): string {
  return new Date((epochDay(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** A padded UTC window certainly covering local dates from..to in any zone (offsets stay within ±14 h). */
export function coveringWindow(from: string, to: string): { fromMs: number; toMs: number } {
  return { fromMs: (epochDay(from) - 2) * DAY_MS, toMs: (epochDay(to) + 3) * DAY_MS };
}

/** An instant (epoch ms) as it goes on the wire: the one ISO 8601 UTC format of src/http/json.ts. */
export const iso = (ms: number): string => wireIso(ms)!;
