/**
 * The staff calendar: every column of a day (or a week of one staff member)
 * in ONE statement — the staff members shown, their weekly hours, date
 * overrides and time off, and the bookings of the period with service and
 * customer names, payment totals and whether the customer checked in.
 * Working hours are then turned into instants by the slot engine's own
 * schedule code (`computeWorkingIntervals`), so the shading follows exactly
 * the rules that decide what can be booked.
 *
 * Staff-role callers (`onlyUserId`) get only their own column, in the SQL.
 */
import { sql } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { computeWorkingIntervals, type Interval } from "../availability";
import type { DateOverride, WeeklyRule } from "../availability/types";
import { type Queryable, rowsOf } from "../db/client";
import { type BookingStatus, tenantTables } from "../db/schema/tenant";
import type { TenantContext } from "../domain/tenant";
import { addDays } from "./time";

export interface CalendarBooking {
  id: string;
  staffId: string;
  status: BookingStatus;
  /** Epoch ms of the appointment (buffers not included). */
  start: number;
  end: number;
  serviceName: string;
  customerName: string;
  customerPhone: string | null;
  seats: number;
  priceMinor: number;
  paidMinor: number;
  currency: string;
  source: string;
  checkedIn: boolean;
  notes: string;
}

export interface CalendarColumn {
  id: string;
  name: string;
  userId: string | null;
  isActive: boolean;
  timeZone: string;
  /** Working intervals (epoch ms) within the period. */
  hours: Interval[];
  /** Time off overlapping the period. */
  timeOff: (Interval & { note: string })[];
  bookings: CalendarBooking[];
}

export interface CalendarPeriod {
  from: string;
  /** Inclusive last local date. */
  to: string;
  timeZone: string;
  /** Epoch ms of local midnight starting `from` and ending `to`. */
  start: number;
  end: number;
  columns: CalendarColumn[];
}

export interface CalendarOptions {
  /** First local date (tenant zone). */
  from: string;
  /** Number of local days (1 = day view, 7 = week view). */
  days: number;
  /** Only this staff member (the week view). */
  staffId?: string | null;
  /** Staff-role callers: only the staff row linked to this user. */
  onlyUserId: string | null;
}

interface RawStaff {
  id: string;
  name: string;
  user_id: string | null;
  is_active: boolean;
  time_zone: string | null;
  weekly: WeeklyRule[];
  overrides: DateOverride[];
  time_off: (Interval & { note: string })[];
}

interface RawBooking {
  id: string;
  staff_id: string;
  status: BookingStatus;
  start: number;
  end: number;
  service_name: string;
  customer_name: string;
  customer_phone: string | null;
  seats: number;
  price_minor: number;
  paid_minor: number;
  currency: string;
  source: string;
  checked_in: boolean;
  notes: string;
}

/**
 * Instants (epoch ms) of the first moment of local date `from` and of the day
 * after `to` in `zone`, by the same zone rules as the slot engine (Temporal),
 * not by the database's own time zone data (which may be older, e.g. PGlite's).
 */
export function localDayWindow(zone: string, from: string, to: string): { start: number; end: number } {
  const start = Temporal.PlainDate.from(from).toZonedDateTime(zone).epochMilliseconds;
  const end = Temporal.PlainDate.from(to).add({ days: 1 }).toZonedDateTime(zone).epochMilliseconds;
  return { start, end };
}

/** `HH:MM` of a time column, midnight as an end written `24:00` (the engine's form). */
const wall = (column: unknown, end = false) =>
  end ? sql`CASE WHEN ${column} = '00:00' THEN '24:00' ELSE to_char(${column}, 'HH24:MI') END` : sql`to_char(${column}, 'HH24:MI')`;

const epochMs = (column: unknown) => sql`(extract(epoch FROM ${column}) * 1000)::bigint`;

