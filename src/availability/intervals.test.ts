import { describe, expect, it } from "vitest";
import { ContainmentCursor, mergeIntervals, overlaps, subtractIntervals, unionSorted } from "./intervals";
import { BLOCKED, BusyIndex, countPerDay } from "./busy";

const iv = (start: number, end: number) => ({ start, end });

describe("interval arithmetic", () => {
  it("treats intervals as half-open: touching is not overlapping", () => {
    expect(overlaps(iv(0, 10), iv(10, 20))).toBe(false);
    expect(overlaps(iv(0, 10), iv(9, 20))).toBe(true);
    expect(overlaps(iv(5, 6), iv(0, 10))).toBe(true);
  });

  it("merges overlapping and touching intervals, drops empty ones, and sorts", () => {
    expect(mergeIntervals([iv(20, 30), iv(0, 10), iv(10, 15), iv(25, 40), iv(50, 50)])).toEqual([iv(0, 15), iv(20, 40)]);
  });

  it("does not mutate its input", () => {
    const input = [iv(0, 10), iv(5, 20)];
    mergeIntervals(input);
    expect(input).toEqual([iv(0, 10), iv(5, 20)]);
  });

  it("subtracts several cuts, including ones spanning two intervals", () => {
    expect(subtractIntervals([iv(0, 100), iv(200, 300)], [iv(10, 20), iv(90, 210), iv(250, 260)])).toEqual([
      iv(0, 10),
      iv(20, 90),
      iv(210, 250),
      iv(260, 300),
    ]);
    expect(subtractIntervals([iv(0, 10)], [iv(0, 10)])).toEqual([]);
    expect(subtractIntervals([iv(0, 10)], [])).toEqual([iv(0, 10)]);
  });

  it("computes the same union from unpaired sorted starts and ends", () => {
    const u = unionSorted(Float64Array.of(30, 0, 10, 60), Float64Array.of(40, 5, 20, 70));
    expect([...u.starts]).toEqual([0, 10, 30, 60]);
    expect([...u.ends]).toEqual([5, 20, 40, 70]);
    const joined = unionSorted(Float64Array.of(0, 5, 10), Float64Array.of(10, 6, 12));
    expect([...joined.starts]).toEqual([0]);
    expect([...joined.ends]).toEqual([12]);
  });

  it("answers containment queries with a forward cursor, restarting if a query goes backwards", () => {
    const c = ContainmentCursor.of([iv(0, 10), iv(20, 30)]);
    expect(c.contains(0, 10)).toBe(true);
    expect(c.contains(5, 15)).toBe(false);
    expect(c.contains(20, 25)).toBe(true);
    expect(c.contains(2, 8)).toBe(true);
    expect(c.contains(25, 31)).toBe(false);
  });
});

describe("BusyIndex", () => {
  it("reports BLOCKED for overlaps and 0 for a free period, sweeping forward", () => {
    const idx = new BusyIndex([iv(100, 200), iv(0, 50), iv(40, 60)], "svc", 1);
    expect(idx.check(60, 60, 100)).toBe(0);
    expect(idx.check(70, 70, 101)).toBe(BLOCKED);
    expect(idx.check(200, 200, 300)).toBe(0);
    expect(idx.check(0, 0, 10)).toBe(BLOCKED); // backwards query still answered correctly
  });

  it("sums seats of a joinable session and blocks other starts that overlap it", () => {
    const idx = new BusyIndex(
      [
        { start: 100, end: 200, serviceId: "yoga", slotStart: 100, seats: 2 },
        { start: 100, end: 200, serviceId: "yoga", slotStart: 100 },
      ],
      "yoga",
      4,
    );
    expect(idx.check(50, 50, 150)).toBe(BLOCKED);
    expect(idx.check(100, 100, 200)).toBe(3);
    expect(idx.check(150, 150, 250)).toBe(BLOCKED);
    expect(idx.check(200, 200, 300)).toBe(0);
  });

  it("counts blocks overlapping each day", () => {
    const days = Float64Array.of(0, 100, 200, 300);
    const counts = countPerDay(
      [iv(50, 150), iv(10, 20), iv(250, 260), iv(400, 500), { start: 210, end: 220, serviceId: "x" }],
      days,
      () => true,
    );
    expect([...counts]).toEqual([2, 1, 2]);
  });
});
