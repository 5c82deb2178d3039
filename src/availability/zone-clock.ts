/**
 * Per-zone, per-local-date mapping between wall-clock times and instants.
 *
 * All zone knowledge comes from Temporal. The cost model drives the design:
 * a Temporal call costs 10-40 µs in the polyfill, a month of 15-minute
 * candidates is ~3000 wall times and a month of 20 staff schedules ~1200
 * range boundaries, against a budget of a few ms. So Temporal is asked for
 * the first instant of a run of dates and for the offset transitions in it
 * (plus the first instant of each date a transition touches), and the wall
 * times inside a date are then derived as follows:
 *
 * - A "uniform" date (no offset transition inside [start, nextStart) and
 *   exactly 24 h long) starts at 00:00 and its wall clock advances in step
 *   with real time, so wall time w maps to start + w. That is exactly what
 *   Temporal returns for every w in [00:00, 24:00]; zone-clock.test.ts checks
 *   this against Temporal across several zones.
 * - Any other date is split at the transitions Temporal reports into
 *   segments, each anchored at an instant whose wall clock Temporal read for
 *   us. Inside a segment the wall clock again advances with real time.
 *
 * No UTC offset is ever computed or read here; only instants and the wall
 * clocks Temporal reports for them.
 */
import { Temporal } from "temporal-polyfill";
import { DAY_MS, MINUTE_MS, MINUTES_PER_DAY, civilFromEpochDay, epochDayFromCivil, formatLocalDate, parseLocalDate } from "./local-time";

/** A stretch of real time in which the wall clock advances without jumps. */
interface Segment {
  fromMs: number;
  toMs: number;
  /** Wall clock at fromMs, as ms after midnight of the DayClock's date (may be < 0 or >= 1 day). */
  wallAtFromMs: number;
}

export interface DayClock {
  readonly epochDay: number;
  /** First instant of the local date. */
  readonly startMs: number;
  /** First instant of the next local date. */
  readonly endMs: number;
  /** null for a uniform date (see file comment). */
  readonly segments: readonly Segment[] | null;
}

/** Throws a RangeError unless `zone` is a time zone Temporal knows. */
export function assertTimeZone(zone: unknown, what: string): asserts zone is string {
  if (typeof zone === "string" && zone !== "") {
    try {
      Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(zone);
      return;
    } catch {
      // fall through to the uniform message
    }
  }
  throw new RangeError(`${what} must be a known IANA time zone, got ${JSON.stringify(zone)}`);
}

/**
 * An IANA zone name (`Area/City`, `UTC`) that the engine accepts. Input
 * validation elsewhere uses this, so every zone the API stores is one the
 * slot engine can compute with; fixed offsets like "+01:00" are refused.
 */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== "string" || !/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    assertTimeZone(zone, "zone");
    return true;
  } catch {
    return false;
  }
}

/** Local date (as epoch day) of an instant in `zone`. */
export function localEpochDayOf(zone: string, epochMs: number): number {
  const z = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(zone);
  return epochDayFromCivil(z.year, z.month, z.day);
}

function wallMsRelativeTo(z: Temporal.ZonedDateTime, epochDay: number): number {
  return (
    (epochDayFromCivil(z.year, z.month, z.day) - epochDay) * DAY_MS +
    z.hour * 3_600_000 +
    z.minute * MINUTE_MS +
    z.second * 1000 +
    z.millisecond
  );
}

/**
 * Day clocks of one zone. Built once per computeSlots call and shared by
 * every schedule in that zone, so 20 staff in the tenant's zone cost the same
 * Temporal work as one.
 */
export class ZoneClock {
  private readonly days = new Map<number, DayClock>();
  private readonly compatibleCache = new Map<number, number>();

  constructor(readonly zone: string) {}

  /** Makes day(d) available for every d in [first, last]; only missing dates are built. */
  prepare(first: number, last: number): void {
    let lo = first;
    while (lo <= last && this.days.has(lo)) lo++;
    let hi = last;
    while (hi >= lo && this.days.has(hi)) hi--;
    if (lo <= hi) this.build(lo, hi);
  }

  private startOfDay(epochDay: number): Temporal.ZonedDateTime {
    const { year, month, day } = civilFromEpochDay(epochDay);
    return new Temporal.PlainDate(year, month, day).toZonedDateTime(this.zone);
  }

