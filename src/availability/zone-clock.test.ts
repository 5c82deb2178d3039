import { describe, expect, it } from "vitest";
import { Temporal } from "temporal-polyfill";
import { epochDayFromCivil, formatLocalDate, parseLocalDate } from "./local-time";
import { ZoneClocks, assertTimeZone, localDateSpan, localEpochDayOf } from "./zone-clock";

/**
 * The engine derives wall-time instants arithmetically from a few Temporal
 * answers per run of dates. These tests ask Temporal directly, wall time by
 * wall time, and require identical results, on dates around transitions of
 * many shapes: 1-hour and 30-minute DST, changes at midnight and at 24:00, a
 * negative-direction (Ramadan) change, a whole skipped date, and sub-minute
 * historic offsets.
 */

function temporalCompatible(zone: string, epochDay: number, minute: number): number {
  const date = Temporal.PlainDate.from(formatLocalDate(epochDay + (minute === 1440 ? 1 : 0)));
  const m = minute === 1440 ? 0 : minute;
  return date.toPlainDateTime({ hour: Math.floor(m / 60), minute: m % 60 }).toZonedDateTime(zone, { disambiguation: "compatible" })
    .epochMilliseconds;
}

/** The instant showing exactly this wall time, the earlier of two, or undefined if skipped. */
function temporalExact(zone: string, epochDay: number, minute: number): number | undefined {
  const wall = Temporal.PlainDate.from(formatLocalDate(epochDay)).toPlainDateTime({ hour: Math.floor(minute / 60), minute: minute % 60 });
  const z = wall.toZonedDateTime(zone, { disambiguation: "earlier" });
  return Temporal.PlainDateTime.compare(z.toPlainDateTime(), wall) === 0 ? z.epochMilliseconds : undefined;
}

/** A schedule boundary: the exact instant, or for a skipped wall time the transition that skipped it. */
function temporalBoundary(zone: string, epochDay: number, minute: number): number {
  if (minute === 1440) return Temporal.PlainDate.from(formatLocalDate(epochDay + 1)).toZonedDateTime(zone).epochMilliseconds;
  const exact = temporalExact(zone, epochDay, minute);
  if (exact !== undefined) return exact;
  const wall = Temporal.PlainDate.from(formatLocalDate(epochDay)).toPlainDateTime({ hour: Math.floor(minute / 60), minute: minute % 60 });
  return wall.toZonedDateTime(zone, { disambiguation: "earlier" }).getTimeZoneTransition("next")!.epochMilliseconds;
}

const CASES: [zone: string, from: string, to: string][] = [
  ["Europe/Paris", "2026-03-28", "2026-03-30"],
  ["Europe/Paris", "2026-10-24", "2026-10-26"],
  ["America/New_York", "2026-03-07", "2026-03-09"],
  ["America/New_York", "2026-10-31", "2026-11-02"],
  ["Africa/Casablanca", "2026-02-14", "2026-02-16"],
  ["Africa/Casablanca", "2026-03-21", "2026-03-23"],
  ["America/Santiago", "2026-04-03", "2026-04-06"],
  ["America/Santiago", "2026-09-04", "2026-09-08"],
  ["Africa/Cairo", "2026-04-23", "2026-05-01"],
  ["Africa/Cairo", "2026-10-27", "2026-11-01"],
  ["Australia/Lord_Howe", "2026-04-04", "2026-04-06"],
  ["Australia/Lord_Howe", "2026-10-03", "2026-10-05"],
  ["Pacific/Apia", "2011-12-28", "2012-01-01"],
  ["Africa/Monrovia", "1972-01-05", "1972-01-09"],
  ["Asia/Kolkata", "2026-03-01", "2026-03-02"],
  ["UTC", "2026-03-01", "2026-03-02"],
];

