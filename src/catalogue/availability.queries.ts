/** Reading and replacing staff schedules (staff_availability rows of the three kinds). */
import { iso } from "../http/json";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { TenantTables } from "../db/schema/tenant";
import { type Executor } from "../db/client";

export interface StaffSchedule {
  weekly: { weekday: number; start: string; end: string }[];
  overrides: { date: string; ranges: { start: string; end: string }[] }[];
  time_off: { id: string; starts_at: string; ends_at: string; note: string }[];
}

export interface ScheduleInput {
  weekly?: { weekday: number; start: string; end: string }[];
  overrides?: { date: string; ranges: { start: string; end: string }[] }[];
  time_off?: { starts_at: string; ends_at: string; note?: string }[];
}

const hhmm = (time: string | null) => (time ?? "").slice(0, 5);

/** Schedules of `staffIds` in one statement, keyed by staff id (every id present, maybe empty). */
export async function loadSchedules(db: Executor, t: TenantTables, staffIds: string[]): Promise<Map<string, StaffSchedule>> {
  const a = t.staffAvailability;
  const schedules = new Map<string, StaffSchedule>(staffIds.map((id) => [id, { weekly: [], overrides: [], time_off: [] }]));
  if (!staffIds.length) return schedules;
  const rows = await db
    .select()
    .from(a)
    .where(inArray(a.staffId, staffIds))
    .orderBy(asc(a.weekday), asc(a.date), asc(a.startTime), asc(a.startsAt));
  for (const row of rows) {
    const s = schedules.get(row.staffId)!;
    if (row.kind === "weekly") {
      s.weekly.push({ weekday: row.weekday!, start: hhmm(row.startTime), end: hhmm(row.endTime) });
    } else if (row.kind === "override") {
      let o = s.overrides.find((x) => x.date === row.date);
      if (!o) s.overrides.push((o = { date: row.date!, ranges: [] }));
      if (row.startTime !== null) o.ranges.push({ start: hhmm(row.startTime), end: hhmm(row.endTime) });
    } else {
      s.time_off.push({ id: row.id, starts_at: iso(row.startsAt)!, ends_at: iso(row.endsAt)!, note: row.note });
    }
  }
  return schedules;
}

/** Replaces each set present in `input` (call inside a transaction that locked the staff row). */
export async function replaceSchedule(db: Executor, t: TenantTables, staffId: string, input: ScheduleInput): Promise<void> {
  const a = t.staffAvailability;
  const rows: (typeof a.$inferInsert)[] = [];
  const replaced: ("weekly" | "override" | "time_off")[] = [];
  if (input.weekly) {
    replaced.push("weekly");
    for (const r of input.weekly) rows.push({ staffId, kind: "weekly", weekday: r.weekday, startTime: r.start, endTime: r.end });
  }
  if (input.overrides) {
    replaced.push("override");
    for (const o of input.overrides) {
      if (!o.ranges.length) rows.push({ staffId, kind: "override", date: o.date });
      for (const r of o.ranges) rows.push({ staffId, kind: "override", date: o.date, startTime: r.start, endTime: r.end });
    }
  }
  if (input.time_off) {
    replaced.push("time_off");
    for (const p of input.time_off) {
      rows.push({ staffId, kind: "time_off", startsAt: new Date(p.starts_at), endsAt: new Date(p.ends_at), note: p.note ?? "" });
    }
  }
  if (replaced.length) await db.delete(a).where(and(eq(a.staffId, staffId), inArray(a.kind, replaced)));
  if (rows.length) await db.insert(a).values(rows);
}