  /**
   * Temporal is asked for the first instant of `first` and for the zone's
   * transitions; a date with no transition in [start, start + 24 h] starts
   * at 00:00 and ends 24 h later at the next 00:00, so only dates touched by
   * a transition need Temporal again.
   */
  private build(first: number, last: number): void {
    let startZdt: Temporal.ZonedDateTime | null = this.startOfDay(first);
    let start = startZdt.epochMilliseconds;
    // Searching from just before the first instant also catches a transition
    // at that instant (zones whose clocks skip midnight).
    let next: Temporal.ZonedDateTime | null = Temporal.Instant.fromEpochMilliseconds(start - 1)
      .toZonedDateTimeISO(this.zone)
      .getTimeZoneTransition("next");

    for (let epochDay = first; epochDay <= last; epochDay++) {
      while (next !== null && next.epochMilliseconds < start) next = next.getTimeZoneTransition("next");
      if (next === null || next.epochMilliseconds > start + DAY_MS) {
        this.days.set(epochDay, { epochDay, startMs: start, endMs: start + DAY_MS, segments: null });
        start += DAY_MS;
        startZdt = null; // its wall clock is 00:00 by the argument above
        continue;
      }

      const endZdt = this.startOfDay(epochDay + 1);
      const end = endZdt.epochMilliseconds;
      const anchors = [{ ms: start, wall: startZdt === null ? 0 : wallMsRelativeTo(startZdt, epochDay) }];
      while (next !== null && next.epochMilliseconds < end) {
        anchors.push({ ms: next.epochMilliseconds, wall: wallMsRelativeTo(next, epochDay) });
        next = next.getTimeZoneTransition("next");
      }
      let segments: Segment[] | null = null;
      // A transition exactly at the next date's first instant leaves this
      // date uniform.
      if (anchors.length > 1 || end - start !== DAY_MS || anchors[0]!.wall !== 0) {
        segments = [];
        for (let k = 0; k < anchors.length; k++) {
          const toMs = k + 1 < anchors.length ? anchors[k + 1]!.ms : end;
          if (toMs > anchors[k]!.ms) segments.push({ fromMs: anchors[k]!.ms, toMs, wallAtFromMs: anchors[k]!.wall });
        }
      }
      this.days.set(epochDay, { epochDay, startMs: start, endMs: end, segments });
      start = end;
      startZdt = endZdt;
    }
  }

  day(epochDay: number): DayClock {
    const clock = this.days.get(epochDay);
    if (clock === undefined) throw new Error(`ZoneClock(${this.zone}): date ${formatLocalDate(epochDay)} was not prepared`);
    return clock;
  }

  /**
   * The instant at which the wall clock of `clock`'s date shows `wallMs`
   * (ms after midnight, < 1 day). A time skipped by a forward jump yields
   * undefined; a time shown twice after a backward jump yields the earlier
   * instant.
   */
  exact(clock: DayClock, wallMs: number): number | undefined {
    const segments = clock.segments;
    if (segments === null) return clock.startMs + wallMs;
    for (let k = 0; k < segments.length; k++) {
      const s = segments[k]!;
      const at = s.fromMs + (wallMs - s.wallAtFromMs);
      if (at >= s.fromMs && at < s.toMs) return at;
    }
    return undefined;
  }

  /**
   * A schedule boundary (minutes 0..1440 of `clock`'s date) as an instant.
   * Like `exact`, except that a wall time skipped by a forward jump becomes
   * the transition instant itself: shifting it forward by the gap (Temporal's
   * 'compatible') would let 01:30-02:30 on a 02:00->03:00 night offer 03:00,
   * a wall time outside what the business entered, and make 02:30-03:30
   * offer nothing. 24:00 is the first instant of the next date.
   */
  boundary(clock: DayClock, minute: number): number {
    if (minute === MINUTES_PER_DAY) return clock.endMs;
    const wallMs = minute * MINUTE_MS;
    const at = this.exact(clock, wallMs);
    if (at !== undefined) return at;
    // Skipped: the clock resumes at the first segment whose wall clock starts after it.
    const resumed = clock.segments?.find((s) => s.wallAtFromMs > wallMs);
    return resumed === undefined ? clock.endMs : resumed.fromMs;
  }

  /**
   * Wall time (minutes 0..1440 of `clock`'s date) to an instant with
   * Temporal's 'compatible' disambiguation: skipped times move forward by the
   * gap, repeated times take the earlier instant. Non-uniform dates go
   * through Temporal itself, memoised, because they are rare.
   */
  compatible(clock: DayClock, minute: number): number {
    if (clock.segments === null) return clock.startMs + minute * MINUTE_MS;
    const key = clock.epochDay * (MINUTES_PER_DAY + 1) + minute;
    let ms = this.compatibleCache.get(key);
    if (ms === undefined) {
      const nextDay = minute === MINUTES_PER_DAY;
      const { year, month, day } = civilFromEpochDay(clock.epochDay + (nextDay ? 1 : 0));
      const m = nextDay ? 0 : minute;
      ms = new Temporal.PlainDateTime(year, month, day, Math.floor(m / 60), m % 60).toZonedDateTime(this.zone, {
        disambiguation: "compatible",
      }).epochMilliseconds;
      this.compatibleCache.set(key, ms);
    }
    return ms;
  }
}

/** One ZoneClock per zone for the duration of a computation. */
export class ZoneClocks {
  private readonly clocks = new Map<string, ZoneClock>();

  get(zone: string): ZoneClock {
    let clock = this.clocks.get(zone);
    if (clock === undefined) {
      clock = new ZoneClock(zone);
      this.clocks.set(zone, clock);
    }
    return clock;
  }
}

/**
 * The real time covered by the local dates `from`..`to` (inclusive) of
 * `zone`: [first instant of `from`, first instant of the day after `to`),
 * exactly as the engine's candidate loop computes them. Loaders use it to
 * read only the busy blocks a computation can touch.
 */
export function localDateSpan(zone: string, from: string, to: string): { startMs: number; endMs: number } {
  const startOf = (epochDay: number) => {
    const { year, month, day } = civilFromEpochDay(epochDay);
    return new Temporal.PlainDate(year, month, day).toZonedDateTime(zone).epochMilliseconds;
  };
  // The same first instants ZoneClock.day() reports (its days end where the next one starts).
  return { startMs: startOf(parseLocalDate(from, "from")), endMs: startOf(parseLocalDate(to, "to") + 1) };
}
