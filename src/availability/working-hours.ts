/**
 * Weekly rules and date overrides of one schedule → UTC working intervals.
 *
 * Rules are validated and turned into minute ranges once per schedule; the
 * per-date work is then a lookup plus ZoneClock conversions (see
 * zone-clock.ts for why those are cheap).
 */
import { type ZoneClock, ZoneClocks, assertTimeZone } from "./zone-clock";
import { mergeIntervals } from "./intervals";
import { MAX_ENGINE_DATES, isoWeekday, parseLocalDate, parseLocalTime } from "./local-time";
import type { DateOverride, Interval, LocalRange, WeeklyRule } from "./types";

/** Minutes after local midnight, end in (start, 1440]. */
interface MinuteRange {
  start: number;
  end: number;
}

export interface CompiledSchedule {
  /** Index 1..7 = ISO weekday; index 0 unused. */
  readonly weekly: readonly MinuteRange[][];
  readonly overrides: ReadonlyMap<number, MinuteRange[]>;
}

function toMinuteRange(range: LocalRange, what: string): MinuteRange {
  if (range === null || typeof range !== "object") throw new RangeError(`${what} must be a {start, end} range`);
  const start = parseLocalTime(range.start, `${what}.start`);
  const end = parseLocalTime(range.end, `${what}.end`);
  if (end <= start) throw new RangeError(`${what} must end after it starts (${range.start}-${range.end})`);
  return { start, end };
}

// Overlapping or touching ranges on one date become one, so 09:00-12:00 plus
// 12:00-13:00 is a single shift and an appointment may span the seam.
function normalise(ranges: MinuteRange[]): MinuteRange[] {
  return mergeIntervals(ranges);
}

/**
 * Validates and compiles a schedule; throws RangeError on malformed rules.
 * Several overrides for one date are united rather than rejected: the input
 * comes from stored data and a union is the least surprising reading.
 */
export function compileSchedule(weekly: readonly WeeklyRule[], overrides: readonly DateOverride[], owner: string): CompiledSchedule {
  if (!Array.isArray(weekly)) throw new RangeError(`${owner}.weekly must be an array`);
  if (!Array.isArray(overrides)) throw new RangeError(`${owner}.overrides must be an array`);
  const byWeekday: MinuteRange[][] = [[], [], [], [], [], [], [], []];
  weekly.forEach((rule, i) => {
    const what = `${owner}.weekly[${i}]`;
    if (!Number.isInteger(rule?.weekday) || rule.weekday < 1 || rule.weekday > 7) {
      throw new RangeError(`${what}.weekday must be an ISO weekday 1 (Monday) to 7 (Sunday)`);
    }
    byWeekday[rule.weekday]!.push(toMinuteRange(rule, what));
  });
  const byDate = new Map<number, MinuteRange[]>();
  overrides.forEach((o, i) => {
    const what = `${owner}.overrides[${i}]`;
    const day = parseLocalDate(o?.date, `${what}.date`);
    if (!Array.isArray(o.ranges)) throw new RangeError(`${what}.ranges must be an array ([] for a day off)`);
    const ranges = (o.ranges as LocalRange[]).map((r: LocalRange, k: number) => toMinuteRange(r, `${what}.ranges[${k}]`));
    byDate.set(day, (byDate.get(day) ?? []).concat(ranges));
  });
  for (const [day, ranges] of byDate) byDate.set(day, normalise(ranges));
  return { weekly: byWeekday.map(normalise), overrides: byDate };
}

/** Local minute ranges that apply on `epochDay`: the override if any, else the weekday's rules. */
export function rangesForDate(schedule: CompiledSchedule, epochDay: number): readonly MinuteRange[] {
  return schedule.overrides.get(epochDay) ?? schedule.weekly[isoWeekday(epochDay)]!;
}

/**
 * Working intervals for local dates first..last of `clock`'s zone, merged
 * across dates so an overnight shift (…-24:00 then 00:00-…) is continuous.
 * The clock must have been prepared for first..last.
 */
export function workingIntervals(schedule: CompiledSchedule, clock: ZoneClock, first: number, last: number): Interval[] {
  const out: Interval[] = [];
  let sorted = true;
  for (let d = first; d <= last; d++) {
    const ranges = rangesForDate(schedule, d);
    if (ranges.length === 0) continue;
    const day = clock.day(d);
    for (const r of ranges) {
      const start = clock.boundary(day, r.start);
      const end = clock.boundary(day, r.end);
      // A range lying wholly inside a skipped hour converts to nothing.
      if (end <= start) continue;
      const prev = out[out.length - 1];
      if (prev !== undefined && start >= prev.start && start <= prev.end) {
        if (end > prev.end) prev.end = end;
      } else {
        if (prev !== undefined && start < prev.start) sorted = false;
        out.push({ start, end });
      }
    }
  }
  // Dates and their merged ranges come in order and boundary conversion
  // is monotonic, so the in-line join above is normally the whole job.
  return sorted ? out : mergeIntervals(out);
}

/**
 * Convenience for callers outside the slot engine (calendar views, admin
 * screens): working intervals of a schedule for local dates from..to
 * (inclusive) of its own zone.
 */
export function computeWorkingIntervals(
  schedule: { timeZone: string; weekly: WeeklyRule[]; overrides: DateOverride[] },
  from: string,
  to: string,
): Interval[] {
  assertTimeZone(schedule.timeZone, "timeZone");
  const first = parseLocalDate(from, "from");
  const last = parseLocalDate(to, "to");
  if (first > last) throw new RangeError(`from (${from}) must not be after to (${to})`);
  if (last - first + 1 > MAX_ENGINE_DATES)
    throw new RangeError(`at most ${MAX_ENGINE_DATES} dates can be computed at once (${from}..${to})`);
  const clock = new ZoneClocks().get(schedule.timeZone);
  clock.prepare(first, last);
  return workingIntervals(compileSchedule(schedule.weekly, schedule.overrides, "schedule"), clock, first, last);
}
