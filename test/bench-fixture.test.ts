import { describe, expect, it } from "vitest";
import { Temporal } from "temporal-polyfill";
import { buildBenchFixture } from "../bench/fixtures/availability";
import { computeSlots } from "../src/availability";

// Shape checks only: timing belongs to the benchmark harness, not to tests.
describe("buildBenchFixture", () => {
  const fixture = buildBenchFixture(20, 31);

  it("builds 20 staff with two ranges per working day over 31 dates", () => {
    expect(fixture.staff).toHaveLength(20);
    expect(fixture.query.from).toBe("2026-03-01");
    expect(fixture.query.to).toBe("2026-03-31");
    for (const s of fixture.staff) {
      expect(s.weekly).toHaveLength(12);
      expect(new Set(s.weekly.map((r) => r.weekday)).size).toBe(6);
    }
  });

  it("gives each staff member about 10 bookings per working day", () => {
    const workingDays = 26; // March 2026 has 5 Sundays
    for (const s of fixture.staff) {
      const bookings = s.busy.filter((b) => b.serviceId !== undefined).length;
      expect(bookings / workingDays).toBeGreaterThanOrEqual(8);
      expect(bookings / workingDays).toBeLessThanOrEqual(10);
    }
  });

  it("is deterministic", () => {
    expect(buildBenchFixture(20, 31)).toEqual(fixture);
  });

  it("produces sorted slots with and without anyStaff and resources", () => {
    for (const [requiresResource, anyStaff] of [
      [false, false],
      [false, true],
      [true, false],
    ] as const) {
      const slots = computeSlots({ ...fixture.query, requiresResource }, fixture.staff, fixture.resources, { anyStaff });
      expect(slots.length).toBeGreaterThan(0);
      for (let i = 1; i < slots.length; i++) {
        const a = slots[i - 1]!;
        const b = slots[i]!;
        expect(a.start < b.start || (a.start === b.start && a.staffId < b.staffId)).toBe(true);
      }
      // Never on a Sunday: nobody works then.
      expect(slots.some((s) => Temporal.Instant.fromEpochMilliseconds(s.start).toZonedDateTimeISO("Europe/Paris").dayOfWeek === 7)).toBe(
        false,
      );
    }
  });
});
