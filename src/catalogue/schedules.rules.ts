/**
 * Pure validation of a staff member's schedule: wall-clock ranges that end
 * after they start and do not overlap on one weekday or one date. Touching
 * ranges (09:00–12:00, 12:00–13:00) are allowed; a gap between them is a break.
 */
import type { FieldProblem } from "../domain/errors";

export interface TimeRange {
  start: string;
  end: string;
}

/** 'HH:MM' → minutes since midnight; '24:00' (end of day) → 1440. */
export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Field errors of ranges that end before they start or overlap another range of the same group. */
export function rangeErrors(ranges: { range: TimeRange; path: string; group: string }[]): FieldProblem[] {
  const errors: FieldProblem[] = [];
  const groups = new Map<string, { start: number; end: number; path: string }[]>();
  for (const { range, path, group } of ranges) {
    const start = minutesOf(range.start);
    const end = minutesOf(range.end);
    if (end <= start) {
      errors.push({ field: `${path}.end`, message: "The end must be after the start." });
      continue;
    }
    const list = groups.get(group) ?? [];
    list.push({ start, end, path });
    groups.set(group, list);
  }
  for (const list of groups.values()) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 1; i < list.length; i++) {
      if (list[i].start < list[i - 1].end) {
        errors.push({ field: `${list[i].path}.start`, message: "Overlaps another range of the same day." });
      }
    }
  }
  return errors;
}
