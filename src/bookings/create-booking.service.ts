/**
 * Creating a booking: load (one round trip, the idempotency key looked up in
 * the same statement), re-check the start with the slot engine, then write
 * the customer, the booking and its 'created' event in ONE statement (data-
 * modifying CTEs: atomic, one round trip). The exclusion constraints are the
 * real guard against double booking; a lost race surfaces as 23P01 → 409.
 *
 * Group sessions: seats of one session share a `session_key`, which the
 * exclusion constraints let overlap, so capacity is enforced here: the insert
 * runs after `pg_advisory_xact_lock(session key)` in the same implicit
 * transaction and only inserts while the seats already taken (per staff and
 * per resource) leave room. See sql-util.ts for why that is one round trip.
 *
 * Usable with a raw connected Neon `Client` (the benchmark calls it outside HTTP).
 */
import { DEFAULT_LOCALE, isLocale, type Locale } from "../domain/locales";
import type { Client } from "@neondatabase/serverless";
import { toDrizzle } from "../db/client";
import { normaliseEmail, normalisePhone } from "../domain/contact";
import { DEFAULT_COUNTRY, phoneCountryOf } from "../domain/country";
import { exclusionViolation, pgErrorCode, uniqueViolation } from "../db/errors";
import { Conflict, Forbidden, InvalidInput } from "../domain/errors";
import { quoteSchema } from "../tenancy/naming";
import type { TenantContext } from "../domain/tenant";
import { loadAvailabilityInput, slotsFor, type AvailabilityInput } from "./slot-input.service";
import { BOOKING_COLUMNS, eventSnapshot, type BookingRow } from "./booking.model";
import { contactCapError, contactCapReached, contactLocks, underContactCapSql } from "./contact-cap.service";
import { assertBookable, findSlot, nextSlots, slotParams, slotTaken, StartNotBookable } from "./slot-check.service";
import { queryUnderLock } from "./sql-util";
import { addDays, localDate } from "./time";

export interface CustomerInput {
  name: string;
  email?: string | null;
  phone?: string | null;
  locale?: Locale;
}

export interface CreateBookingInput {
  serviceId: string;
  /** Absent = any staff performing the service. */
  staffId?: string | null;
  /** Epoch ms. */
  start: number;
  customer: CustomerInput;
  notes?: string;
  source: "public" | "staff";
  status?: "pending" | "confirmed";
  idempotencyKey?: string | null;
  actor: { type: "customer" | "user"; id: string | null };
  /** Staff-side bookings may ignore the minimum notice. */
  ignoreMinNotice?: boolean;
  /** Staff-role users may only book their own calendar. */
  onlyUserId?: string | null;
}

export interface CreatedBooking {
  booking: BookingRow;
  /** True when an earlier request with the same Idempotency-Key created it. */
  replayed: boolean;
}

interface NormalisedCustomer {
  name: string;
  email: string | null;
  phone: string | null;
  locale: string;
}

/** Validated contact details; the locale defaults to the business's. */
export function normaliseCustomer(customer: CustomerInput, defaultLocale = "fr", country: string = DEFAULT_COUNTRY): NormalisedCustomer {
  const email = customer.email ? normaliseEmail(customer.email, "customer.email") : null;
  const phone = customer.phone ? normalisePhone(customer.phone, country, "customer.phone") : null;
  if (!email && !phone) {
    throw new InvalidInput([{ field: "customer", message: "Give an email address or a phone number." }]);
  }
  return {
    name: customer.name.trim(),
    email,
    phone,
    locale: customer.locale ?? (isLocale(defaultLocale) ? defaultLocale : DEFAULT_LOCALE),
  };
}

/** An Idempotency-Key sent again with a different request: the client's mistake, not a replay. */
export class IdempotencyKeyReused extends InvalidInput {
  constructor() {
    super(
      [{ field: "Idempotency-Key", message: "Reuse a key only to retry the very same request." }],
      "This Idempotency-Key was already used with a different request.",
    );
  }
}

async function fingerprintOf(value: unknown): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(value)));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Which customer record a booking is linked to ($25 = the link rule):
 *
 *  - `exact` (anonymous bookings): the record whose email and phone are both
 *    exactly the ones typed (a detail not typed must be absent there too), so
 *    linking tells the booker nothing they did not type and puts nothing on a
 *    record that its owner did not give; a new record when no record holds the
 *    typed email or phone; otherwise none (customer_id null): the booking keeps
 *    its own contact snapshot and staff merge it later. No record is changed.
 *  - `any` (staff side): the record with the email (preferred) or the phone, else a new one.
 *
 * Either way the booking stores the typed details as its contact snapshot; on
 * the staff side (who may see the record anyway) an email, phone or language
 * not typed is taken from the linked record, so its messages still arrive.
 */
