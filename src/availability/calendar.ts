/**
 * Business-wide closures and seasonal hours → date overrides of one schedule.
 *
 * Both are stored as local date ranges; the engine only knows weekly rules and
 * date overrides, so they are folded into overrides for the dates a
 * computation reads. Precedence on a date, strongest first:
 *   1. a closure (a holiday closes every staff member, whatever else is set);
 *   2. the staff member's own date override (the most specific choice);
 *   3. seasonal hours covering the date (the latest-starting season wins when
 *      several overlap): its weekly rules for that weekday, none = day off;
 *   4. the weekly rules (no override produced).
 * Dates are local dates of the schedule's zone; the wall times of seasonal
 * rules are converted by the engine's zone clock like any other rule, so a
 * clock change inside the season (Morocco suspends DST during Ramadan) is
 * handled exactly as for weekly hours.
 */
import { formatLocalDate, isoWeekday, MAX_ENGINE_DATES, parseLocalDate } from "./local-time";
import type { DateOverride, WeeklyRule } from "./types";

export interface Closure {
  /** Inclusive local dates. */
  startsOn: string;
  endsOn: string;
}

export interface Season {
  startsOn: string;
  endsOn: string;
  weekly: WeeklyRule[];
}

/**
 * The overrides of a schedule for local dates from..to once closures and
 * seasons are applied; the schedule's own overrides outside from..to are kept
 * unchanged. Throws RangeError on malformed dates (like the engine).
 */
export function applyCalendar(
  own: readonly DateOverride[],
  closures: readonly Closure[],
  seasons: readonly Season[],
  from: string,
  to: string,
): DateOverride[] {
  const first = parseLocalDate(from, "from");
  const last = parseLocalDate(to, "to");
  if (closures.length === 0 && seasons.length === 0) return [...own];
  if (last - first + 1 > MAX_ENGINE_DATES + 8) throw new RangeError(`too many dates (${from}..${to})`);
  const closed = closures.map((c, i) => ({
    first: parseLocalDate(c.startsOn, `closures[${i}].startsOn`),
    last: parseLocalDate(c.endsOn, `closures[${i}].endsOn`),
  }));
  const ranked = seasons
    .map((s, i) => ({
      first: parseLocalDate(s.startsOn, `seasons[${i}].startsOn`),
      last: parseLocalDate(s.endsOn, `seasons[${i}].endsOn`),
      weekly: s.weekly,
    }))
    .sort((a, b) => b.first - a.first);
  const byDate = new Map<string, DateOverride>();
  for (const o of own) byDate.set(o.date, o);
  for (let d = first; d <= last; d++) {
    const date = formatLocalDate(d);
    if (closed.some((c) => c.first <= d && d <= c.last)) {
      byDate.set(date, { date, ranges: [] });
      continue;
    }
    if (byDate.has(date)) continue;
    const season = ranked.find((s) => s.first <= d && d <= s.last);
    if (!season) continue;
    const weekday = isoWeekday(d);
    byDate.set(date, {
      date,
      ranges: season.weekly.filter((r) => r.weekday === weekday).map((r) => ({ start: r.start, end: r.end })),
    });
  }
  return [...byDate.values()];
}