/** The day (or week) in one round trip; see the module comment. */
export async function calendarPeriod(db: Queryable, tenant: TenantContext, opts: CalendarOptions): Promise<CalendarPeriod> {
  const t = tenantTables(tenant.schemaName);
  const f = t.staff;
  const a = t.staffAvailability;
  const b = t.bookings;
  const zone = tenant.timeZone;
  const to = addDays(opts.from, opts.days - 1);
  // Overrides are dates of the staff member's zone: one day of margin each side.
  const overridesFrom = addDays(opts.from, -1);
  const overridesTo = addDays(to, 1);
  const window = localDayWindow(zone, opts.from, to);
  const statement = sql`
WITH win AS (
  SELECT ${new Date(window.start).toISOString()}::timestamptz AS lo, ${new Date(window.end).toISOString()}::timestamptz AS hi
), st AS (
  SELECT ${f.id} AS id, ${f.displayName} AS name, ${f.userId} AS user_id, ${f.isActive} AS is_active, ${f.timeZone} AS time_zone
    FROM ${f}, win
   WHERE (${opts.onlyUserId}::uuid IS NULL OR ${f.userId} = ${opts.onlyUserId}::uuid)
     AND (${opts.staffId ?? null}::uuid IS NULL OR ${f.id} = ${opts.staffId ?? null}::uuid)
     AND (${f.isActive} OR EXISTS (
           SELECT 1 FROM ${b} WHERE ${b.staffId} = ${f.id} AND ${b.startsAt} < win.hi AND ${b.endsAt} > win.lo))
)
SELECT
  (SELECT coalesce(json_agg(json_build_object(
      'id', st.id, 'name', st.name, 'user_id', st.user_id, 'is_active', st.is_active, 'time_zone', st.time_zone,
      'weekly', (SELECT coalesce(json_agg(json_build_object('weekday', ${a.weekday}, 'start', ${wall(a.startTime)}, 'end', ${wall(a.endTime, true)})), '[]'::json)
                   FROM ${a} WHERE ${a.staffId} = st.id AND ${a.kind} = 'weekly'),
      'overrides', (SELECT coalesce(json_agg(json_build_object('date', o.date, 'ranges', o.ranges)), '[]'::json)
                      FROM (SELECT ${a.date}::text AS date,
                                   coalesce(json_agg(json_build_object('start', ${wall(a.startTime)}, 'end', ${wall(a.endTime, true)}))
                                     FILTER (WHERE ${a.startTime} IS NOT NULL), '[]'::json) AS ranges
                              FROM ${a}
                             WHERE ${a.staffId} = st.id AND ${a.kind} = 'override'
                               AND ${a.date} BETWEEN ${overridesFrom}::date AND ${overridesTo}::date
                             GROUP BY ${a.date}) o),
      'time_off', (SELECT coalesce(json_agg(json_build_object('start', ${epochMs(a.startsAt)}, 'end', ${epochMs(a.endsAt)}, 'note', ${a.note})
                       ORDER BY ${a.startsAt}), '[]'::json)
                     FROM ${a}, win
                    WHERE ${a.staffId} = st.id AND ${a.kind} = 'time_off' AND ${a.startsAt} < win.hi AND ${a.endsAt} > win.lo)
    ) ORDER BY st.name, st.id), '[]'::json) FROM st) AS staff,
  (SELECT coalesce(json_agg(json_build_object(
      'id', ${b.id}, 'staff_id', ${b.staffId}, 'status', ${b.status},
      'start', ${epochMs(b.startsAt)}, 'end', ${epochMs(b.endsAt)},
      'service_name', ${t.services.name},
      'customer_name', coalesce(${t.customers.name}, ${b.contactName}, ''),
      'customer_phone', CASE WHEN ${t.customers.id} IS NULL THEN ${b.contactPhone} ELSE ${t.customers.phone} END,
      'seats', ${b.seats}, 'price_minor', ${b.priceMinor}, 'currency', ${b.currency}, 'source', ${b.source}, 'notes', ${b.notes},
      'paid_minor', (SELECT coalesce(sum(CASE WHEN ${t.paymentTransactions.kind} = 'refund' THEN -${t.paymentTransactions.amountMinor}
                                              ELSE ${t.paymentTransactions.amountMinor} END), 0)
                       FROM ${t.paymentTransactions} WHERE ${t.paymentTransactions.bookingId} = ${b.id}),
      'checked_in', EXISTS (SELECT 1 FROM ${t.bookingEvents}
                             WHERE ${t.bookingEvents.bookingId} = ${b.id} AND ${t.bookingEvents.action} = 'checked_in')
    ) ORDER BY ${b.startsAt}, ${b.id}), '[]'::json)
     FROM ${b}
     JOIN ${t.services} ON ${t.services.id} = ${b.serviceId}
     LEFT JOIN ${t.customers} ON ${t.customers.id} = ${b.customerId}
     CROSS JOIN win
    WHERE ${b.staffId} IN (SELECT st.id FROM st) AND ${b.startsAt} < win.hi AND ${b.endsAt} > win.lo) AS bookings`;
  const [row] = await rowsOf<{ staff: RawStaff[]; bookings: RawBooking[] }>(db, statement);
  const { start, end } = window;
  const byStaff = new Map<string, CalendarBooking[]>();
  for (const r of row!.bookings) {
    const list = byStaff.get(r.staff_id) ?? [];
    list.push({
      id: r.id,
      staffId: r.staff_id,
      status: r.status,
      start: Number(r.start),
      end: Number(r.end),
      serviceName: r.service_name,
      customerName: r.customer_name,
      customerPhone: r.customer_phone,
      seats: r.seats,
      priceMinor: r.price_minor,
      paidMinor: Number(r.paid_minor),
      currency: r.currency,
      source: r.source,
      checkedIn: r.checked_in,
      notes: r.notes,
    });
    byStaff.set(r.staff_id, list);
  }
  const columns = row!.staff.map((s): CalendarColumn => {
    const timeZone = s.time_zone ?? zone;
    // The staff zone's dates covering the period, clipped back to it.
    const intervals = computeWorkingIntervals({ timeZone, weekly: s.weekly, overrides: s.overrides }, overridesFrom, overridesTo);
    const hours = intervals
      .filter((i) => i.end > start && i.start < end)
      .map((i) => ({ start: Math.max(i.start, start), end: Math.min(i.end, end) }));
    return {
      id: s.id,
      name: s.name,
      userId: s.user_id,
      isActive: s.is_active,
      timeZone,
      hours,
      timeOff: s.time_off.map((o) => ({ start: Number(o.start), end: Number(o.end), note: o.note })),
      bookings: byStaff.get(s.id) ?? [],
    };
  });
  return { from: opts.from, to, timeZone: zone, start, end, columns };
}
