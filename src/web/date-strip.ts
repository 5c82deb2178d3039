/**
 * The picker's data: one load of the booking engine's availability input
 * (one round trip) for a strip of dates, the engine's slots grouped by local
 * date. The same loader and engine decide what can be booked, so a time shown
 * here is a time the booking will accept (unless someone else takes it first).
 */
import { availabilityStatement, slotsFor, type AvailabilityInput } from "../bookings/slot-input.service";
import { addDays, localDate } from "../bookings/time";
import type { SQL } from "drizzle-orm";
import { type Queryable, rowsOf } from "../db/client";
import type { TenantContext } from "../domain/tenant";
import type { DayInfo, TimeOption } from "./picker";

export const STRIP_DAYS = 14;

export interface Strip {
  input: AvailabilityInput;
  from: string;
  to: string;
  days: DayInfo[];
  byDate: Map<string, TimeOption[]>;
  earlier: string | null;
  later: string | null;
}

export interface StripQuery {
  serviceId: string;
  staffId: string | null;
  from?: string | null;
  excludeBookingId?: string | null;
  now: number;
  days?: number;
}

/** The strip's one statement (the availability load) and the decoder of its row into the strip. */
export function stripStatement(tenant: TenantContext, q: StripQuery): { query: SQL; decode: (row: unknown) => Strip } {
  const zone = tenant.timeZone;
  const today = localDate(q.now, zone);
  const length = q.days ?? STRIP_DAYS;
  const from = q.from && q.from > today ? q.from : today;
  const wanted = addDays(from, length - 1);
  const load = availabilityStatement(tenant, {
    serviceId: q.serviceId,
    staffId: q.staffId,
    from,
    to: wanted,
    excludeBookingId: q.excludeBookingId ?? null,
  });
  return { query: load.query, decode: (row) => buildStrip(tenant, q, load.decode(row), { today, length, from, wanted }) };
}

/** One round trip: the strip's availability load, then the engine. */
export async function loadStrip(db: Queryable, tenant: TenantContext, q: StripQuery): Promise<Strip> {
  const { query, decode } = stripStatement(tenant, q);
  const [row] = await rowsOf<unknown>(db, query);
  return decode(row);
}

function buildStrip(
  tenant: TenantContext,
  q: StripQuery,
  input: AvailabilityInput,
  { today, length, from, wanted }: { today: string; length: number; from: string; wanted: string },
): Strip {
  const zone = tenant.timeZone;
  const byDate = new Map<string, TimeOption[]>();
  const days: DayInfo[] = [];
  const bookable = input.service?.isActive && input.staff.length > 0;
  const lastBookable = addDays(today, (input.settings.bookingWindowDays || 1) - 1);
  // ISO dates compare as strings; Math.min would make them NaN.
  const to = wanted > lastBookable ? lastBookable : wanted;
  if (bookable && from <= to) {
    const slots = slotsFor(tenant, input, { from, to, now: q.now, anyStaff: !q.staffId });
    for (const s of slots) {
      const date = localDate(s.start, zone);
      let list = byDate.get(date);
      if (!list) byDate.set(date, (list = []));
      list.push({ start: s.start, ...(s.seatsLeft !== undefined ? { seatsLeft: s.seatsLeft } : {}) });
    }
    for (let d = from; d <= to; d = addDays(d, 1)) days.push({ date: d, open: byDate.has(d) });
  }
  const earlierFrom = addDays(from, -length);
  return {
    input,
    from,
    to,
    days,
    byDate,
    // ISO dates compare as strings (no Math.max).
    earlier: from > today ? (earlierFrom > today ? earlierFrom : today) : null,
    later: to < lastBookable ? addDays(to, 1) : null,
  };
}

/** The first free times after `after` (for "this one was just taken"), up to `count`. */
export function nextTimes(strip: Strip, after: number, count = 6): TimeOption[] {
  const out: TimeOption[] = [];
  for (const d of strip.days) {
    for (const t of strip.byDate.get(d.date) ?? []) {
      if (t.start > after) out.push(t);
      if (out.length >= count) return out;
    }
  }
  return out;
}
