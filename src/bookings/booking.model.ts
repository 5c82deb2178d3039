/** The booking row as the API shows it, shared by the public and staff sides. */
import { DEFAULT_LOCALE, isLocale, LOCALES } from "../domain/locales";
import { z } from "@hono/zod-openapi";
import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import { BOOKING_STATUSES, TEMPLATE_SCHEMA, tenantTables } from "../db/schema/tenant";
import { instantMs } from "../db/sql";
import type { ListSpec } from "../http/list-query";
import { iso, localDateTime } from "./time";

/** The booking columns, in the order and under the names of `BookingRow`. */
const BOOKING_KEYS = [
  "id",
  "status",
  "serviceId",
  "staffId",
  "resourceId",
  "customerId",
  "startsAt",
  "endsAt",
  "blockedFrom",
  "blockedUntil",
  "sessionKey",
  "seats",
  "priceMinor",
  "currency",
  "source",
  "notes",
  "cancelReason",
  "manageTokenVersion",
  "idempotencyFingerprint",
  "createdAt",
  "updatedAt",
  "contactName",
  "contactEmail",
  "contactPhone",
  "contactLocale",
] as const;

/** The bookings table, an `alias()` of it, or a CTE read through such an alias: anything with its columns. */
export type BookingColumns = { [K in (typeof BOOKING_KEYS)[number] | "period" | "idempotencyKey"]: AnyColumn };

/** `"b"."id", "b"."status", …`: what every statement returning a booking selects (see `bookingRow`). */
export function bookingColumns(b: BookingColumns): SQL {
  return sql.join(
    BOOKING_KEYS.map((k) => b[k]),
    sql`, `,
  );
}

const INSTANT_FIELDS = ["starts_at", "ends_at", "blocked_from", "blocked_until", "created_at", "updated_at"] as const;

/**
 * A raw row of `bookingColumns` as `BookingRow`: raw statements return
 * timestamptz as the text Postgres sent, turned into Dates here (as the
 * builder does for typed columns).
 */
export function bookingRow(raw: Record<string, unknown>): BookingRow {
  const row = { ...raw } as Record<string, unknown>;
  for (const f of INSTANT_FIELDS) {
    const v = row[f];
    if (typeof v === "string") row[f] = new Date(ms(v));
  }
  return row as unknown as BookingRow;
}

export interface BookingRow {
  id: string;
  status: "pending" | "confirmed" | "completed" | "cancelled" | "no_show";
  service_id: string;
  staff_id: string;
  resource_id: string | null;
  /** Null: an anonymous booking not linked to any customer record (yet). */
  customer_id: string | null;
  starts_at: Date | string;
  ends_at: Date | string;
  blocked_from: Date | string;
  blocked_until: Date | string;
  session_key: string;
  seats: number;
  price_minor: number;
  currency: string;
  source: string;
  notes: string;
  cancel_reason: string | null;
  manage_token_version: number;
  idempotency_fingerprint: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  /** The contact details given with this booking (its snapshot). */
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  contact_locale: string | null;
}

export const ms = instantMs;
const isoOf = (value: Date | string): string => iso(ms(value));

export const ContactSchema = z
  .object({
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable().openapi({ description: "E.164" }),
    locale: z.enum(LOCALES),
  })
  .openapi("BookingContact", { description: "The contact details given with this booking; its messages go there." });

export const BookingSchema = z
  .object({
    id: z.string(),
    status: z.enum(["pending", "confirmed", "completed", "cancelled", "no_show"]),
    service_id: z.string(),
    staff_id: z.string(),
    resource_id: z.string().nullable(),
    customer_id: z.string().nullable().openapi({ description: "The customer record; null until staff link an anonymous booking" }),
    contact: ContactSchema,
    start: z.string().openapi({ description: "UTC instant" }),
    end: z.string(),
    local_start: z.string().openapi({ description: "Wall clock in the business's time zone" }),
    time_zone: z.string(),
    seats: z.number().int(),
    price_minor: z.number().int(),
    currency: z.string(),
    source: z.string(),
    notes: z.string(),
    cancel_reason: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Booking");

export type BookingOut = z.infer<typeof BookingSchema>;

/** What anonymous callers (booking form, manage link) see: no customer record id, only the booking's own contact. */
export const PublicBookingSchema = BookingSchema.omit({ customer_id: true }).openapi("PublicBooking");
export type PublicBookingOut = z.infer<typeof PublicBookingSchema>;

export function contactOf(
  row: Pick<BookingRow, "contact_name" | "contact_email" | "contact_phone" | "contact_locale">,
): BookingOut["contact"] {
  return {
    name: row.contact_name ?? "",
    email: row.contact_email,
    phone: row.contact_phone,
    locale: isLocale(row.contact_locale) ? row.contact_locale : DEFAULT_LOCALE,
  };
}

export function presentBooking(row: BookingRow, timeZone: string): BookingOut {
  return {
    id: row.id,
    status: row.status,
    service_id: row.service_id,
    staff_id: row.staff_id,
    resource_id: row.resource_id,
    customer_id: row.customer_id,
    contact: contactOf(row),
    start: isoOf(row.starts_at),
    end: isoOf(row.ends_at),
    local_start: localDateTime(ms(row.starts_at), timeZone),
    time_zone: timeZone,
    seats: row.seats,
    price_minor: row.price_minor,
    currency: row.currency,
    source: row.source,
    notes: row.notes,
    cancel_reason: row.cancel_reason,
    created_at: isoOf(row.created_at),
    updated_at: isoOf(row.updated_at),
  };
}

export function presentPublicBooking(row: BookingRow, timeZone: string): PublicBookingOut {
  const { customer_id: _hidden, ...rest } = presentBooking(row, timeZone);
  return rest;
}

/** The slice of a booking recorded in booking_events before/after (the table or alias given). */
export const eventSnapshot = (b: BookingColumns): SQL =>
  sql`jsonb_build_object('status', ${b.status}, 'starts_at', ${b.startsAt}, 'ends_at', ${b.endsAt},
     'staff_id', ${b.staffId}, 'resource_id', ${b.resourceId}, 'cancel_reason', ${b.cancelReason})`;

const templateTables = tenantTables(TEMPLATE_SCHEMA);

/** The list spec for a tenant's tables (the route schema uses the template's, which has the same names). */
export function bookingListSpec(t = templateTables): ListSpec {
  return {
    search: [
      t.customers.name,
      t.customers.email,
      t.customers.phone,
      t.bookings.contactName,
      t.bookings.contactEmail,
      t.bookings.contactPhone,
    ],
    filters: {
      status: { column: t.bookings.status, schema: z.enum(BOOKING_STATUSES) },
      staff_id: { column: t.bookings.staffId, schema: z.guid() },
      service_id: { column: t.bookings.serviceId, schema: z.guid() },
      customer_id: { column: t.bookings.customerId, schema: z.guid() },
    },
    ordering: { starts_at: t.bookings.startsAt, created_at: t.bookings.createdAt },
    defaultOrdering: "starts_at",
    tiebreak: t.bookings.id,
  };
}
