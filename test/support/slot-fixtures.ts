/**
 * Helpers shared by the availability tests: they build inputs from readable
 * local times and render results as local 'HH:MM' strings, so a failing
 * assertion shows wall-clock times instead of epoch numbers.
 */
import { Temporal } from "temporal-polyfill";
import type { BusyBlock, Slot, SlotQuery, StaffInput, WeeklyRule } from "../../src/availability/types";

/** Epoch ms of a local wall time ('YYYY-MM-DD', 'HH:MM'); repeated times resolve to the earlier instant. */
export function at(zone: string, date: string, time: string): number {
  return Temporal.PlainDateTime.from(`${date}T${time}`).toZonedDateTime(zone, { disambiguation: "compatible" }).epochMilliseconds;
}

/** 'HH:MM' of an instant in `zone`. */
export function hhmm(ms: number, zone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).toPlainTime().toString({ smallestUnit: "minute" });
}

/** 'YYYY-MM-DD HH:MM' of an instant in `zone`. */
export function dateHhmm(ms: number, zone: string): string {
  const z = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone);
  return `${z.toPlainDate().toString()} ${z.toPlainTime().toString({ smallestUnit: "minute" })}`;
}

/** '2026-03-29T01:00:00Z' */
export function utc(ms: number): string {
  return Temporal.Instant.fromEpochMilliseconds(ms).toString();
}

export const startsIn = (slots: readonly Slot[], zone: string): string[] => slots.map((s) => hhmm(s.start, zone));
export const datedStartsIn = (slots: readonly Slot[], zone: string): string[] => slots.map((s) => dateHhmm(s.start, zone));
export const utcStarts = (slots: readonly Slot[]): string[] => slots.map((s) => utc(s.start));

/** 2026-01-01 00:00 UTC: before every date the tests query, so notice and window never interfere. */
export const EARLY_NOW = Date.UTC(2026, 0, 1);

export function makeQuery(overrides: Partial<SlotQuery> = {}): SlotQuery {
  return {
    serviceId: "svc",
    from: "2026-03-02",
    to: "2026-03-02",
    timeZone: "Europe/Paris",
    durationMin: 60,
    bufferBeforeMin: 0,
    bufferAfterMin: 0,
    slotIntervalMin: 30,
    minNoticeMin: 0,
    bookingWindowDays: 365,
    now: EARLY_NOW,
    capacity: 1,
    requiresResource: false,
    ...overrides,
  };
}

export function rules(weekdays: readonly WeeklyRule["weekday"][], ...ranges: [string, string][]): WeeklyRule[] {
  return weekdays.flatMap((weekday) => ranges.map(([start, end]) => ({ weekday, start, end })));
}

export const EVERY_DAY: WeeklyRule["weekday"][] = [1, 2, 3, 4, 5, 6, 7];

export function makeStaff(staffId: string, init: Partial<StaffInput> = {}): StaffInput {
  return { staffId, weekly: [], overrides: [], busy: [], ...init };
}

/** A busy block between two local wall times of one date. */
export function block(zone: string, date: string, from: string, to: string, extra: Partial<BusyBlock> = {}): BusyBlock {
  return { start: at(zone, date, from), end: at(zone, date, to), ...extra };
}
