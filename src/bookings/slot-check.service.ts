/**
 * Is `start` a bookable slot right now? The answer comes from the same slot
 * engine and the same loaded data as the availability endpoint, so what the
 * page offered is exactly what can be booked. A refusal says why: bad input
 * (past, too soon, beyond the window, off the grid or outside working hours →
 * 422) versus time already taken (→ 409 with the next free starts).
 */
import { isTimeZone, type Slot } from "../availability";
import type { Queryable } from "../db/client";
import { InvalidInput, SlotTaken } from "../domain/errors";
import type { TenantContext } from "../domain/tenant";
import { loadAvailabilityInput, slotsFor, type AvailabilityInput } from "./slot-input.service";
import { addDays, epochDay, iso, localDate, localDateTime } from "./time";

export interface SlotCheck {
  start: number;
  /** Absent = any staff (the engine's least-booked rule picks). */
  staffId?: string | null;
  now: number;
  ignoreMinNotice?: boolean;
}

/** The start asked for is not bookable at all (past, too soon, too far, off the grid): not a question of someone else's booking. */
export class StartNotBookable extends InvalidInput {
  constructor(detail: string, message = detail) {
    super([{ field: "start", message }], detail);
  }
}

const invalid = (detail: string, field = "start") =>
  field === "start" ? new StartNotBookable(detail) : new InvalidInput([{ field, message: detail }], detail);

/** The service must exist and be active, and a requested staff member must perform it. */
export function assertBookable(input: AvailabilityInput, staffId: string | null | undefined): void {
  if (!input.service?.isActive) {
    throw invalid("No active service has this id.", "service_id");
  }
  if (staffId && !input.staff.some((s) => s.staffId === staffId)) {
    throw invalid("This staff member does not perform the service (or is not active).", "staff_id");
  }
}

export function nextSlots(tenant: TenantContext, slots: Slot[], after: number, count = 3) {
  return slots
    .filter((s) => s.start > after)
    .slice(0, count)
    .map((s) => ({ start: iso(s.start), local_start: localDateTime(s.start, tenant.timeZone), staff_id: s.staffId }));
}

/** Loaded data without existing bookings (time off stays): "would this start exist if nobody had booked?" */
function withoutBookings(input: AvailabilityInput, staff: boolean, resources: boolean): AvailabilityInput {
  return {
    ...input,
    staff: staff ? input.staff.map((s) => ({ ...s, busy: s.busy.filter((b) => b.serviceId === undefined) })) : input.staff,
    resources: resources ? input.resources.map((r) => ({ ...r, busy: [] })) : input.resources,
  };
}

/** Where a slot puts a booking, as the write statements bind it: staff, resource, start, end, blocked from, blocked until. */
export function slotParams(slot: Slot): [string, string | null, string, string, string, string] {
  return [slot.staffId, slot.resourceId ?? null, iso(slot.start)!, iso(slot.end)!, iso(slot.blockedStart)!, iso(slot.blockedEnd)!];
}

/** The engine's slot for `check.start`, or a domain error (InvalidInput, SlotTaken) explaining why there is none. */
export function findSlot(tenant: TenantContext, input: AvailabilityInput, check: SlotCheck): Slot {
  const { start, now } = check;
  const settings = input.settings;
  if (!Number.isFinite(start)) throw invalid("start must be an ISO 8601 instant.");
  if (start < now) throw invalid("This start time is in the past.");
  if (!check.ignoreMinNotice && start < now + settings.minNoticeMin * 60_000) {
    throw invalid(`Bookings need at least ${settings.minNoticeMin} minutes' notice.`);
  }
  const date = localDate(start, tenant.timeZone);
  if (date >= addDays(localDate(now, tenant.timeZone), settings.bookingWindowDays)) {
    throw invalid(`Bookings open at most ${settings.bookingWindowDays} days ahead.`);
  }
  const req = { from: date, to: addDays(date, 1), now, ignoreMinNotice: check.ignoreMinNotice, anyStaff: !check.staffId };
  const matches = (s: Slot) => s.start === start && (!check.staffId || s.staffId === check.staffId);
  const slots = slotsFor(tenant, input, req);
  const slot = slots.find(matches);
  if (slot) return slot;

  // Taken, or never offered? Ask the engine again with the bookings removed.
  const freeStaff = slotsFor(tenant, withoutBookings(input, true, false), req).find(matches);
  const freeAll = freeStaff ?? slotsFor(tenant, withoutBookings(input, true, true), req).find(matches);
  if (!freeAll) {
    throw invalid("This start time is not an available slot (off the slot grid, outside working hours or during time off).");
  }
  const service = input.service!;
  const sessionFull =
    service.capacity > 1 &&
    input.staff.some(
      (s) => (!check.staffId || s.staffId === check.staffId) && s.busy.some((b) => b.serviceId === service.id && b.slotStart === start),
    );
  const reason = sessionFull ? "session_full" : freeStaff ? "staff_unavailable" : "resource_unavailable";
  throw slotTaken(reason, nextSlots(tenant, slots, start));
}

const CONFLICT_DETAIL: Record<string, string> = {
  staff_unavailable: "The staff member is already booked at this time.",
  resource_unavailable: "No room or equipment needed by the service is free at this time.",
  session_full: "This group session is full.",
};

export function slotTaken(reason: "staff_unavailable" | "resource_unavailable" | "session_full", next: unknown[]): SlotTaken {
  return new SlotTaken(CONFLICT_DETAIL[reason]!, reason, next);
}

/** The longest date range one availability request may ask for (the slot engine itself computes at most MAX_ENGINE_DATES). */
export const MAX_AVAILABILITY_QUERY_DAYS = 62;

/**
 * The public availability: bookable starts of a service over the local dates
 * `from..to`, with the staff members' names. `tz` (display only) must be an IANA zone.
 */
export async function publicSlots(
  db: Queryable,
  tenant: TenantContext,
  q: { serviceId: string; staffId: string | null; from: string; to: string; tz?: string },
  now: number,
): Promise<{ slots: Slot[]; names: Map<string, string> }> {
  if (q.from > q.to) throw new InvalidInput([{ field: "to", message: "to must not be before from." }], "to must not be before from.");
  if (epochDay(q.to) - epochDay(q.from) + 1 > MAX_AVAILABILITY_QUERY_DAYS) {
    const detail = `The date range is at most ${MAX_AVAILABILITY_QUERY_DAYS} days.`;
    throw new InvalidInput([{ field: "to", message: detail }], detail);
  }
  if (q.tz !== undefined && !isTimeZone(q.tz)) {
    throw new InvalidInput(
      [{ field: "tz", message: "Not an IANA time zone (e.g. Europe/Paris)." }],
      "Not an IANA time zone (e.g. Europe/Paris).",
    );
  }
  const input = await loadAvailabilityInput(db, tenant, { serviceId: q.serviceId, staffId: q.staffId, from: q.from, to: q.to });
  assertBookable(input, q.staffId);
  const names = new Map(input.staff.map((s) => [s.staffId, s.name]));
  return { slots: slotsFor(tenant, input, { from: q.from, to: q.to, now, anyStaff: !q.staffId }), names };
}
