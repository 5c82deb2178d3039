/**
 * Staff schedules (staff_availability rows of three kinds: weekly rules, date
 * overrides, time off): reading them and replacing them.
 */
import { and, asc, eq, exists, inArray, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../db/client";
import type { TenantTables } from "../db/schema/tenant";
import { columnList, inOneTransaction } from "../db/sql";
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

/** Schedules of `staffIds` from their availability rows, keyed by staff id (every id present, maybe empty). */
function groupSchedules(staffIds: string[], rows: TenantTables["staffAvailability"]["$inferSelect"][]): Map<string, StaffSchedule> {
  const schedules = new Map<string, StaffSchedule>(staffIds.map((id) => [id, { weekly: [], overrides: [], time_off: [] }]));
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

/**
 * Whether `writer` may change `staffId`'s schedule, as an SQL condition the
 * writes carry themselves: they touch nothing when it is false, and the
 * staff row read in the same transaction says why (absent: 404; not theirs: 403).
 */
function mayWrite(q: Executor, t: TenantTables, staffId: string, writer: Actor): SQL {
  const own = writer.isAdmin ? undefined : eq(t.staff.userId, writer.userId);
  return exists(
    q
      .select({ one: sql`1` })
      .from(t.staff)
      .where(and(eq(t.staff.id, staffId), own)),
  );
}

/** The staff row locked for the rest of the transaction (a concurrent schedule write waits). */
function lockStaff(q: Executor, t: TenantTables, staffId: string) {
  return q.select({ id: t.staff.id, userId: t.staff.userId }).from(t.staff).where(eq(t.staff.id, staffId)).for("update");
}

/** 404 when the staff row is absent, 403 when the writer may not change it (then nothing was written). */
function judge(row: { userId: string | null } | undefined, writer: Actor | null): void {
  if (!row) throw noSuch("staff member");
  if (writer && !writer.isAdmin && row.userId !== writer.userId) {
    throw new Forbidden("Staff members may only change their own availability.");
  }
}

type AvailabilityRow = {
  weekday?: number;
  date?: string;
  start_time?: string;
  end_time?: string;
  starts_at?: string;
  ends_at?: string;
  note?: string;
  kind: string;
};

/** Statements replacing each set present in `input` (for one transaction that locked the staff row). */
function replaceSets(q: Executor, t: TenantTables, staffId: string, input: ScheduleInput, guard: SQL) {
  const a = t.staffAvailability;
  const rows: AvailabilityRow[] = [];
  const replaced: ("weekly" | "override" | "time_off")[] = [];
  if (input.weekly) {
    replaced.push("weekly");
    for (const r of input.weekly) rows.push({ kind: "weekly", weekday: r.weekday, start_time: r.start, end_time: r.end });
  }
  if (input.overrides) {
    replaced.push("override");
    for (const o of input.overrides) {
      if (!o.ranges.length) rows.push({ kind: "override", date: o.date });
      for (const r of o.ranges) rows.push({ kind: "override", date: o.date, start_time: r.start, end_time: r.end });
    }
  }
  if (input.time_off) {
    replaced.push("time_off");
    for (const p of input.time_off) {
      rows.push({
        kind: "time_off",
        starts_at: new Date(p.starts_at).toISOString(),
        ends_at: new Date(p.ends_at).toISOString(),
        note: p.note ?? "",
      });
    }
  }
  return [
    ...(replaced.length ? [q.delete(a).where(and(eq(a.staffId, staffId), inArray(a.kind, replaced), guard))] : []),
    ...(rows.length
      ? [
          q.execute(
            sql`INSERT INTO ${a} (${columnList(a.staffId, a.kind, a.weekday, a.date, a.startTime, a.endTime, a.startsAt, a.endsAt, a.note)})
                SELECT ${staffId}::uuid, x.kind, x.weekday, x.date, x.start_time, x.end_time, x.starts_at, x.ends_at, coalesce(x.note, '')
                  FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
                       AS x(kind text, weekday smallint, date date, start_time time, end_time time, starts_at timestamptz, ends_at timestamptz, note text)
                 WHERE ${guard}`,
          ),
        ]
      : []),
  ];
}

/** Rows of `staffIds`' schedules, in the order loadSchedules groups them. */
function scheduleRows(q: Executor, t: TenantTables, staffIds: string[]) {
  const a = t.staffAvailability;
  return q.select().from(a).where(inArray(a.staffId, staffIds)).orderBy(asc(a.weekday), asc(a.date), asc(a.startTime), asc(a.startsAt));
}

type StaffRow = { userId: string | null };

/** Reading is open to every staff member (front desk books for colleagues); writing is not. One round trip. */
export async function getSchedule({ t, db }: TenantScope, staffId: string): Promise<StaffSchedule> {
  const { all, last } = await inOneTransaction(db, (q) => [
    q.select({ userId: t.staff.userId }).from(t.staff).where(eq(t.staff.id, staffId)),
    scheduleRows(q, t, [staffId]),
  ]);
  judge((all[0] as StaffRow[])[0], null);
  return groupSchedules([staffId], last).get(staffId)!;
}

/** Replaces the given sets in one transaction (one round trip): lock, guarded writes, the schedule as it now is. */
export async function replaceSchedule({ t, db }: TenantScope, staffId: string, input: ScheduleInput, actor: Actor): Promise<StaffSchedule> {
  const { all, last } = await inOneTransaction(db, (q) => [
    lockStaff(q, t, staffId),
    ...replaceSets(q, t, staffId, input, mayWrite(q, t, staffId, actor)),
    scheduleRows(q, t, [staffId]),
  ]);
  judge((all[0] as StaffRow[])[0], actor);
  return groupSchedules([staffId], last).get(staffId)!;
}

export async function addTimeOff(
  { t, db }: TenantScope,
  staffId: string,
  input: { starts_at: string; ends_at: string; note?: string },
  actor: Actor,
): Promise<StaffSchedule["time_off"][number]> {
  const a = t.staffAvailability;
  const id = crypto.randomUUID();
  const { all, last } = await inOneTransaction(db, (q) => [
    lockStaff(q, t, staffId),
    q.execute(
      sql`INSERT INTO ${a} (${columnList(a.id, a.staffId, a.kind, a.startsAt, a.endsAt, a.note)})
          SELECT ${id}::uuid, ${staffId}::uuid, 'time_off', ${new Date(input.starts_at).toISOString()}::timestamptz,
                 ${new Date(input.ends_at).toISOString()}::timestamptz, ${input.note ?? ""}
           WHERE ${mayWrite(q, t, staffId, actor)}`,
    ),
    q.select({ id: a.id, starts_at: a.startsAt, ends_at: a.endsAt, note: a.note }).from(a).where(eq(a.id, id)),
  ]);
  judge((all[0] as StaffRow[])[0], actor);
  const row = last[0]!;
  return { ...row, starts_at: iso(row.starts_at)!, ends_at: iso(row.ends_at)! };
}

export async function removeTimeOff({ t, db }: TenantScope, staffId: string, timeOffId: string, actor: Actor): Promise<void> {
  const a = t.staffAvailability;
  const { all, last } = await inOneTransaction(db, (q) => [
    lockStaff(q, t, staffId),
    q
      .delete(a)
      .where(and(eq(a.id, timeOffId), eq(a.staffId, staffId), eq(a.kind, "time_off"), mayWrite(q, t, staffId, actor)))
      .returning({ id: a.id }),
  ]);
  judge((all[0] as StaffRow[])[0], actor);
  if (!last.length) throw noSuch("time off");
}

/** Replaces `date`'s override rows (none = closed that day) in one transaction; the date's hours as they now are. */
export async function setOverride(
  { t, db }: TenantScope,
  staffId: string,
  date: string,
  ranges: { start: string; end: string }[],
  actor: Actor,
): Promise<StaffSchedule["overrides"][number]> {
  const a = t.staffAvailability;
  const rows = ranges.length ? ranges.map((r) => ({ start_time: r.start, end_time: r.end })) : [{ start_time: null, end_time: null }];
  const { all, last } = await inOneTransaction(db, (q) => {
    const guard = mayWrite(q, t, staffId, actor);
    return [
      lockStaff(q, t, staffId),
      q.delete(a).where(and(eq(a.staffId, staffId), eq(a.kind, "override"), eq(a.date, date), guard)),
      q.execute(
        sql`INSERT INTO ${a} (${columnList(a.staffId, a.kind, a.date, a.startTime, a.endTime)})
          SELECT ${staffId}::uuid, 'override', ${date}::date, x.start_time, x.end_time
            FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(start_time time, end_time time)
           WHERE ${guard}`,
      ),
      q
        .select({ start: a.startTime, end: a.endTime })
        .from(a)
        .where(and(eq(a.staffId, staffId), eq(a.kind, "override"), eq(a.date, date)))
        .orderBy(asc(a.startTime)),
    ];
  });
  judge((all[0] as StaffRow[])[0], actor);
  return { date, ranges: last.filter((r) => r.start !== null).map((r) => ({ start: hhmm(r.start), end: hhmm(r.end) })) };
}

export async function removeOverride({ t, db }: TenantScope, staffId: string, date: string, actor: Actor): Promise<void> {
  const a = t.staffAvailability;
  const { all, last } = await inOneTransaction(db, (q) => [
    lockStaff(q, t, staffId),
    q
      .delete(a)
      .where(and(eq(a.staffId, staffId), eq(a.kind, "override"), eq(a.date, date), mayWrite(q, t, staffId, actor)))
      .returning({ id: a.id }),
  ]);
  judge((all[0] as StaffRow[])[0], actor);
  if (!last.length) throw noSuch("date override");
}
