/**
 * What a manage link lets the customer do, for the API (/api/manage/:token) and
 * the pages (/manage/:token) alike: the one read of the granted booking with the
 * business's cut-offs, the one rule deciding whether it may still be cancelled or
 * moved online, and the customer's cancel and reschedule.
 */
import { type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Queryable, rowsOf } from "../db/client";
import { tenantTables } from "../db/schema/tenant";
import { CutoffPassed } from "../domain/errors";
import type { TenantContext } from "../domain/tenant";
import { bookingColumns, type BookingRow, ms } from "./booking.model";
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
  /** Why the contact phone gets no WhatsApp/SMS (`whatsapp_stop`, `link`), or null. */
  phone_opt_out: string | null;
}

/** What a manage token grants: the booking id and the token version it was issued for. */
export interface ManageGrant {
  bookingId: string;
  version: number;
}

/**
 * The granted booking as one JSON value: null when the version was revoked or
 * the id is not a booking of this tenant. A scalar sub-select, so a page can
 * read its branding in the same round trip.
 */
export function managedBookingSql(schemaName: string, grant: ManageGrant): SQL {
  const t = tenantTables(schemaName);
  const b = alias(t.bookings, "b");
  const sv = alias(t.services, "sv");
  const f = alias(t.staff, "f");
  const st = alias(t.settings, "st");
  const oo = alias(t.messageOptOuts, "oo");
  return sql`(SELECT row_to_json(x) FROM (
     SELECT ${bookingColumns(b)}, ${sv.name} AS service_name, ${sv.durationMin} AS duration_min, ${f.displayName} AS staff_name,
            ${b.contactName} AS customer_name, ${b.contactEmail} AS customer_email,
            coalesce(${st.cancellationCutoffMin}, 120) AS cancellation_cutoff_min,
            coalesce(${st.rescheduleCutoffMin}, 120) AS reschedule_cutoff_min,
            (SELECT ${oo.source} FROM ${t.messageOptOuts} oo WHERE ${oo.phone} = ${b.contactPhone}) AS phone_opt_out
       FROM ${t.bookings} b
       JOIN ${t.services} sv ON ${sv.id} = ${b.serviceId}
       JOIN ${t.staff} f ON ${f.id} = ${b.staffId}
       LEFT JOIN ${t.settings} st ON ${st.id} = 1
      WHERE ${b.id} = ${grant.bookingId}::uuid AND ${b.manageTokenVersion} = ${grant.version}::int) x)`;
}

/** The granted booking; a revoked or foreign grant reads like an invalid link. */
export async function findManagedBooking(db: Queryable, tenant: TenantContext, grant: ManageGrant): Promise<ManagedBooking> {
  const [row] = await rowsOf<{ booking: ManagedBooking | null }>(db, sql`SELECT ${managedBookingSql(tenant.schemaName, grant)} AS booking`);
  if (!row?.booking) throw new InvalidManageLink();
  return row.booking;
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
export function cancelByCustomer(db: Queryable, tenant: TenantContext, b: ManagedBooking): Promise<BookingRow> {
  return transitionBooking(db, tenant, {
    id: b.id,
    action: "cancel",
    reason: "Cancelled by the customer",
    actor: CUSTOMER,
    onlyUserId: null,
    expectVersion: b.manage_token_version,
  });
}

/** The customer moves the booking to `start` (epoch ms); the old links stop working. */
export function rescheduleByCustomer(db: Queryable, tenant: TenantContext, b: ManagedBooking, start: number): Promise<BookingRow> {
  return rescheduleBooking(db, tenant, { booking: b, start, actor: CUSTOMER, onlyUserId: null });
}
