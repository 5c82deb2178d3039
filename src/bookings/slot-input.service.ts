/**
 * Everything the slot engine needs, loaded in ONE statement: settings, the
 * service, the active staff performing it with their weekly rules, overrides,
 * time off and bookings, the resources of the required type with their
 * bookings, and (for creation) a booking already holding the idempotency key.
 * Availability is read far more often than anything else, so it costs one
 * round trip (one HTTP request on the request's handle); `computeSlots` then
 * runs on the result.
 *
 * The statement is built for size and speed:
 * - busy blocks are read only where a candidate can touch them: from the
 *   first instant of `from` (tenant zone) minus the service's buffer before,
 *   to the first instant after `to` plus its duration and buffer after;
 * - business-wide closures and the seasonal hours of each staff member are
 *   read for the same padded dates as the overrides, and folded into date
 *   overrides by `applyCalendar` (closure > own override > season > weekly);
 * - they travel as compact text, not one JSON object each: per staff member
 *   (or resource) a comma-separated list of `start,length` pairs in seconds
 *   relative to the first instant of `from` (exact to the millisecond), and
 *   `start,length,slotStart,seats` quadruples for the seats of a group
 *   service's sessions, the only bookings whose identity the engine reads.
 *
 * Every statement goes through drizzle over `tenantTables(schema)`, so a
 * renamed column fails `tsc`; every value is a bind parameter.
 */