describe("ZoneClock agrees with Temporal", () => {
  for (const [zone, from, to] of CASES) {
    it(`maps every 15-minute wall time of ${zone} ${from}..${to} as Temporal does`, () => {
      const first = parseLocalDate(from, "from");
      const last = parseLocalDate(to, "to");
      const clock = new ZoneClocks().get(zone);
      clock.prepare(first, last);
      const mismatches: string[] = [];
      for (let d = first; d <= last; d++) {
        const day = clock.day(d);
        const start = Temporal.PlainDate.from(formatLocalDate(d)).toZonedDateTime(zone).epochMilliseconds;
        const end = Temporal.PlainDate.from(formatLocalDate(d + 1)).toZonedDateTime(zone).epochMilliseconds;
        if (day.startMs !== start || day.endMs !== end) mismatches.push(`${formatLocalDate(d)} bounds`);
        for (let minute = 0; minute <= 1440; minute += 15) {
          if (clock.compatible(day, minute) !== temporalCompatible(zone, d, minute))
            mismatches.push(`${formatLocalDate(d)} ${minute} compatible`);
          if (clock.boundary(day, minute) !== temporalBoundary(zone, d, minute))
            mismatches.push(`${formatLocalDate(d)} ${minute} boundary`);
          if (minute < 1440 && clock.exact(day, minute * 60_000) !== temporalExact(zone, d, minute))
            mismatches.push(`${formatLocalDate(d)} ${minute} exact`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  }

  it("finds every first instant of 2026 in DST zones when preparing the whole year at once", () => {
    for (const zone of [
      "Europe/Paris",
      "America/New_York",
      "Africa/Casablanca",
      "America/Santiago",
      "Africa/Cairo",
      "Australia/Lord_Howe",
    ]) {
      const first = epochDayFromCivil(2026, 1, 1);
      const last = epochDayFromCivil(2026, 12, 31);
      const clock = new ZoneClocks().get(zone);
      clock.prepare(first, last);
      const wrong: string[] = [];
      for (let d = first; d <= last; d++) {
        const expected = Temporal.PlainDate.from(formatLocalDate(d)).toZonedDateTime(zone).epochMilliseconds;
        if (clock.day(d).startMs !== expected) wrong.push(`${zone} ${formatLocalDate(d)}`);
        if (clock.exact(clock.day(d), 12 * 3_600_000) !== temporalExact(zone, d, 720)) wrong.push(`${zone} ${formatLocalDate(d)} noon`);
      }
      expect(wrong).toEqual([]);
    }
  });

  it("has no wall times at all on the date Samoa skipped (2011-12-30)", () => {
    const clock = new ZoneClocks().get("Pacific/Apia");
    const day = parseLocalDate("2011-12-30", "d");
    clock.prepare(day, day);
    expect(clock.exact(clock.day(day), 9 * 3_600_000)).toBeUndefined();
    expect(clock.day(day).endMs).toBe(clock.day(day).startMs);
  });

  it("builds dates added later without rebuilding and in any order", () => {
    const clock = new ZoneClocks().get("Europe/Paris");
    const a = parseLocalDate("2026-03-29", "d");
    clock.prepare(a + 1, a + 2);
    clock.prepare(a - 2, a + 2);
    expect(clock.day(a).endMs - clock.day(a).startMs).toBe(23 * 3_600_000);
    expect(() => clock.day(a + 10)).toThrow(/not prepared/);
  });
});

describe("zone helpers", () => {
  it("reads the local date of an instant in a zone", () => {
    expect(formatLocalDate(localEpochDayOf("Pacific/Auckland", Date.UTC(2026, 2, 2, 12)))).toBe("2026-03-03");
    expect(formatLocalDate(localEpochDayOf("America/Los_Angeles", Date.UTC(2026, 2, 2, 5)))).toBe("2026-03-01");
  });

  it("rejects unknown zones with a RangeError naming the field", () => {
    expect(() => assertTimeZone("Europe/Atlantis", "timeZone")).toThrow(RangeError);
    expect(() => assertTimeZone("", "timeZone")).toThrow(/timeZone must be a known IANA time zone/);
    expect(() => assertTimeZone("Europe/Paris", "timeZone")).not.toThrow();
  });
});

describe("localDateSpan", () => {
  it("spans exactly the instants the engine's day clocks give the dates, around every kind of transition", () => {
    for (const [zone, from, to] of CASES) {
      const first = parseLocalDate(from, "from");
      const last = parseLocalDate(to, "to");
      const clock = new ZoneClocks().get(zone);
      clock.prepare(first, last);
      expect(localDateSpan(zone, from, to), `${zone} ${from}..${to}`).toEqual({
        startMs: clock.day(first).startMs,
        endMs: clock.day(last).endMs,
      });
      expect(localDateSpan(zone, to, to).endMs - localDateSpan(zone, to, to).startMs).toBe(clock.day(last).endMs - clock.day(last).startMs);
    }
  });
});
