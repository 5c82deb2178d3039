import { describe, expect, it } from "vitest";
import { applyCalendar, computeSlots } from "./index";
import type { DateOverride } from "./types";
import { datedStartsIn, EVERY_DAY, makeQuery, makeStaff, rules, utcStarts } from "../../test/support/slot-fixtures";

const CASA = "Africa/Casablanca";
/** Ramadan 2027 hours, every day 10:00-16:00 (Morocco is on +00 from 2027-02-07 03:00 to 2027-03-14 02:00 local). */
const RAMADAN = { startsOn: "2027-02-07", endsOn: "2027-03-14", weekly: rules(EVERY_DAY, ["10:00", "16:00"]) };

function casaSlots(from: string, to: string, overrides: DateOverride[]) {
  const staff = makeStaff("ann", { weekly: rules(EVERY_DAY, ["09:00", "18:00"]), overrides });
  return computeSlots(
    makeQuery({ timeZone: CASA, from, to, slotIntervalMin: 60, durationMin: 60, now: Date.UTC(2027, 0, 1) }),
    [staff],
    [],
  );
}

describe("applyCalendar", () => {
  it("closures beat own overrides, own overrides beat seasons, seasons beat weekly rules", () => {
    const own = [
      { date: "2027-02-10", ranges: [{ start: "08:00", end: "09:00" }] },
      { date: "2027-02-11", ranges: [{ start: "08:00", end: "09:00" }] },
      { date: "2030-01-01", ranges: [] },
    ];
    const out = applyCalendar(own, [{ startsOn: "2027-02-11", endsOn: "2027-02-12" }], [RAMADAN], "2027-02-09", "2027-02-13");
    const byDate = Object.fromEntries(out.map((o) => [o.date, o.ranges]));
    expect(byDate["2027-02-09"]).toEqual([{ start: "10:00", end: "16:00" }]);
    expect(byDate["2027-02-10"]).toEqual([{ start: "08:00", end: "09:00" }]);
    expect(byDate["2027-02-11"]).toEqual([]);
    expect(byDate["2027-02-12"]).toEqual([]);
    expect(byDate["2027-02-13"]).toEqual([{ start: "10:00", end: "16:00" }]);
    expect(byDate["2030-01-01"]).toEqual([]);
  });

  it("a season without rules for a weekday makes it a day off; the latest-starting season wins", () => {
    const fridaysOff = { startsOn: "2027-02-01", endsOn: "2027-02-28", weekly: rules([1, 2, 3, 4, 6, 7], ["09:00", "12:00"]) };
    const lastWeek = { startsOn: "2027-02-22", endsOn: "2027-02-28", weekly: rules(EVERY_DAY, ["14:00", "15:00"]) };
    const out = applyCalendar([], [], [fridaysOff, lastWeek], "2027-02-19", "2027-02-22");
    expect(out).toEqual([
      { date: "2027-02-19", ranges: [] },
      { date: "2027-02-20", ranges: [{ start: "09:00", end: "12:00" }] },
      { date: "2027-02-21", ranges: [{ start: "09:00", end: "12:00" }] },
      { date: "2027-02-22", ranges: [{ start: "14:00", end: "15:00" }] },
    ]);
  });

  it("without closures or seasons the own overrides come back unchanged", () => {
    const own = [{ date: "2027-02-10", ranges: [] }];
    expect(applyCalendar(own, [], [], "2027-02-09", "2027-02-13")).toEqual(own);
  });

  it("refuses malformed dates", () => {
    expect(() => applyCalendar([], [{ startsOn: "2027-02-30", endsOn: "2027-03-01" }], [], "2027-02-09", "2027-02-13")).toThrow(RangeError);
  });
});

describe("seasonal hours on the Casablanca clock (Morocco suspends DST during Ramadan)", () => {
  it("the day before Ramadan: weekly hours at +01", () => {
    const slots = casaSlots("2027-02-06", "2027-02-06", applyCalendar([], [], [RAMADAN], "2027-02-06", "2027-02-06"));
    expect(datedStartsIn(slots, CASA)[0]).toBe("2027-02-06 09:00");
    expect(utcStarts(slots)[0]).toBe("2027-02-06T08:00:00Z");
    expect(slots).toHaveLength(9);
  });

  it("the day the clocks go back (03:00 → 02:00): Ramadan hours 10:00-16:00 at +00", () => {
    const slots = casaSlots("2027-02-07", "2027-02-07", applyCalendar([], [], [RAMADAN], "2027-02-07", "2027-02-07"));
    expect(datedStartsIn(slots, CASA)).toEqual(["10:00", "11:00", "12:00", "13:00", "14:00", "15:00"].map((h) => `2027-02-07 ${h}`));
    expect(utcStarts(slots)[0]).toBe("2027-02-07T10:00:00Z");
  });

  it("inside Ramadan, a week of Ramadan hours at +00", () => {
    const slots = casaSlots("2027-02-20", "2027-02-26", applyCalendar([], [], [RAMADAN], "2027-02-20", "2027-02-26"));
    expect(slots).toHaveLength(7 * 6);
    expect(utcStarts(slots).filter((s) => s.endsWith("T10:00:00Z"))).toHaveLength(7);
  });

  it("the day the clocks go forward again (02:00 → 03:00): Ramadan hours at +01, then weekly hours", () => {
    const slots = casaSlots("2027-03-14", "2027-03-15", applyCalendar([], [], [RAMADAN], "2027-03-14", "2027-03-15"));
    const local = datedStartsIn(slots, CASA);
    expect(local.filter((s) => s.startsWith("2027-03-14"))).toEqual(
      ["10:00", "11:00", "12:00", "13:00", "14:00", "15:00"].map((h) => `2027-03-14 ${h}`),
    );
    expect(utcStarts(slots)[0]).toBe("2027-03-14T09:00:00Z");
    expect(local.filter((s) => s.startsWith("2027-03-15"))[0]).toBe("2027-03-15 09:00");
  });

  it("a closure inside Ramadan closes the day", () => {
    const overrides = applyCalendar([], [{ startsOn: "2027-02-20", endsOn: "2027-02-20" }], [RAMADAN], "2027-02-19", "2027-02-21");
    const slots = casaSlots("2027-02-19", "2027-02-21", overrides);
    expect(datedStartsIn(slots, CASA).some((s) => s.startsWith("2027-02-20"))).toBe(false);
    expect(slots).toHaveLength(12);
  });
});
