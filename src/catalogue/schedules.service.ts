/**
 * Staff schedules (staff_availability rows of three kinds: weekly rules, date
 * overrides, time off): reading them and replacing them.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../db/client";
import type { TenantTables } from "../db/schema/tenant";
import { Forbidden, noSuch } from "../domain/errors";
import { iso } from "../http/json";
import type { TenantScope } from "../tenancy/scope";
import type { Actor } from "./staff.service";

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
async function loadSchedules(db: Executor, t: TenantTables, staffIds: string[]): Promise<Map<string, StaffSchedule>> {
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
      if (!o) {
        o = { date: row.date!, ranges: [] };
        s.overrides.push(o);
      }
      if (row.startTime !== null) o.ranges.push({ start: hhmm(row.startTime), end: hhmm(row.endTime) });
    } else {
      s.time_off.push({ id: row.id, starts_at: iso(row.startsAt)!, ends_at: iso(row.endsAt)!, note: row.note });
    }
  }
  return schedules;
}

/** Replaces each set present in `input` (call inside a transaction that locked the staff row). */
async function replaceSets(db: Executor, t: TenantTables, staffId: string, input: ScheduleInput): Promise<void> {
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

/**
 * The staff row, locked when writing. Another tenant's id is simply absent
 * from this schema (not found); a colleague's record is visible but not
 * writable by the staff role (forbidden).
 */
async function staffFor(db: Executor, t: TenantTables, id: string, writer: Actor | null) {
  const query = db.select({ id: t.staff.id, userId: t.staff.userId }).from(t.staff).where(eq(t.staff.id, id));
  const [row] = writer ? await query.for("update") : await query;
  if (!row) throw noSuch("staff member");
  if (writer && !writer.isAdmin && row.userId !== writer.userId) {
    throw new Forbidden("Staff members may only change their own availability.");
  }
  return row;
}

/** Reading is open to every staff member (front desk books for colleagues); writing is not. */
export async function getSchedule({ t, db }: TenantScope, staffId: string): Promise<StaffSchedule> {
  await staffFor(db, t, staffId, null);
  return (await loadSchedules(db, t, [staffId])).get(staffId)!;
}

export async function replaceSchedule({ t, db }: TenantScope, staffId: string, input: ScheduleInput, actor: Actor): Promise<StaffSchedule> {
  return db.transaction(async (tx) => {
    await staffFor(tx, t, staffId, actor);
    await replaceSets(tx, t, staffId, input);
    return (await loadSchedules(tx, t, [staffId])).get(staffId)!;
  });
}

export async function addTimeOff(
  { t, db }: TenantScope,
  staffId: string,
  input: { starts_at: string; ends_at: string; note?: string },
  actor: Actor,
): Promise<StaffSchedule["time_off"][number]> {
  const a = t.staffAvailability;
  const row = await db.transaction(async (tx) => {
    await staffFor(tx, t, staffId, actor);
    const [inserted] = await tx
      .insert(a)
      .values({ staffId, kind: "time_off", startsAt: new Date(input.starts_at), endsAt: new Date(input.ends_at), note: input.note ?? "" })
      .returning({ id: a.id, starts_at: a.startsAt, ends_at: a.endsAt, note: a.note });
    return inserted;
  });
  return { ...row, starts_at: iso(row.starts_at)!, ends_at: iso(row.ends_at)! };
}

export async function removeTimeOff({ t, db }: TenantScope, staffId: string, timeOffId: string, actor: Actor): Promise<void> {
  const a = t.staffAvailability;
  const removed = await db.transaction(async (tx) => {
    await staffFor(tx, t, staffId, actor);
    return tx
      .delete(a)
      .where(and(eq(a.id, timeOffId), eq(a.staffId, staffId), eq(a.kind, "time_off")))
      .returning({ id: a.id });
  });
  if (!removed.length) throw noSuch("time off");
}
