/**
 * A front-desk day written directly with SQL (no booking API involved): staff
 * with weekly hours, a service, customers, bookings of one local date with
 * given statuses, payments recorded at given local times. Used by the
 * calendar and takings tests.
 */
import { quoteSchema } from "../src/tenancy/naming";
import type { TenantContext } from "../src/domain/tenant";
import { Temporal } from "temporal-polyfill";
import { sql } from "./harness";

/**
 * The instant of a local date and wall time of `zone`, by the same zone rules as the app (Temporal),
 * not the database's (PGlite's zone data has Casablanca at +00 in winter).
 */
export function localInstant(zone: string, date: string, time: string): string {
  return Temporal.PlainDateTime.from(`${date}T${time}`).toZonedDateTime(zone).toInstant().toString();
}

export interface SeededStaff {
  id: string;
  userId: string;
  name: string;
}

/** `count` staff, each working `hours` every day of the week. */
export async function seedStaff(tenant: TenantContext, count: number, hours = { start: "08:00", end: "20:00" }): Promise<SeededStaff[]> {
  const s = quoteSchema(tenant.schemaName);
  const rows = await sql<SeededStaff>(
    `INSERT INTO ${s}.staff (display_name, user_id)
     SELECT 'Staff ' || lpad(i::text, 2, '0'), gen_random_uuid() FROM generate_series(1, $1::int) i
     RETURNING id, user_id AS "userId", display_name AS name`,
    [count],
  );
  await sql(
    `INSERT INTO ${s}.staff_availability (staff_id, kind, weekday, start_time, end_time)
     SELECT f, 'weekly', d, $2::time, $3::time FROM unnest($1::uuid[]) f, generate_series(1, 7) d`,
    [rows.map((r) => r.id), hours.start, hours.end],
  );
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

export async function seedService(tenant: TenantContext, name = "Coupe", priceMinor = 20000, durationMin = 20): Promise<string> {
  const s = quoteSchema(tenant.schemaName);
  const [row] = await sql<{ id: string }>(
    `INSERT INTO ${s}.services (name, duration_min, price_minor, currency) VALUES ($1, $2, $3, 'MAD') RETURNING id`,
    [name, durationMin, priceMinor],
  );
  return row!.id;
}

export async function seedCustomer(tenant: TenantContext, name: string, phone: string): Promise<string> {
  const s = quoteSchema(tenant.schemaName);
  const [row] = await sql<{ id: string }>(`INSERT INTO ${s}.customers (name, phone) VALUES ($1, $2) RETURNING id`, [name, phone]);
  return row!.id;
}

export interface BookingSeed {
  staffId: string;
  serviceId: string;
  /** Local date and time of the business, e.g. 2026-12-15 and 09:00. */
  date: string;
  time: string;
  durationMin?: number;
  status?: "pending" | "confirmed" | "completed" | "cancelled" | "no_show";
  customerId?: string | null;
  contactName?: string;
  priceMinor?: number;
}

/** One booking; returns its id. */
export async function seedBooking(tenant: TenantContext, b: BookingSeed): Promise<string> {
  const s = quoteSchema(tenant.schemaName);
  const [row] = await sql<{ id: string }>(
    `WITH v AS (SELECT $1::timestamptz AS st)
     INSERT INTO ${s}.bookings (id, service_id, staff_id, customer_id, contact_name, starts_at, ends_at, blocked_from, blocked_until,
                                session_key, status, price_minor, currency, source)
     SELECT x.id, $2::uuid, $3::uuid, $4::uuid, $5, v.st, v.st + make_interval(mins => $6), v.st, v.st + make_interval(mins => $6),
            x.id::text, $7, $8, 'MAD', 'staff'
       FROM v, (SELECT gen_random_uuid() AS id) x
     RETURNING id`,
    [
      localInstant(tenant.timeZone, b.date, b.time),
      b.serviceId,
      b.staffId,
      b.customerId ?? null,
      b.contactName ?? null,
      b.durationMin ?? 20,
      b.status ?? "confirmed",
      b.priceMinor ?? 20000,
    ],
  );
  return row!.id;
}

/** `perStaff` bookings of `durationMin` back to back from 08:00 local for every staff member (one statement). */
export async function seedFullDay(
  tenant: TenantContext,
  staff: SeededStaff[],
  serviceId: string,
  date: string,
  perStaff: number,
  customerId: string | null,
): Promise<void> {
  const s = quoteSchema(tenant.schemaName);
  await sql(
    `WITH g AS (
       SELECT f AS staff_id, i, ($2::timestamptz + make_interval(mins => 20 * i)) AS st,
              gen_random_uuid() AS id
         FROM unnest($1::uuid[]) f, generate_series(0, $3::int - 1) i)
     INSERT INTO ${s}.bookings (id, service_id, staff_id, customer_id, contact_name, starts_at, ends_at, blocked_from, blocked_until,
                                session_key, status, price_minor, currency, source)
     SELECT g.id, $4::uuid, g.staff_id, $5::uuid, 'Walk-in ' || g.i, g.st, g.st + interval '20 minutes', g.st, g.st + interval '20 minutes',
            g.id::text, CASE WHEN g.i % 5 = 0 THEN 'pending' ELSE 'confirmed' END, 15000, 'MAD', 'staff'
       FROM g`,
    [staff.map((f) => f.id), localInstant(tenant.timeZone, date, "08:00"), perStaff, serviceId, customerId],
  );
}

export interface PaymentSeed {
  bookingId: string;
  kind: "deposit" | "payment" | "refund";
  method: "cash" | "card" | "transfer" | "online";
  amountMinor: number;
  /** Local date and time of the business when it was recorded. */
  date: string;
  time: string;
  reference?: string;
}

export async function seedPayment(tenant: TenantContext, p: PaymentSeed): Promise<string> {
  const s = quoteSchema(tenant.schemaName);
  const [row] = await sql<{ id: string }>(
    `INSERT INTO ${s}.payment_transactions (booking_id, kind, method, amount_minor, currency, reference, created_at)
     VALUES ($1, $2, $3, $4, 'MAD', $5, $6::timestamptz) RETURNING id`,
    [p.bookingId, p.kind, p.method, p.amountMinor, p.reference ?? "", localInstant(tenant.timeZone, p.date, p.time)],
  );
  return row!.id;
}

export async function seedEvent(tenant: TenantContext, bookingId: string, action: string): Promise<void> {
  const s = quoteSchema(tenant.schemaName);
  await sql(`INSERT INTO ${s}.booking_events (booking_id, actor_type, action) VALUES ($1, 'user', $2)`, [bookingId, action]);
}
