import { describe, expect, it } from "vitest";
import { computeSlots } from "./index";
import type { Slot } from "./types";
import { datedStartsIn, makeQuery, makeStaff, startsIn, utcStarts } from "../../test/support/slot-fixtures";

/** Slots of one staff member working `start`-`end` on each of `dates` (via overrides). */
function slotsOn(zone: string, dates: string[], start: string, end: string, query: Parameters<typeof makeQuery>[0] = {}): Slot[] {
  const staff = makeStaff("ann", { overrides: dates.map((date) => ({ date, ranges: [{ start, end }] })) });
  return computeSlots(makeQuery({ timeZone: zone, from: dates[0]!, to: dates[dates.length - 1]!, ...query }), [staff], []);
}

const HOUR = 3_600_000;

/**
 * A boundary inside the skipped 02:00-03:00 hour is clamped to the transition
 * instant (local 03:00 of the new offset): it never stretches a range past the
 * wall time the business entered, nor empties one that reaches past the gap.
 */
function clampsGapBoundaries(zone: string, date: string, transitionUtc: string) {
  const q = { durationMin: 30 };
  it(`never offers a slot outside 01:30-02:30 when 02:30 is skipped (${date})`, () => {
    const slots = slotsOn(zone, [date], "01:30", "02:30", q);
    expect(startsIn(slots, zone)).toEqual(["01:30"]);
    expect(slots.every((s) => s.end <= Date.parse(transitionUtc))).toBe(true);
  });
  it(`offers 03:00 for 02:30-03:30 when 02:30 is skipped (${date})`, () => {
    const slots = slotsOn(zone, [date], "02:30", "03:30", q);
    expect(startsIn(slots, zone)).toEqual(["03:00"]);
    expect(utcStarts(slots)).toEqual([transitionUtc.replace(".000", "")]);
  });
  it(`offers nothing for a range wholly inside the skipped hour (${date})`, () => {
    expect(slotsOn(zone, [date], "02:00", "02:30", q)).toEqual([]);
  });
}
const DAY = 24 * HOUR;

/** Local slot lists per date, and UTC shift of each date's slots against the previous date's. */
function compareDays(zone: string, dates: string[], slots: Slot[]) {
  const perDate = dates.map((d) => slots.filter((s) => datedStartsIn([s], zone)[0]!.startsWith(d)));
  return {
    local: perDate.map((list) => startsIn(list, zone)),
    utcShiftHours: perDate.slice(1).map((list, i) => list.map((s, k) => (s.start - perDate[i]![k]!.start - DAY) / HOUR)),
  };
}