import { type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import {
  applyCalendar,
  type Closure,
  computeSlots,
  localDateSpan,
  type BusyBlock,
  type DateOverride,
  type ResourceInput,
  type Season,
  type Slot,
  type SlotQuery,
  type StaffInput,
  type WeeklyRule,
} from "../availability";
import { type Queryable, rowsOf } from "../db/client";
import { tenantTables } from "../db/schema/tenant";
import type { TenantContext } from "../domain/tenant";
import { coveringWindow, iso } from "./time";

export interface LoadedSettings {
  slotIntervalMin: number;
  minNoticeMin: number;
  bookingWindowDays: number;
  cancellationCutoffMin: number;
  rescheduleCutoffMin: number;
  /** Online bookings start pending until staff confirm them. */
  needsApproval: boolean;
}

export interface LoadedService {
  id: string;
  name: string;
  durationMin: number;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  capacity: number;
  requiredResourceType: string | null;
  priceMinor: number;
  currency: string;
  isActive: boolean;
}

export interface LoadedStaff extends StaffInput {
  name: string;
  userId: string | null;
}

export interface LoadedResource extends ResourceInput {
  name: string;
}

export interface AvailabilityInput {
  settings: LoadedSettings;
  /** null when the id is unknown (inactive services are returned with isActive false). */
  service: LoadedService | null;
  /**
   * Active staff performing the service (only `staffId` when one was asked for).
   * Busy blocks: time off has no `serviceId`; a booking of the loaded group
   * service carries its id, `slotStart` and `seats`; any other booking carries
   * `OTHER_SERVICE` (the engine only asks "is it this service's session?").
   */
  staff: LoadedStaff[];
  resources: LoadedResource[];
  /** The booking already created with the idempotency key, if any. */
  idempotent: { id: string; fingerprint: string | null } | null;
}

/** `serviceId` of the busy blocks of bookings that are not seats of the loaded group service. */
export const OTHER_SERVICE = "other";

export interface LoadOptions {
  serviceId: string;
  staffId?: string | null;
  /** Inclusive local dates in the tenant zone. */
  from: string;
  to: string;
  idempotencyKey?: string | null;
  /** A booking to leave out of the busy blocks (the one being rescheduled). */
  excludeBookingId?: string | null;
}

const DEFAULT_SETTINGS: LoadedSettings = {
  slotIntervalMin: 15,
  minNoticeMin: 60,
  bookingWindowDays: 60,
  cancellationCutoffMin: 120,
  rescheduleCutoffMin: 120,
  needsApproval: false,
};

/** The row of the statement, as both drivers return it (json parsed). */
interface RawRow {
  /** [slot_interval_min, min_notice_min, booking_window_days, cancellation_cutoff_min, reschedule_cutoff_min] */
  settings: [number, number, number, number, number, boolean] | null;
  /** [id, name, duration_min, buffer_before_min, buffer_after_min, capacity, required_resource_type, price_minor, currency, is_active] */
  service: [string, string, number, number, number, number, string | null, number, string, boolean] | null;
  /** [id, name, user_id, time_zone, weekly [weekday, start min, end min][], overrides [date, start min|null, end min|null][], time off, bookings, sessions, seasons [starts_on, ends_on, weekly][]] */
  staff:
    | [
        string,
        string,
        string | null,
        string | null,
        [number, number, number][] | null,
        [string, number | null, number | null][] | null,
        string | null,
        string | null,
        string | null,
        [string, string, WeeklyRule[]][] | null,
      ][]
    | null;
  /** Business-wide closures touching the padded dates: [starts_on, ends_on][] */
  closures: [string, string][] | null;
  /** [id, name, bookings, sessions] */
  resources: [string, string, string | null, string | null][] | null;
  /** [id, fingerprint] */
  idempotent: [string, string | null] | null;
}

/**
 * Seconds after `win.base`, rounded to the millisecond, as short as the number
 * goes ("3600", "3600.5"). float8 arithmetic (`date_part`, not numeric `extract`):
 * an instant of this century in ms needs 13 significant digits, float8 holds 15.
 */
const seconds = (instantSql: SQL) => sql`(round((date_part('epoch', ${instantSql}) - win.base) * 1000) / 1000)::text`;
const lengthSeconds = (fromSql: SQL, untilSql: SQL) =>
  sql`(round((date_part('epoch', ${untilSql}) - date_part('epoch', ${fromSql})) * 1000) / 1000)::text`;

/**
 * The one statement loading every input of the slot engine for a service over
 * local dates from..to, and the decoder of its single row. Exported so that a
 * caller can send it inside a `batch` with other statements.
 */
export function availabilityStatement(
  tenant: TenantContext,
  opts: LoadOptions,
): { query: SQL; decode: (row: unknown) => AvailabilityInput } {
  const t = tenantTables(tenant.schemaName);
  // The exact real time of the local dates (tenant zone); invalid dates fall back to a padded window
  // (the engine then refuses them with its own RangeError, as before).
  let span: { startMs: number; endMs: number };
  try {
    span = localDateSpan(tenant.timeZone, opts.from, opts.to);
  } catch {
    const w = coveringWindow(opts.from, opts.to);
    span = { startMs: w.fromMs, endMs: w.toMs };
  }
  // Dates the engine will refuse anyway (or from > to) read no busy block at all.
  if (!Number.isFinite(span.startMs)) span = { startMs: 0, endMs: 0 };
  if (!Number.isFinite(span.endMs) || span.endMs < span.startMs) span = { startMs: span.startMs, endMs: span.startMs };
  const base = span.startMs;
  const baseSeconds = base / 1000;
  // Overrides are local dates of each staff member's zone (up to ±26 h from the tenant's, and a
  // service lasts at most a day): the dates from-2..to+3 cover every one a computation can read.
  const padded = coveringWindow(opts.from, opts.to);
  const fromDate = Number.isFinite(padded.fromMs) ? iso(padded.fromMs).slice(0, 10) : "1970-01-01";
  const toDate = Number.isFinite(padded.toMs) ? iso(padded.toMs).slice(0, 10) : "1970-01-01";

  const s = alias(t.services, "s");
  const ss = alias(t.serviceStaff, "ss");
  const f = alias(t.staff, "f");
  const a = alias(t.staffAvailability, "a");
  const b = alias(t.bookings, "b");
  const r = alias(t.resources, "r");
  const st = alias(t.settings, "cfg");
  const idem = alias(t.bookings, "i");
  const cl = alias(t.closures, "cl");
  const sh = alias(t.seasonalHours, "sh");
  const hs = alias(t.seasonalHoursStaff, "hs");

  const minuteOf = (time: SQL) => sql`floor(extract(epoch FROM ${time}) / 60)::int`;
  const endMinuteOf = (time: SQL) => sql`CASE WHEN ${time} = '00:00' THEN 1440 ELSE floor(extract(epoch FROM ${time}) / 60)::int END`;
  const excluded = opts.excludeBookingId ? sql` AND ${b.id} <> ${opts.excludeBookingId}::uuid` : sql``;
  // Busy blocks of one owner (a staff member or a resource) inside the window (`period`, `grp`, `base` come from `win`).
  const busyOf = (owner: SQL, sessions: boolean) => sql`(SELECT string_agg(
        ${seconds(sql`${b.blockedFrom}`)} || ',' || ${lengthSeconds(sql`${b.blockedFrom}`, sql`${b.blockedUntil}`)}${
          sessions ? sql` || ',' || ${seconds(sql`${b.startsAt}`)} || ',' || ${b.seats}::text` : sql``
        }, ',')
       FROM ${t.bookings} b
      WHERE ${owner} AND ${b.status} <> 'cancelled' AND ${b.period} && win.period${excluded}
        AND ${sessions ? sql`` : sql`NOT `}(win.grp AND ${b.serviceId} = win.service_id))`;

  const staffFilter = opts.staffId ? sql` AND ${f.id} = ${opts.staffId}::uuid` : sql``;
  const idempotent = opts.idempotencyKey
    ? sql`(SELECT json_build_array(${idem.id}, ${idem.idempotencyFingerprint}) FROM ${t.bookings} i WHERE ${idem.idempotencyKey} = ${opts.idempotencyKey})`
    : sql`NULL::json`;

  // Seasonal hours of one team member and the business-wide closures, for the padded dates.
  const seasonsOfTeam = sql`(SELECT json_agg(json_build_array(${sh.startsOn}, ${sh.endsOn}, ${sh.weekly}))
         FROM ${t.seasonalHoursStaff} hs JOIN ${t.seasonalHours} sh ON ${sh.id} = ${hs.seasonId}
        WHERE ${hs.staffId} = team.id AND ${sh.endsOn} >= ${fromDate}::date AND ${sh.startsOn} <= ${toDate}::date)`;
  const closuresInWindow = sql`(SELECT json_agg(json_build_array(${cl.startsOn}, ${cl.endsOn}))
     FROM ${t.closures} cl WHERE ${cl.endsOn} >= ${fromDate}::date AND ${cl.startsOn} <= ${toDate}::date)`;

  const query = sql`
WITH svc AS (
  SELECT ${s.id} AS id, ${s.name} AS name, ${s.durationMin} AS duration_min, ${s.bufferBeforeMin} AS buffer_before_min,
         ${s.bufferAfterMin} AS buffer_after_min, ${s.capacity} AS capacity, ${s.requiredResourceType} AS required_resource_type,
         ${s.priceMinor} AS price_minor, ${s.currency} AS currency, ${s.isActive} AS is_active
    FROM ${t.services} s WHERE ${s.id} = ${opts.serviceId}::uuid
), win AS (
  SELECT svc.id AS service_id, svc.capacity > 1 AS grp, ${baseSeconds}::float8 AS base,
         tstzrange(${iso(span.startMs)}::timestamptz - make_interval(mins => svc.buffer_before_min),
                   ${iso(span.endMs)}::timestamptz + make_interval(mins => svc.duration_min + svc.buffer_after_min), '[)') AS period
    FROM svc
), team AS (
  SELECT ${f.id} AS id, ${f.displayName} AS name, ${f.userId} AS user_id, ${f.timeZone} AS time_zone
    FROM ${t.serviceStaff} ss JOIN ${t.staff} f ON ${f.id} = ${ss.staffId}
   WHERE ${ss.serviceId} = ${opts.serviceId}::uuid AND ${f.isActive}${staffFilter}
)
SELECT
  (SELECT json_build_array(${st.slotIntervalMin}, ${st.minNoticeMin}, ${st.bookingWindowDays}, ${st.cancellationCutoffMin}, ${st.rescheduleCutoffMin}, ${st.onlineBookingsNeedApproval})
     FROM ${t.settings} cfg WHERE ${st.id} = 1) AS settings,
  (SELECT json_build_array(id, name, duration_min, buffer_before_min, buffer_after_min, capacity, required_resource_type, price_minor, currency, is_active)
     FROM svc) AS service,
  (SELECT json_agg(json_build_array(team.id, team.name, team.user_id, team.time_zone,
      (SELECT json_agg(json_build_array(${a.weekday}, ${minuteOf(sql`${a.startTime}`)}, ${endMinuteOf(sql`${a.endTime}`)}))
         FROM ${t.staffAvailability} a WHERE ${a.staffId} = team.id AND ${a.kind} = 'weekly'),
      (SELECT json_agg(json_build_array(${a.date}, ${minuteOf(sql`${a.startTime}`)}, ${endMinuteOf(sql`${a.endTime}`)}))
         FROM ${t.staffAvailability} a WHERE ${a.staffId} = team.id AND ${a.kind} = 'override' AND ${a.date} BETWEEN ${fromDate}::date AND ${toDate}::date),
      (SELECT string_agg(${seconds(sql`${a.startsAt}`)} || ',' || ${lengthSeconds(sql`${a.startsAt}`, sql`${a.endsAt}`)}, ',')
         FROM ${t.staffAvailability} a, win
        WHERE ${a.staffId} = team.id AND ${a.kind} = 'time_off' AND ${a.startsAt} < upper(win.period) AND ${a.endsAt} > lower(win.period)),
      (SELECT ${busyOf(sql`${b.staffId} = team.id`, false)} FROM win),
      (SELECT ${busyOf(sql`${b.staffId} = team.id`, true)} FROM win WHERE win.grp),
      ${seasonsOfTeam}
    ) ORDER BY team.id) FROM team) AS staff,
  ${closuresInWindow} AS closures,
  (SELECT json_agg(json_build_array(${r.id}, ${r.name},
      ${busyOf(sql`${b.resourceId} = ${r.id}`, false)},
      CASE WHEN win.grp THEN ${busyOf(sql`${b.resourceId} = ${r.id}`, true)} END
    ) ORDER BY ${r.id})
     FROM ${t.resources} r JOIN svc ON ${r.type} = svc.required_resource_type CROSS JOIN win
    WHERE ${r.isActive}) AS resources,
  ${idempotent} AS idempotent`;

  return { query, decode: (row) => decodeRow(row as RawRow, base, fromDate, toDate) };
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const hhmm = (minute: number) => `${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}`;

/** `start,length,…` (seconds from `base`) → busy blocks in epoch ms. */
function decodeBlocks(text: string | null, base: number, out: BusyBlock[], serviceId?: string): void {
  if (!text) return;
  const v = text.split(",");
  for (let k = 0; k + 1 < v.length; k += 2) {
    const start = base + Math.round(Number(v[k]) * 1000);
    const end = start + Math.round(Number(v[k + 1]) * 1000);
    out.push(serviceId === undefined ? { start, end } : { start, end, serviceId });
  }
}

/** `start,length,slotStart,seats,…` → seats of the loaded group service. */
function decodeSessions(text: string | null, base: number, serviceId: string, out: BusyBlock[]): void {
  if (!text) return;
  const v = text.split(",");
  for (let k = 0; k + 3 < v.length; k += 4) {
    const start = base + Math.round(Number(v[k]) * 1000);
    out.push({
      start,
      end: start + Math.round(Number(v[k + 1]) * 1000),
      serviceId,
      seats: Number(v[k + 3]),
      slotStart: base + Math.round(Number(v[k + 2]) * 1000),
    });
  }
}

function decodeRow(row: RawRow, base: number, fromDate: string, toDate: string): AvailabilityInput {
  const sv = row.service;
  const service: LoadedService | null = sv
    ? {
        id: sv[0],
        name: sv[1],
        durationMin: sv[2],
        bufferBeforeMin: sv[3],
        bufferAfterMin: sv[4],
        capacity: sv[5],
        requiredResourceType: sv[6],
        priceMinor: sv[7],
        currency: sv[8],
        isActive: sv[9],
      }
    : null;
  const cfg = row.settings;
  const settings: LoadedSettings = cfg
    ? {
        slotIntervalMin: cfg[0],
        minNoticeMin: cfg[1],
        bookingWindowDays: cfg[2],
        cancellationCutoffMin: cfg[3],
        rescheduleCutoffMin: cfg[4],
        needsApproval: cfg[5],
      }
    : DEFAULT_SETTINGS;
  const serviceId = service?.id ?? "";
  const closures: Closure[] = (row.closures ?? []).map(([startsOn, endsOn]) => ({ startsOn, endsOn }));
  const staff: LoadedStaff[] = (row.staff ?? []).map(
    ([id, name, userId, timeZone, weekly, overrides, timeOff, bookings, sessions, seasonRows]) => {
      const byDate = new Map<string, DateOverride>();
      for (const [date, start, end] of overrides ?? []) {
        let o = byDate.get(date);
        if (!o) byDate.set(date, (o = { date, ranges: [] }));
        if (start !== null && end !== null) o.ranges.push({ start: hhmm(start), end: hhmm(end) });
      }
      const seasons: Season[] = (seasonRows ?? []).map(([startsOn, endsOn, rules]) => ({ startsOn, endsOn, weekly: rules }));
      const busy: BusyBlock[] = [];
      decodeBlocks(timeOff, base, busy);
      decodeBlocks(bookings, base, busy, OTHER_SERVICE);
      decodeSessions(sessions, base, serviceId, busy);
      return {
        staffId: id,
        name,
        userId,
        ...(timeZone ? { timeZone } : {}),
        weekly: (weekly ?? []).map(([weekday, start, end]) => ({
          weekday: weekday as WeeklyRule["weekday"],
          start: hhmm(start),
          end: hhmm(end),
        })),
        overrides: applyCalendar([...byDate.values()], closures, seasons, fromDate, toDate),
        busy,
      };
    },
  );
  const resources: LoadedResource[] = (row.resources ?? []).map(([id, name, bookings, sessions]) => {
    const busy: BusyBlock[] = [];
    decodeBlocks(bookings, base, busy, OTHER_SERVICE);
    decodeSessions(sessions, base, serviceId, busy);
    return { resourceId: id, name, busy };
  });
  const idem = row.idempotent;
  return { settings, service, staff, resources, idempotent: idem ? { id: idem[0], fingerprint: idem[1] } : null };
}

/** One round trip: every input of the slot engine for one service over local dates from..to. */
export async function loadAvailabilityInput(db: Queryable, tenant: TenantContext, opts: LoadOptions): Promise<AvailabilityInput> {
  const { query, decode } = availabilityStatement(tenant, opts);
  const [row] = await rowsOf<unknown>(db, query);
  return decode(row);
}

export interface SlotRequest {
  from: string;
  to: string;
  now: number;
  /** Staff-side bookings may ignore the minimum notice. */
  ignoreMinNotice?: boolean;
  anyStaff: boolean;
}

/** The engine's query for a loaded service. */
export function slotQuery(tenant: TenantContext, input: AvailabilityInput, req: SlotRequest): SlotQuery {
  const service = input.service!;
  return {
    serviceId: service.id,
    from: req.from,
    to: req.to,
    timeZone: tenant.timeZone,
    durationMin: service.durationMin,
    bufferBeforeMin: service.bufferBeforeMin,
    bufferAfterMin: service.bufferAfterMin,
    slotIntervalMin: input.settings.slotIntervalMin,
    minNoticeMin: req.ignoreMinNotice ? 0 : input.settings.minNoticeMin,
    bookingWindowDays: input.settings.bookingWindowDays,
    now: req.now,
    capacity: service.capacity,
    requiresResource: service.requiredResourceType !== null,
  };
}

/** Slots of a loaded service; "any staff" gives each start once (the engine's least-booked rule). */
export function slotsFor(tenant: TenantContext, input: AvailabilityInput, req: SlotRequest): Slot[] {
  return computeSlots(slotQuery(tenant, input, req), input.staff, input.resources, { anyStaff: req.anyStaff });
}