function insertSql(schemaName: string): string {
  const s = quoteSchema(schemaName);
  return `
WITH input AS (SELECT $1::text AS name, $2::text AS email, $3::text AS phone, $4::text AS locale),
found AS (
  SELECT c.id, c.email, c.phone, c.locale, (c.email IS NOT DISTINCT FROM i.email AND c.phone IS NOT DISTINCT FROM i.phone) AS exact,
         (i.email IS NOT NULL AND c.email = i.email) AS by_email
    FROM ${s}.customers c, input i
   WHERE (i.email IS NOT NULL AND c.email = i.email) OR (i.phone IS NOT NULL AND c.phone = i.phone)
), ins AS (
  INSERT INTO ${s}.customers (name, email, phone, locale)
  SELECT name, email, phone, locale FROM input WHERE NOT EXISTS (SELECT 1 FROM found)
  RETURNING id, email, phone, locale
), cust AS (
  (SELECT id, email, phone, locale FROM found WHERE exact OR $25::text = 'any' ORDER BY exact DESC, by_email DESC LIMIT 1)
  UNION ALL SELECT id, email, phone, locale FROM ins
), contact AS (
  SELECT (SELECT id FROM cust) AS customer_id,
         CASE WHEN $25::text = 'any' THEN coalesce($2::text, (SELECT email FROM cust)) ELSE $2::text END AS email,
         CASE WHEN $25::text = 'any' THEN coalesce($3::text, (SELECT phone FROM cust)) ELSE $3::text END AS phone,
         CASE WHEN $25::text = 'any' THEN coalesce($26::text, (SELECT locale FROM cust), $4::text) ELSE $4::text END AS locale
),
b AS (
  INSERT INTO ${s}.bookings (id, service_id, staff_id, resource_id, customer_id, starts_at, ends_at,
      blocked_from, blocked_until, session_key, seats, status, price_minor, currency, source, notes,
      idempotency_key, idempotency_fingerprint, contact_name, contact_email, contact_phone, contact_locale)
  SELECT $5::uuid, $6::uuid, $7::uuid, $8::uuid, contact.customer_id, $9::timestamptz, $10::timestamptz,
         $11::timestamptz, $12::timestamptz, $13::text, $14::int, $15::text, $16::int, $17::text, $18::text, $19::text,
         $20::text, $21::text, $1::text, contact.email, contact.phone, contact.locale
    FROM contact
   WHERE (SELECT coalesce(sum(x.seats), 0) FROM ${s}.bookings x
           WHERE x.session_key = $13::text AND x.staff_id = $7::uuid AND x.status <> 'cancelled') + $14::int <= $24::int
     AND ($8::uuid IS NULL OR (
           (SELECT coalesce(sum(x.seats), 0) FROM ${s}.bookings x
             WHERE x.session_key = $13::text AND x.resource_id = $8::uuid AND x.status <> 'cancelled') + $14::int <= $24::int
       AND NOT EXISTS (SELECT 1 FROM ${s}.bookings x
             WHERE x.session_key = $13::text AND x.resource_id = $8::uuid AND x.staff_id <> $7::uuid AND x.status <> 'cancelled')))
     AND ${underContactCapSql(schemaName, { email: "$2", phone: "$3", applies: "$27" })}
  RETURNING *
), ev AS (
  INSERT INTO ${s}.booking_events (booking_id, actor_type, actor_id, action, after)
  SELECT b.id, $22::text, $23::text, 'created', ${eventSnapshot("b")} FROM b
)
SELECT ${BOOKING_COLUMNS} FROM b`;
}

export async function fetchBooking(client: Client, tenant: TenantContext, id: string): Promise<BookingRow | null> {
  const { rows } = await client.query(`SELECT ${BOOKING_COLUMNS} FROM ${quoteSchema(tenant.schemaName)}.bookings b WHERE b.id = $1::uuid`, [
    id,
  ]);
  return (rows[0] as BookingRow | undefined) ?? null;
}

async function replay(client: Client, tenant: TenantContext, id: string, fingerprint: string): Promise<CreatedBooking> {
  const booking = await fetchBooking(client, tenant, id);
  if (!booking) throw new Conflict("The booking for this Idempotency-Key is gone.");
  if (booking.idempotency_fingerprint !== fingerprint) {
    throw new IdempotencyKeyReused();
  }
  return { booking, replayed: true };
}