describe("Europe/Paris", () => {
  const PARIS = "Europe/Paris";
  clampsGapBoundaries(PARIS, "2026-03-29", "2026-03-29T01:00:00Z");

  it("skips the non-existent 02:00 and 02:30 on the spring-forward day (2026-03-29, 02:00 -> 03:00)", () => {
    const slots = slotsOn(PARIS, ["2026-03-29"], "01:00", "05:00");
    expect(startsIn(slots, PARIS)).toEqual(["01:00", "01:30", "03:00", "03:30", "04:00"]);
    // 01:30 + 60 real minutes ends at 03:30 local; the schedule holds 3 real hours.
    expect(utcStarts(slots)).toEqual([
      "2026-03-29T00:00:00Z",
      "2026-03-29T00:30:00Z",
      "2026-03-29T01:00:00Z",
      "2026-03-29T01:30:00Z",
      "2026-03-29T02:00:00Z",
    ]);
  });

  it("offers the repeated 02:00 and 02:30 once, at the earlier instant, on the fall-back day (2026-10-25, 03:00 -> 02:00)", () => {
    const slots = slotsOn(PARIS, ["2026-10-25"], "01:00", "04:00");
    expect(startsIn(slots, PARIS)).toEqual(["01:00", "01:30", "02:00", "02:30", "03:00"]);
    expect(utcStarts(slots)).toEqual([
      "2026-10-24T23:00:00Z",
      "2026-10-24T23:30:00Z",
      "2026-10-25T00:00:00Z",
      "2026-10-25T00:30:00Z",
      "2026-10-25T02:00:00Z",
    ]);
  });

  it("leaves a 13:00-18:00 schedule unchanged in local time across both changes, shifted one hour in UTC", () => {
    const spring = ["2026-03-28", "2026-03-29", "2026-03-30"];
    const autumn = ["2026-10-24", "2026-10-25", "2026-10-26"];
    const every = ["13:00", "13:30", "14:00", "14:30", "15:00", "15:30", "16:00", "16:30", "17:00"];
    const s = compareDays(PARIS, spring, slotsOn(PARIS, spring, "13:00", "18:00"));
    const a = compareDays(PARIS, autumn, slotsOn(PARIS, autumn, "13:00", "18:00"));
    expect(s.local).toEqual([every, every, every]);
    expect(a.local).toEqual([every, every, every]);
    expect(s.utcShiftHours).toEqual([every.map(() => -1), every.map(() => 0)]);
    expect(a.utcShiftHours).toEqual([every.map(() => 1), every.map(() => 0)]);
    expect(utcStarts(slotsOn(PARIS, ["2026-03-28", "2026-03-29"], "13:00", "14:00"))).toEqual([
      "2026-03-28T12:00:00Z",
      "2026-03-29T11:00:00Z",
    ]);
    expect(utcStarts(slotsOn(PARIS, ["2026-10-24", "2026-10-25"], "13:00", "14:00"))).toEqual([
      "2026-10-24T11:00:00Z",
      "2026-10-25T12:00:00Z",
    ]);
  });

  it("aligns candidates to the tenant clock when the staff zone has no DST", () => {
    // UTC 00:00-04:00 is Paris 01:00-06:00 on 2026-03-29: the gap is in the tenant zone only.
    const staff = makeStaff("ann", { timeZone: "UTC", overrides: [{ date: "2026-03-29", ranges: [{ start: "00:00", end: "04:00" }] }] });
    const slots = computeSlots(makeQuery({ from: "2026-03-29", to: "2026-03-29" }), [staff], []);
    expect(startsIn(slots, PARIS)).toEqual(["01:00", "01:30", "03:00", "03:30", "04:00", "04:30", "05:00"]);
  });
});

describe("America/New_York", () => {
  const NY = "America/New_York";
  clampsGapBoundaries(NY, "2026-03-08", "2026-03-08T07:00:00Z");

  it("skips 02:00 and 02:30 on the spring-forward day (2026-03-08)", () => {
    const slots = slotsOn(NY, ["2026-03-08"], "00:00", "04:00");
    expect(startsIn(slots, NY)).toEqual(["00:00", "00:30", "01:00", "01:30", "03:00"]);
    expect(utcStarts(slots)).toEqual([
      "2026-03-08T05:00:00Z",
      "2026-03-08T05:30:00Z",
      "2026-03-08T06:00:00Z",
      "2026-03-08T06:30:00Z",
      "2026-03-08T07:00:00Z",
    ]);
  });

  it("offers the repeated 01:00 and 01:30 once, at the earlier (EDT) instant, on the fall-back day (2026-11-01)", () => {
    const slots = slotsOn(NY, ["2026-11-01"], "00:00", "03:00");
    expect(startsIn(slots, NY)).toEqual(["00:00", "00:30", "01:00", "01:30", "02:00"]);
    expect(utcStarts(slots)).toEqual([
      "2026-11-01T04:00:00Z",
      "2026-11-01T04:30:00Z",
      "2026-11-01T05:00:00Z",
      "2026-11-01T05:30:00Z",
      "2026-11-01T07:00:00Z",
    ]);
  });

  it("leaves a 13:00-17:00 schedule unchanged in local time across both changes", () => {
    const q = { slotIntervalMin: 60 };
    const spring = slotsOn(NY, ["2026-03-07", "2026-03-08"], "13:00", "17:00", q);
    const autumn = slotsOn(NY, ["2026-10-31", "2026-11-01"], "13:00", "17:00", q);
    expect(startsIn(spring, NY)).toEqual(["13:00", "14:00", "15:00", "16:00", "13:00", "14:00", "15:00", "16:00"]);
    expect(startsIn(autumn, NY)).toEqual(["13:00", "14:00", "15:00", "16:00", "13:00", "14:00", "15:00", "16:00"]);
    expect(utcStarts(spring).filter((_, i) => i % 4 === 0)).toEqual(["2026-03-07T18:00:00Z", "2026-03-08T17:00:00Z"]);
    expect(utcStarts(autumn).filter((_, i) => i % 4 === 0)).toEqual(["2026-10-31T17:00:00Z", "2026-11-01T18:00:00Z"]);
  });
});

