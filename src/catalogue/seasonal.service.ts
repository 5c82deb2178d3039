/**
 * Seasonal hours (e.g. Ramadan): weekly rules replacing the weekly hours of the
 * chosen staff on the local dates starts_on..ends_on, and the preview of the
 * upcoming bookings that would fall outside them.
 *
 * A season and its staff are written in ONE statement (data-modifying CTE):
 * nothing is written when a staff id is unknown.
 */
import { asc, type Column, eq, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { applyCalendar, computeWorkingIntervals, localDateSpan, type WeeklyRule } from "../availability";
import { rowsOf } from "../db/client";
import { columnList, instantMs } from "../db/sql";
import { InvalidInput, noSuch } from "../domain/errors";
import type { TenantScope } from "../tenancy/scope";

export interface SeasonWrite {
  label?: string;
  starts_on: string;
  ends_on: string;
  staff_ids: string[];
  /** Validated by the route (ISO weekday 1..7, HH:MM ranges). */
  weekly: { weekday: number; start: string; end: string }[];
}

export interface SeasonView {
  id: string;
  label: string;
  starts_on: string;
  ends_on: string;
  staff_ids: string[];
  weekly: WeeklyRule[];
  created_at: string;
  updated_at: string;
}

interface SeasonRow {
  id: string;
  label: string;
  starts_on: string;
  ends_on: string;
  staff_ids: string[] | null;
  weekly: WeeklyRule[];
  created_at: string;
  updated_at: string;
}

const isoOf = (pgText: string) => new Date(instantMs(pgText)).toISOString();

function present(row: SeasonRow): SeasonView {
  return {
    id: row.id,
    label: row.label,
    starts_on: row.starts_on,
    ends_on: row.ends_on,
    staff_ids: [...(row.staff_ids ?? [])].sort(),
    weekly: row.weekly,
    created_at: isoOf(row.created_at),
    updated_at: isoOf(row.updated_at),
  };
}

/** The output columns of a season row (`h`: the table or an alias of it). */
const seasonColumns = (h: Record<"id" | "label" | "startsOn" | "endsOn" | "weekly" | "createdAt" | "updatedAt", Column>) =>
  sql`${h.id} AS id, ${h.label} AS label, ${h.startsOn}::text AS starts_on, ${h.endsOn}::text AS ends_on, ${h.weekly} AS weekly,
       ${h.createdAt}::text AS created_at, ${h.updatedAt}::text AS updated_at`;

/** Seasons (alias `sh`) with their staff ids. */
function selectSeason({ t }: TenantScope): SQL {
  const hs = alias(t.seasonalHoursStaff, "hs");
  const sh = alias(t.seasonalHours, "sh");
  return sql`SELECT ${seasonColumns(sh)},
       (SELECT array_agg(${hs.staffId}::text) FROM ${t.seasonalHoursStaff} hs WHERE ${hs.seasonId} = ${sh.id}) AS staff_ids
  FROM ${t.seasonalHours} sh`;
}

const unknownStaff = () => new InvalidInput([{ field: "staff_ids", message: "Every staff member must exist." }]);

export async function listSeasons(s: TenantScope, from?: string): Promise<SeasonView[]> {
  const sh = alias(s.t.seasonalHours, "sh");
  const where = from ? sql` WHERE ${sh.endsOn} >= ${from}::date` : sql``;
  const rows = await rowsOf<SeasonRow>(s.db, sql`${selectSeason(s)}${where} ORDER BY ${sh.startsOn}, ${sh.id}`);
  return rows.map(present);
}

export async function getSeason(s: TenantScope, id: string): Promise<SeasonView> {
  const sh = alias(s.t.seasonalHours, "sh");
  const [row] = await rowsOf<SeasonRow>(s.db, sql`${selectSeason(s)} WHERE ${sh.id} = ${id}::uuid`);
  if (!row) throw noSuch("seasonal schedule");
  return present(row);
}

/** Staff ids are checked in the statement: all of them exist, or nothing is written (no row back). */
export async function createSeason(s: TenantScope, body: SeasonWrite): Promise<SeasonView> {
  const { t } = s;
  const h = t.seasonalHours;
  const l = t.seasonalHoursStaff;
  const f = alias(t.staff, "f");
  const ids = [...new Set(body.staff_ids)];
  const [row] = await rowsOf<SeasonRow>(
    s.db,
    sql`WITH ok AS (
  SELECT count(*) = cardinality(${sql.param(ids)}::uuid[]) AS ok FROM ${t.staff} f WHERE ${f.id} = ANY(${sql.param(ids)}::uuid[])
), ins AS (
  INSERT INTO ${h} (${columnList(h.label, h.startsOn, h.endsOn, h.weekly)})
  SELECT ${body.label ?? ""}, ${body.starts_on}::date, ${body.ends_on}::date, ${JSON.stringify(body.weekly)}::jsonb FROM ok WHERE ok.ok
  RETURNING ${seasonColumns(h)}
), link AS (
  INSERT INTO ${l} (${columnList(l.seasonId, l.staffId)}) SELECT ins.id, unnest(${sql.param(ids)}::uuid[]) FROM ins
  RETURNING ${l.staffId} AS staff_id
)
SELECT ins.*, (SELECT array_agg(staff_id::text) FROM link) AS staff_ids FROM ins`,
  );
  if (!row) throw unknownStaff();
  return present(row);
}

/** Replaces a season (dates, label, rules and staff) in one statement. */
export async function replaceSeason(s: TenantScope, id: string, body: SeasonWrite): Promise<SeasonView> {
  const { t } = s;
  const h = t.seasonalHours;
  const l = t.seasonalHoursStaff;
  const f = alias(t.staff, "f");
  const ids = [...new Set(body.staff_ids)];
  const [row] = await rowsOf<SeasonRow & { ok: boolean }>(
    s.db,
    sql`WITH ok AS (
  SELECT count(*) = cardinality(${sql.param(ids)}::uuid[]) AS ok FROM ${t.staff} f WHERE ${f.id} = ANY(${sql.param(ids)}::uuid[])
), upd AS (
  UPDATE ${h} SET ${sql.identifier(h.label.name)} = ${body.label ?? ""}, ${sql.identifier(h.startsOn.name)} = ${body.starts_on}::date,
         ${sql.identifier(h.endsOn.name)} = ${body.ends_on}::date, ${sql.identifier(h.weekly.name)} = ${JSON.stringify(body.weekly)}::jsonb,
         ${sql.identifier(h.updatedAt.name)} = now()
   WHERE ${h.id} = ${id}::uuid AND (SELECT ok.ok FROM ok)
  RETURNING ${seasonColumns(h)}
), gone AS (
  DELETE FROM ${l} WHERE ${l.seasonId} IN (SELECT upd.id FROM upd) AND ${l.staffId} <> ALL(${sql.param(ids)}::uuid[])
), link AS (
  INSERT INTO ${l} (${columnList(l.seasonId, l.staffId)}) SELECT upd.id, unnest(${sql.param(ids)}::uuid[]) FROM upd
  ON CONFLICT DO NOTHING
)
SELECT (SELECT ok.ok FROM ok) AS ok, upd.*, ${sql.param(ids)}::text[] AS staff_ids FROM (SELECT 1) one LEFT JOIN upd ON true`,
  );
  if (!row?.ok) throw unknownStaff();
  if (!row.id) throw noSuch("seasonal schedule");
  return present(row);
}

export async function deleteSeason({ t, db }: TenantScope, id: string): Promise<void> {
  const h = t.seasonalHours;
  const [row] = await rowsOf<{ id: string }>(db, sql`DELETE FROM ${h} WHERE ${h.id} = ${id}::uuid RETURNING ${h.id} AS id`);
  if (!row) throw noSuch("seasonal schedule");
}

export interface AffectedBooking {
  id: string;
  staff_id: string;
  staff_name: string;
  service_name: string;
  customer_name: string | null;
  starts_at: string;
  ends_at: string;
}

interface PreviewRow {
  /** [id, staff_id, staff_name, service_name, customer_name, starts_at ms, ends_at ms][] */
  bookings: [string, string, string, string, string | null, number, number][] | null;
  /** [staff_id, time_zone, overrides [date, start, end][]][] */
  staff: [string, string | null, [string, string | null, string | null][] | null][] | null;
  closures: [string, string][] | null;
}

/**
 * Upcoming bookings (pending or confirmed, not yet started) of the chosen staff
 * on the season's dates that would fall outside the new hours. The staff
 * members' own date overrides and the closures keep precedence over the
 * season, as in the slot engine. One statement.
 */
export async function previewSeason(s: TenantScope, body: SeasonWrite, now = Date.now()): Promise<AffectedBooking[]> {
  const { t, tenant } = s;
  const ids = [...new Set(body.staff_ids)];
  if (ids.length === 0) return [];
  const span = localDateSpan(tenant.timeZone, body.starts_on, body.ends_on);
  const from = new Date(Math.max(span.startMs, now)).toISOString();
  const until = new Date(span.endMs).toISOString();
  const b = alias(t.bookings, "b");
  const f = alias(t.staff, "f");
  const sv = alias(t.services, "sv");
  const cu = alias(t.customers, "cu");
  const a = alias(t.staffAvailability, "a");
  const cl = alias(t.closures, "cl");
  const ms = (x: SQL) => sql`(extract(epoch FROM ${x}) * 1000)::float8`;
  const hhmm = (x: SQL) => sql`to_char(${x}, 'HH24:MI')`;
  const startMs = ms(sql`${b.startsAt}`);
  const endMs = ms(sql`${b.endsAt}`);
  const fromHm = hhmm(sql`${a.startTime}`);
  const untilHm = hhmm(sql`${a.endTime}`);
  const [row] = await rowsOf<PreviewRow>(
    s.db,
    sql`SELECT
  (SELECT json_agg(json_build_array(${b.id}, ${b.staffId}, ${f.displayName}, ${sv.name}, ${cu.name}, ${startMs}, ${endMs})
          ORDER BY ${b.startsAt})
     FROM ${t.bookings} b JOIN ${t.staff} f ON ${f.id} = ${b.staffId} JOIN ${t.services} sv ON ${sv.id} = ${b.serviceId}
     LEFT JOIN ${t.customers} cu ON ${cu.id} = ${b.customerId}
    WHERE ${b.staffId} = ANY(${sql.param(ids)}::uuid[]) AND ${b.status} IN ('pending', 'confirmed')
      AND ${b.startsAt} >= ${from}::timestamptz AND ${b.startsAt} < ${until}::timestamptz) AS bookings,
  (SELECT json_agg(json_build_array(${f.id}, ${f.timeZone},
      (SELECT json_agg(json_build_array(${a.date}, ${fromHm}, ${untilHm}))
         FROM ${t.staffAvailability} a
        WHERE ${a.staffId} = ${f.id} AND ${a.kind} = 'override' AND ${a.date} BETWEEN ${body.starts_on}::date AND ${body.ends_on}::date)))
     FROM ${t.staff} f WHERE ${f.id} = ANY(${sql.param(ids)}::uuid[])) AS staff,
  (SELECT json_agg(json_build_array(${cl.startsOn}, ${cl.endsOn}))
     FROM ${t.closures} cl WHERE ${cl.endsOn} >= ${body.starts_on}::date AND ${cl.startsOn} <= ${body.ends_on}::date) AS closures`,
  );
  const closures = (row?.closures ?? []).map(([startsOn, endsOn]) => ({ startsOn, endsOn }));
  const hoursOf = new Map<string, { start: number; end: number }[]>();
  for (const [staffId, zone, overrides] of row?.staff ?? []) {
    const byDate = new Map<string, { date: string; ranges: { start: string; end: string }[] }>();
    for (const [date, start, end] of overrides ?? []) {
      let o = byDate.get(date);
      if (!o) byDate.set(date, (o = { date, ranges: [] }));
      if (start && end) o.ranges.push({ start, end: end === "00:00" ? "24:00" : end });
    }
    const own = applyCalendar([...byDate.values()], closures, [], body.starts_on, body.ends_on);
    hoursOf.set(
      staffId,
      computeWorkingIntervals(
        { timeZone: zone ?? tenant.timeZone, weekly: body.weekly as WeeklyRule[], overrides: own },
        body.starts_on,
        body.ends_on,
      ),
    );
  }
  return (row?.bookings ?? [])
    .filter(([, staffId, , , , start, end]) => !(hoursOf.get(staffId) ?? []).some((w) => w.start <= start && end <= w.end))
    .map(([id, staffId, staffName, serviceName, customerName, start, end]) => ({
      id,
      staff_id: staffId,
      staff_name: staffName,
      service_name: serviceName,
      customer_name: customerName,
      starts_at: new Date(start).toISOString(),
      ends_at: new Date(end).toISOString(),
    }));
}

/** Active staff members to choose from (id, name), by name. */
export async function staffChoices({ t, db }: TenantScope): Promise<{ id: string; name: string }[]> {
  return db
    .select({ id: t.staff.id, name: t.staff.displayName })
    .from(t.staff)
    .where(eq(t.staff.isActive, true))
    .orderBy(asc(t.staff.displayName), asc(t.staff.id));
}