export async function createBooking(
  client: Client,
  tenant: TenantContext,
  input: CreateBookingInput,
  now: number = Date.now(),
): Promise<CreatedBooking> {
  const customer = normaliseCustomer(input.customer, tenant.locale, phoneCountryOf(tenant));
  const notes = input.notes ?? "";
  const fingerprint = await fingerprintOf({
    service: input.serviceId,
    staff: input.staffId ?? null,
    start: input.start,
    customer,
    notes,
    source: input.source,
    status: input.status ?? null,
  });
  if (!Number.isFinite(input.start)) {
    throw new StartNotBookable("start must be an ISO 8601 instant.", "Invalid instant.");
  }
  const date = localDate(input.start, tenant.timeZone);
  const loaded = await loadAvailabilityInput(toDrizzle(client), tenant, {
    serviceId: input.serviceId,
    staffId: input.staffId ?? null,
    from: date,
    to: addDays(date, 1),
    idempotencyKey: input.idempotencyKey ?? null,
  });
  if (loaded.idempotent) return replay(client, tenant, loaded.idempotent.id, fingerprint);
  assertBookable(loaded, input.staffId);
  const scoped = restrictToUser(loaded, input);

  const slot = findSlot(tenant, scoped, { start: input.start, staffId: input.staffId, now, ignoreMinNotice: input.ignoreMinNotice });
  const service = scoped.service!;
  const id = crypto.randomUUID();
  const group = service.capacity > 1;
  const sessionKey = group ? `${service.id}@${slot.start}` : id;
  // Public bookings only: staff may book a customer as often as they like.
  const capped = input.source === "public";
  const params = [
    customer.name,
    customer.email,
    customer.phone,
    customer.locale,
    id,
    service.id,
    ...slotParams(slot),
    sessionKey,
    1,
    input.status ?? "confirmed",
    service.priceMinor,
    service.currency,
    input.source,
    notes,
    input.idempotencyKey ?? null,
    fingerprint,
    input.actor.type,
    input.actor.id,
    service.capacity,
    input.source === "public" ? "exact" : "any",
    input.customer.locale ?? null,
    capped,
  ];
  const text = insertSql(tenant.schemaName);
  const locks = [
    ...bookingLocks(tenant, group ? sessionKey : null, slot.resourceId, slot.staffId),
    ...(capped ? contactLocks(tenant, customer) : []),
  ];

  for (let attempt = 0; ; attempt++) {
    try {
      const rows = await queryUnderLock<BookingRow>(client, text, params, locks);
      if (rows[0]) return { booking: rows[0], replayed: false };
      // Only the contact cap or the capacity condition can make the insert select nothing.
      if (capped && (await contactCapReached(client, tenant, customer))) throw contactCapError();
      throw slotTaken("session_full", nextSlots(tenant, otherSlots(tenant, scoped, input, now, date), slot.start));
    } catch (error) {
      const excluded = exclusionViolation(error);
      const unique = uniqueViolation(error);
      if ((excluded || unique === "bookings_idempotency_key") && input.idempotencyKey) {
        // A concurrent retry with the same key may have won (it also holds the slot, so
        // either constraint can fire first): answer like it did.
        const existing = await client.query(`SELECT id FROM ${quoteSchema(tenant.schemaName)}.bookings WHERE idempotency_key = $1`, [
          input.idempotencyKey,
        ]);
        if (existing.rows[0]) return replay(client, tenant, (existing.rows[0] as { id: string }).id, fingerprint);
      }
      if (excluded) {
        const reason = excluded.includes("resource") ? "resource_unavailable" : "staff_unavailable";
        throw slotTaken(reason, nextSlots(tenant, otherSlots(tenant, scoped, input, now, date), slot.start));
      }
      // Two first bookings of one new customer raced on the contact's unique index: the retry finds the row.
      if (unique?.startsWith("customers_") && attempt === 0) continue;
      // Postgres chose this statement as a deadlock victim: nothing was written, try again.
      if (pgErrorCode(error) === "40P01" && attempt < 3) continue;
      throw error;
    }
  }
}

/**
 * Advisory locks a write takes before inserting. A group session's key makes
 * seat counting exact. The staff member's and the resource's ids serialise
 * writes to one calendar: an exclusion constraint is checked after the row is
 * in the index, so two concurrent overlapping inserts can each wait for the
 * other (a deadlock Postgres breaks after deadlock_timeout, 1 s, and that can
 * repeat on every retry: 500s at 32 concurrent bookings), and two constraints
 * (staff and room) can also wait on each other crosswise. Under the locks the
 * later insert sees the committed row and fails at once with 23P01 (a 409).
 */
export function bookingLocks(
  tenant: TenantContext,
  sessionKey: string | null,
  resourceId: string | null | undefined,
  staffId?: string | null,
): string[] {
  const locks: string[] = [];
  if (sessionKey) locks.push(`${tenant.schemaName}:session:${sessionKey}`);
  if (staffId) locks.push(`${tenant.schemaName}:staff:${staffId}`);
  if (resourceId) locks.push(`${tenant.schemaName}:resource:${resourceId}`);
  return locks;
}

/** Staff-role users book only their own calendar: other staff are not candidates. */
function restrictToUser(loaded: AvailabilityInput, input: CreateBookingInput): AvailabilityInput {
  if (!input.onlyUserId) return loaded;
  const own = loaded.staff.filter((s) => s.userId === input.onlyUserId);
  if (input.staffId && own.length === 0) {
    throw new Forbidden("Staff members can only book their own calendar.");
  }
  if (own.length === 0) throw new Forbidden("Your user is not linked to a staff member performing this service.");
  return { ...loaded, staff: own };
}

/** Slots of the loaded day, for the "next free" hint of a 409. */
function otherSlots(tenant: TenantContext, loaded: AvailabilityInput, input: CreateBookingInput, now: number, date: string) {
  try {
    return slotsFor(tenant, loaded, {
      from: date,
      to: addDays(date, 1),
      now,
      ignoreMinNotice: input.ignoreMinNotice,
      anyStaff: !input.staffId,
    });
  } catch {
    return [];
  }
}
