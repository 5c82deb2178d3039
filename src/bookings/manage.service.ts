/**
 * What a manage link lets the customer do, for the API (/api/manage/:token) and
 * the pages (/manage/:token) alike: the one read of the granted booking with the
 * business's cut-offs, the one rule deciding whether it may still be cancelled or
 * moved online, and the customer's cancel and reschedule.
 */
import type { Client } from "@neondatabase/serverless";
import { CutoffPassed } from "../domain/errors";
import type { TenantContext } from "../domain/tenant";
import { quoteSchema } from "../tenancy/naming";
import { BOOKING_COLUMNS, ms, type BookingRow } from "./booking.model";
import { invalidTransition, rescheduleBooking, transitionBooking } from "./bookings.service";
import { InvalidManageLink } from "./manage-token";
import { withinCutoff } from "./transitions";

export interface ManagedBooking extends BookingRow {
  service_name: string;
  duration_min: number;
  staff_name: string;
  /** The booking's own contact (what was typed with it), never its customer record's. */
  customer_name: string;
  customer_email: string | null;
  cancellation_cutoff_min: number;
  reschedule_cutoff_min: number;
}

/** What a manage token grants: the booking id and the token version it was issued for. */
export interface ManageGrant {
  bookingId: string;
  version: number;
}

/**
 * The granted booking as one JSON value (`$1` booking id, `$2` token version):
 * null when the version was revoked or the id is not a booking of this tenant.
 * A sub-select, so a page can read its branding in the same round trip.
 */
export function managedBookingSql(schemaName: string): string {
  const s = quoteSchema(schemaName);
  return `(SELECT row_to_json(x) FROM (
     SELECT ${BOOKING_COLUMNS}, sv.name AS service_name, sv.duration_min, f.display_name AS staff_name,
            b.contact_name AS customer_name, b.contact_email AS customer_email,
            coalesce(st.cancellation_cutoff_min, 120) AS cancellation_cutoff_min,
            coalesce(st.reschedule_cutoff_min, 120) AS reschedule_cutoff_min
       FROM ${s}.bookings b
       JOIN ${s}.services sv ON sv.id = b.service_id
       JOIN ${s}.staff f ON f.id = b.staff_id
       LEFT JOIN ${s}.settings st ON st.id = 1
      WHERE b.id = $1::uuid AND b.manage_token_version = $2::int) x)`;
}

/** The granted booking; a revoked or foreign grant reads like an invalid link. */
export async function findManagedBooking(client: Client, tenant: TenantContext, grant: ManageGrant): Promise<ManagedBooking> {
  const { rows } = await client.query(`SELECT ${managedBookingSql(tenant.schemaName)} AS booking`, [grant.bookingId, grant.version]);
  const booking = (rows[0] as { booking: ManagedBooking | null }).booking;
  if (!booking) throw new InvalidManageLink();
  return booking;
}

/** Still pending or confirmed: anything else stays readable through the link, nothing more. */
export const isOpen = (b: BookingRow): boolean => b.status === "pending" || b.status === "confirmed";

export interface ManagePermissions {
  readOnly: boolean;
  canCancel: boolean;
  canReschedule: boolean;
}

/** What the customer may still do online at `now` (staff are not bound by the cut-offs). */
export function permissionsOf(b: ManagedBooking, now: number): ManagePermissions {
  const open = isOpen(b);
  return {
    readOnly: !open,
    canCancel: open && withinCutoff(ms(b.starts_at), b.cancellation_cutoff_min, now),
    canReschedule: open && withinCutoff(ms(b.starts_at), b.reschedule_cutoff_min, now),
  };
}

/** Throws why the customer may not cancel / reschedule now: a closed booking, or past the cut-off. */
export function assertCustomerMay(b: ManagedBooking, action: "cancel" | "reschedule", now: number): void {
  if (!isOpen(b)) throw invalidTransition(b.status, action);
  const minutes = action === "cancel" ? b.cancellation_cutoff_min : b.reschedule_cutoff_min;
  if (!withinCutoff(ms(b.starts_at), minutes, now)) {
    const what = action === "cancel" ? "cancellation" : "rescheduling";
    throw new CutoffPassed(`Online ${what} closes ${minutes} minutes before the appointment; please contact the business.`, minutes);
  }
}

const CUSTOMER = { type: "customer", id: null } as const;

/** The customer cancels through the link; only while the link's version is current. */
export function cancelByCustomer(client: Client, tenant: TenantContext, b: ManagedBooking): Promise<BookingRow> {
  return transitionBooking(client, tenant, {
    id: b.id,
    action: "cancel",
    reason: "Cancelled by the customer",
    actor: CUSTOMER,
    onlyUserId: null,
    expectVersion: b.manage_token_version,
  });
}

/** The customer moves the booking to `start` (epoch ms); the old links stop working. */
export function rescheduleByCustomer(client: Client, tenant: TenantContext, b: ManagedBooking, start: number): Promise<BookingRow> {
  return rescheduleBooking(client, tenant, { booking: b, start, actor: CUSTOMER, onlyUserId: null });
}
