/**
 * Public surface of the slot engine: pure functions, no I/O. Callers load
 * schedules and busy blocks, pass `now` in, and get sorted slots back.
 */
export { applyCalendar, type Closure, type Season } from "./calendar";
export { computeSlots } from "./slots";
export { MAX_ENGINE_DATES } from "./local-time";
export { computeWorkingIntervals } from "./working-hours";
export { isTimeZone, localDateSpan } from "./zone-clock";
export { mergeIntervals, overlaps, subtractIntervals } from "./intervals";
export type {
  BusyBlock,
  DateOverride,
  Interval,
  LocalRange,
  ResourceInput,
  Slot,
  SlotOptions,
  SlotQuery,
  StaffInput,
  WeeklyRule,
} from "./types";