describe("Africa/Casablanca (Ramadan change)", () => {
  const CASA = "Africa/Casablanca";
  const mornings = ["09:00", "09:30", "10:00", "10:30", "11:00"];
  clampsGapBoundaries(CASA, "2026-03-22", "2026-03-22T02:00:00Z");

  it("gives the same local 09:00-12:00 slots either side of both changes, one hour apart in UTC", () => {
    const dates = ["2026-02-14", "2026-02-16", "2026-03-21", "2026-03-23"];
    const slots = dates.flatMap((d) => slotsOn(CASA, [d], "09:00", "12:00"));
    expect(startsIn(slots, CASA)).toEqual([...mornings, ...mornings, ...mornings, ...mornings]);
    expect(utcStarts(slots).filter((_, i) => i % 5 === 0)).toEqual([
      "2026-02-14T08:00:00Z", // +01
      "2026-02-16T09:00:00Z", // +00 from 2026-02-15 03:00 (-> 02:00)
      "2026-03-21T09:00:00Z", // +00
      "2026-03-23T08:00:00Z", // +01 from 2026-03-22 02:00 (-> 03:00)
    ]);
  });

  it("offers the repeated 02:00-03:00 hour once on the night of 2026-02-15", () => {
    const slots = slotsOn(CASA, ["2026-02-15"], "01:00", "05:00");
    expect(startsIn(slots, CASA)).toEqual(["01:00", "01:30", "02:00", "02:30", "03:00", "03:30", "04:00"]);
    expect(utcStarts(slots)).toEqual([
      "2026-02-15T00:00:00Z",
      "2026-02-15T00:30:00Z",
      "2026-02-15T01:00:00Z",
      "2026-02-15T01:30:00Z",
      "2026-02-15T03:00:00Z",
      "2026-02-15T03:30:00Z",
      "2026-02-15T04:00:00Z",
    ]);
  });

  it("skips the missing 02:00-03:00 hour on 2026-03-22", () => {
    const slots = slotsOn(CASA, ["2026-03-22"], "01:00", "05:00");
    expect(startsIn(slots, CASA)).toEqual(["01:00", "01:30", "03:00", "03:30", "04:00"]);
    expect(utcStarts(slots)).toEqual([
      "2026-03-22T01:00:00Z",
      "2026-03-22T01:30:00Z",
      "2026-03-22T02:00:00Z",
      "2026-03-22T02:30:00Z",
      "2026-03-22T03:00:00Z",
    ]);
  });

  it("measures an overnight shift across the change in real time (22:00 to 04:00 is 7 hours on 2026-02-14/15)", () => {
    const staff = makeStaff("ann", {
      overrides: [
        { date: "2026-02-14", ranges: [{ start: "22:00", end: "24:00" }] },
        { date: "2026-02-15", ranges: [{ start: "00:00", end: "04:00" }] },
      ],
    });
    const q = makeQuery({ timeZone: CASA, from: "2026-02-14", to: "2026-02-15", durationMin: 120, slotIntervalMin: 60 });
    const slots = computeSlots(q, [staff], []);
    // 02:00 (first pass, +01) + 2 real hours ends at 03:00 local (+00); 03:00 + 2 h would pass 04:00.
    expect(datedStartsIn(slots, CASA)).toEqual([
      "2026-02-14 22:00",
      "2026-02-14 23:00",
      "2026-02-15 00:00",
      "2026-02-15 01:00",
      "2026-02-15 02:00",
    ]);
    expect(utcStarts(slots)).toEqual([
      "2026-02-14T21:00:00Z",
      "2026-02-14T22:00:00Z",
      "2026-02-14T23:00:00Z",
      "2026-02-15T00:00:00Z",
      "2026-02-15T01:00:00Z",
    ]);
  });
});
