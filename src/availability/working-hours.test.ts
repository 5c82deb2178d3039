import { describe, expect, it } from "vitest";
import { computeWorkingIntervals } from "./index";
import { civilFromEpochDay, epochDayFromCivil, formatLocalDate, isoWeekday, parseLocalDate, parseLocalTime } from "./local-time";
import { dateHhmm } from "../../test/support/slot-fixtures";

describe("computeWorkingIntervals", () => {
  const PARIS = "Europe/Paris";
  const show = (list: { start: number; end: number }[]) => list.map((i) => `${dateHhmm(i.start, PARIS)} - ${dateHhmm(i.end, PARIS)}`);

  it("expands weekly rules and overrides over a date range in the schedule zone", () => {
    const intervals = computeWorkingIntervals(
      {
        timeZone: PARIS,
        weekly: [
          { weekday: 1, start: "09:00", end: "12:00" },
          { weekday: 1, start: "13:00", end: "17:00" },
          { weekday: 3, start: "10:00", end: "11:00" },
        ],
        overrides: [
          { date: "2026-03-04", ranges: [] },
          { date: "2026-03-05", ranges: [{ start: "08:00", end: "09:00" }] },
        ],
      },
      "2026-03-02",
      "2026-03-09",
    );
    expect(show(intervals)).toEqual([
      "2026-03-02 09:00 - 2026-03-02 12:00",
      "2026-03-02 13:00 - 2026-03-02 17:00",
      "2026-03-05 08:00 - 2026-03-05 09:00",
      "2026-03-09 09:00 - 2026-03-09 12:00",
      "2026-03-09 13:00 - 2026-03-09 17:00",
    ]);
  });

  it("unites two overrides given for the same date", () => {
    const intervals = computeWorkingIntervals(
      {
        timeZone: PARIS,
        weekly: [],
        overrides: [
          { date: "2026-03-02", ranges: [{ start: "09:00", end: "10:00" }] },
          { date: "2026-03-02", ranges: [{ start: "09:30", end: "11:00" }] },
        ],
      },
      "2026-03-02",
      "2026-03-02",
    );
    expect(show(intervals)).toEqual(["2026-03-02 09:00 - 2026-03-02 11:00"]);
  });

  it("clamps a range start inside the spring-forward gap to the transition instant (local 03:00)", () => {
    const intervals = computeWorkingIntervals(
      { timeZone: PARIS, weekly: [{ weekday: 7, start: "02:30", end: "04:00" }], overrides: [] },
      "2026-03-29",
      "2026-03-29",
    );
    expect(show(intervals)).toEqual(["2026-03-29 03:00 - 2026-03-29 04:00"]);
  });

  it("rejects malformed rules with RangeErrors naming the field", () => {
    const bad =
      (weekly: unknown, overrides: unknown = []) =>
      () =>
        computeWorkingIntervals({ timeZone: PARIS, weekly, overrides } as never, "2026-03-02", "2026-03-02");
    expect(bad([{ weekday: 8, start: "09:00", end: "10:00" }])).toThrow(/weekly\[0\]\.weekday/);
    expect(bad([{ weekday: 1, start: "9:00", end: "10:00" }])).toThrow(/weekly\[0\]\.start/);
    expect(bad([{ weekday: 1, start: "10:00", end: "10:00" }])).toThrow(/must end after it starts/);
    expect(bad([], [{ date: "2026-3-2", ranges: [] }])).toThrow(/overrides\[0\]\.date/);
    expect(bad([], [{ date: "2026-03-02" }])).toThrow(/ranges must be an array/);
  });
});

describe("calendar arithmetic", () => {
  it("round-trips dates, including leap days and years before 100", () => {
    for (const s of ["1970-01-01", "2000-02-29", "2026-03-29", "0042-07-04", "9999-12-31"]) {
      expect(formatLocalDate(parseLocalDate(s, "d"))).toBe(s);
    }
    expect(epochDayFromCivil(1970, 1, 1)).toBe(0);
    expect(civilFromEpochDay(-1)).toEqual({ year: 1969, month: 12, day: 31 });
  });

  it("rejects impossible or oddly formatted dates", () => {
    for (const s of ["2026-02-29", "2026-13-01", "2026-3-1", "2026-03-01T00:00", ""]) {
      expect(() => parseLocalDate(s, "from")).toThrow(RangeError);
    }
  });

  it("knows ISO weekdays (Monday = 1)", () => {
    expect(isoWeekday(parseLocalDate("2026-03-02", "d"))).toBe(1);
    expect(isoWeekday(parseLocalDate("2026-03-08", "d"))).toBe(7);
    expect(isoWeekday(parseLocalDate("1969-12-31", "d"))).toBe(3);
  });

  it("parses 'HH:MM' including a 24:00 end, and nothing past it", () => {
    expect(parseLocalTime("00:00", "t")).toBe(0);
    expect(parseLocalTime("13:45", "t")).toBe(825);
    expect(parseLocalTime("24:00", "t")).toBe(1440);
    for (const s of ["24:01", "12:60", "7:00", "07:00:00"]) expect(() => parseLocalTime(s, "t")).toThrow(RangeError);
  });
});
