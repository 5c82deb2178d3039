/**
 * Creating a booking, in TWO round trips on the request's HTTP handle:
 *
 *  1. the load (one statement, slot-input.service.ts; the idempotency key is
 *     looked up in it), then the slot engine re-checks the start against
 *     exactly those rows (TypeScript, never duplicated in SQL);
 *  2. the write: advisory locks plus ONE statement (data-modifying CTEs)
 *     inserting the customer, the booking and its 'created' event, sent as
 *     one non-interactive transaction (`underLocks`, src/db/sql.ts: `batch`,
 *     one HTTP request, real bind parameters).
 *
 * Why not one: the write depends on the engine's answer (which staff member,
 * which resource, is the start a slot at all), and a non-interactive
 * transaction cannot run TypeScript between its statements; folding the
 * choice into SQL would duplicate the engine. The exclusion constraints are
 * the real guard against double booking; a lost race surfaces as 23P01 → 409.
 *
 * Group sessions: seats of one session share a `session_key`, which the
 * exclusion constraints let overlap, so capacity is enforced here: the insert
 * runs after `pg_advisory_xact_lock(session key)` in the same transaction and
 * only inserts while the seats already taken (per staff and per resource)
 * leave room; in READ COMMITTED the insert sees every row committed by the
 * previous holder of the lock.
 *
 * Staff side extras (the API and the back office call `createStaffBooking`):
 * `customerId` books for an existing record; `offGrid` (owners and admins)
 * accepts any start (a walk-in, a custom time): only the constraints apply,
 * and the result lists `warnings` (outside working hours, in the past…).
 */
import { eq, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { computeWorkingIntervals, type Slot } from "../availability";
import type { Queryable } from "../db/client";
import { exclusionViolation, pgErrorCode, uniqueViolation } from "../db/errors";
import { type TenantTables, tenantTables } from "../db/schema/tenant";
import { columnList, underLocks } from "../db/sql";
import { normaliseEmail, normalisePhone } from "../domain/contact";
import { DEFAULT_COUNTRY, phoneCountryOf } from "../domain/country";
import { Conflict, Forbidden, InvalidInput } from "../domain/errors";
import { DEFAULT_LOCALE, isLocale, type Locale } from "../domain/locales";
import type { TenantContext } from "../domain/tenant";
import { bookingColumns, bookingRow, type BookingRow, eventSnapshot } from "./booking.model";
import { contactCapError, contactCapReached, contactLocks, underContactCap } from "./contact-cap.service";
import { assertBookable, findSlot, nextSlots, slotParams, slotTaken, StartNotBookable } from "./slot-check.service";
import { type AvailabilityInput, loadAvailabilityInput, slotsFor } from "./slot-input.service";
import { addDays, localDate } from "./time";

export interface CustomerInput {
  name: string;
  email?: string | null;
  phone?: string | null;
  locale?: Locale;
}

/** With `customerId`: details typed to override the record's for this booking's contact (all optional). */
export type CustomerOverride = Partial<CustomerInput>;

export interface CreateBookingInput {
  serviceId: string;
  /** Absent = any staff performing the service. */
  staffId?: string | null;
  /** Epoch ms. */
  start: number;
  /** Required unless `customerId` is given (then only the details to use instead of the record's). */
  customer?: CustomerInput | CustomerOverride | null;
  /** Staff side: book for this existing customer record of the tenant. */
  customerId?: string | null;
  notes?: string;
  source: "public" | "staff";
  status?: "pending" | "confirmed";
  idempotencyKey?: string | null;
  actor: { type: "customer" | "user"; id: string | null };
  /** Staff-side bookings may ignore the minimum notice. */
  ignoreMinNotice?: boolean;
  /** Staff-role users may only book their own calendar (and only customers they may see). */
  onlyUserId?: string | null;
  /** Owners and admins (staff side): any start, off the slot grid, outside working hours or in the past. */
  offGrid?: boolean;
}

/** Why an off-grid booking is unusual (empty for a booking on an offered slot). */
export type BookingWarning = "in_the_past" | "outside_working_hours" | "during_time_off";

export interface CreatedBooking {
  booking: BookingRow;
  /** True when an earlier request with the same Idempotency-Key created it. */
  replayed: boolean;
  warnings: BookingWarning[];
}

export interface NormalisedCustomer {
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

/** Typed details that override a linked record's (customer_id): each optional, normalised when given. */
function normaliseOverride(customer: CustomerOverride | null | undefined, country: string): Partial<NormalisedCustomer> {
  if (!customer) return {};
  const name = customer.name?.trim();
  return {
    name: name ? name : undefined,
    email: customer.email ? normaliseEmail(customer.email, "customer.email") : null,
    phone: customer.phone ? normalisePhone(customer.phone, country, "customer.phone") : null,
    locale: customer.locale,
  };
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
type Link =
  | { mode: "exact" | "any"; customer: NormalisedCustomer; typedLocale: string | null }
  | { mode: "record"; customerId: string; onlyUserId: string | null; typed: Partial<NormalisedCustomer>; defaultLocale: string };

interface WriteArgs {
  id: string;
  serviceId: string;
  slot: Slot;
  sessionKey: string;
  capacity: number;
  status: string;
  priceMinor: number;
  currency: string;
  source: string;
  notes: string;
  idempotencyKey: string | null;
  fingerprint: string;
  actor: { type: string; id: string | null };
  link: Link;
  /** The contact cap applies (public bookings): the typed contact. */
  capped: { email: string | null; phone: string | null } | null;
}

/** `input` (the typed contact) and `cust` (the linked record: zero or one row) of the insert. */
function customerCtes(t: TenantTables, link: Link): SQL {
  const c = alias(t.customers, "c");
  const C = t.customers;
  if (link.mode === "record") {
    const { typed } = link;
    const visible = link.onlyUserId
      ? (() => {
          const x = alias(t.bookings, "x");
          const f = alias(t.staff, "f");
          return sql`AND (${c.createdBy} = ${link.onlyUserId}::uuid OR EXISTS (SELECT 1 FROM ${t.bookings} x JOIN ${t.staff} f ON ${f.id} = ${x.staffId}
                       WHERE ${x.customerId} = ${c.id} AND ${f.userId} = ${link.onlyUserId}::uuid))`;
        })()
      : sql``;
    return sql`input AS (SELECT ${typed.name ?? null}::text AS name, ${typed.email ?? null}::text AS email, ${typed.phone ?? null}::text AS phone,
                           ${typed.locale ?? null}::text AS locale),
cust AS (
  SELECT ${c.id} AS id, ${c.name} AS name, ${c.email} AS email, ${c.phone} AS phone, ${c.locale} AS locale
    FROM ${C} c WHERE ${c.id} = ${link.customerId}::uuid ${visible}
)`;
  }
  const k = link.customer;
  // exact: only the record holding exactly the typed email and phone; any: the best match.
  const pick = link.mode === "exact" ? sql`WHERE exact` : sql``;
  return sql`input AS (SELECT ${k.name}::text AS name, ${k.email}::text AS email, ${k.phone}::text AS phone, ${k.locale}::text AS locale),
found AS (
  SELECT ${c.id} AS id, ${c.name} AS name, ${c.email} AS email, ${c.phone} AS phone, ${c.locale} AS locale,
         (${c.email} IS NOT DISTINCT FROM i.email AND ${c.phone} IS NOT DISTINCT FROM i.phone) AS exact,
         (i.email IS NOT NULL AND ${c.email} = i.email) AS by_email
    FROM ${C} c, input i
   WHERE (i.email IS NOT NULL AND ${c.email} = i.email) OR (i.phone IS NOT NULL AND ${c.phone} = i.phone)
), ins AS (
  INSERT INTO ${C} (${columnList(C.name, C.email, C.phone, C.locale)})
  SELECT name, email, phone, locale FROM input WHERE NOT EXISTS (SELECT 1 FROM found)
  RETURNING ${columnList(C.id, C.name, C.email, C.phone, C.locale)}
), cust AS (
  (SELECT id, name, email, phone, locale FROM found ${pick} ORDER BY exact DESC, by_email DESC LIMIT 1)
  UNION ALL SELECT id, name, email, phone, locale FROM ins
)`;
}

/**
 * The booking's contact snapshot: exactly what was typed on the public side;
 * on the staff side a detail not typed is taken from the linked record, so its
 * messages still arrive.
 */
function contactCte(link: Link): SQL {
  if (link.mode === "exact") {
    return sql`contact AS (SELECT (SELECT id FROM cust) AS customer_id, i.name, i.email, i.phone, i.locale FROM input i)`;
  }
  const locale =
    link.mode === "record"
      ? sql`coalesce(i.locale, (SELECT locale FROM cust), ${link.defaultLocale}::text)`
      : sql`coalesce(${link.typedLocale}::text, (SELECT locale FROM cust), i.locale)`;
  const name = link.mode === "record" ? sql`coalesce(i.name, (SELECT name FROM cust))` : sql`i.name`;
  return sql`contact AS (
  SELECT (SELECT id FROM cust) AS customer_id, ${name} AS name,
         coalesce(i.email, (SELECT email FROM cust)) AS email, coalesce(i.phone, (SELECT phone FROM cust)) AS phone, ${locale} AS locale
    FROM input i
)`;
}

/** Link the customer, insert the booking and its 'created' event: one statement, nothing when capacity / cap / record say no. */
function insertStatement(t: TenantTables, w: WriteArgs): SQL {
  const B = t.bookings;
  const E = t.bookingEvents;
  const x = alias(t.bookings, "x");
  const b = alias(t.bookings, "b");
  const [staffId, resourceId, startsAt, endsAt, blockedFrom, blockedUntil] = slotParams(w.slot);
  const seatsTaken = (owner: SQL) =>
    sql`(SELECT coalesce(sum(${x.seats}), 0) FROM ${B} x
          WHERE ${x.sessionKey} = ${w.sessionKey}::text AND ${owner} AND ${x.status} <> 'cancelled') + 1 <= ${w.capacity}::int`;
  const conditions: SQL[] = [seatsTaken(sql`${x.staffId} = ${staffId}::uuid`)];
  if (resourceId) {
    conditions.push(seatsTaken(sql`${x.resourceId} = ${resourceId}::uuid`));
    // A session's room holds one staff member's session.
    conditions.push(sql`NOT EXISTS (SELECT 1 FROM ${B} x
          WHERE ${x.sessionKey} = ${w.sessionKey}::text AND ${x.resourceId} = ${resourceId}::uuid
            AND ${x.staffId} <> ${staffId}::uuid AND ${x.status} <> 'cancelled')`);
  }
  if (w.link.mode === "record") conditions.push(sql`contact.customer_id IS NOT NULL`);
  if (w.capped) conditions.push(underContactCap(t, w.capped));
  return sql`
WITH ${customerCtes(t, w.link)},
${contactCte(w.link)},
b AS (
  INSERT INTO ${B} (${columnList(
    B.id,
    B.serviceId,
    B.staffId,
    B.resourceId,
    B.customerId,
    B.startsAt,
    B.endsAt,
    B.blockedFrom,
    B.blockedUntil,
    B.sessionKey,
    B.seats,
    B.status,
    B.priceMinor,
    B.currency,
    B.source,
    B.notes,
    B.idempotencyKey,
    B.idempotencyFingerprint,
    B.contactName,
    B.contactEmail,
    B.contactPhone,
    B.contactLocale,
  )})
  SELECT ${w.id}::uuid, ${w.serviceId}::uuid, ${staffId}::uuid, ${resourceId}::uuid, contact.customer_id,
         ${startsAt}::timestamptz, ${endsAt}::timestamptz, ${blockedFrom}::timestamptz, ${blockedUntil}::timestamptz,
         ${w.sessionKey}::text, 1, ${w.status}::text, ${w.priceMinor}::int, ${w.currency}::text, ${w.source}::text, ${w.notes}::text,
         ${w.idempotencyKey}::text, ${w.fingerprint}::text, contact.name, contact.email, contact.phone, contact.locale
    FROM contact
   WHERE ${sql.join(conditions, sql`\n     AND `)}
  RETURNING *
), ev AS (
  INSERT INTO ${E} (${columnList(E.bookingId, E.actorType, E.actorId, E.action, E.after)})
  SELECT ${b.id}, ${w.actor.type}::text, ${w.actor.id}::text, 'created', ${eventSnapshot(b)} FROM b
)
SELECT ${bookingColumns(b)} FROM b`;
}

/** One booking by id (every column of `BookingRow`), or null. */
export async function fetchBooking(db: Queryable, tenant: TenantContext, id: string): Promise<BookingRow | null> {
  const t = tenantTables(tenant.schemaName);
  const b = alias(t.bookings, "b");
  const result = (await db.execute(sql`SELECT ${bookingColumns(b)} FROM ${t.bookings} b WHERE ${b.id} = ${id}::uuid`)) as unknown as {
    rows: Record<string, unknown>[];
  };
  return result.rows[0] ? bookingRow(result.rows[0]) : null;
}

async function replay(db: Queryable, tenant: TenantContext, id: string, fingerprint: string): Promise<CreatedBooking> {
  const booking = await fetchBooking(db, tenant, id);
  if (!booking) throw new Conflict("The booking for this Idempotency-Key is gone.");
  if (booking.idempotency_fingerprint !== fingerprint) {
    throw new IdempotencyKeyReused();
  }
  return { booking, replayed: true, warnings: [] };
}

const customerIdError = (detail: string) => new InvalidInput([{ field: "customer_id", message: detail }], detail);

/**
 * Creates a booking (public form, API, staff side): load, check with the slot
 * engine (or, off the grid, only the service and staff), locked write. Takes
 * any `Queryable`; on the request's HTTP handle that is two round trips.
 */
export async function createBooking(
  db: Queryable,
  tenant: TenantContext,
  input: CreateBookingInput,
  now: number = Date.now(),
): Promise<CreatedBooking> {
  const country = phoneCountryOf(tenant);
  const byRecord = input.source === "staff" && !!input.customerId;
  if (input.customerId && input.source !== "staff") throw customerIdError("Only staff can book for a customer record.");
  if (input.offGrid && (input.source !== "staff" || input.onlyUserId)) {
    throw new Forbidden("Only an owner or admin may book a custom time outside the offered slots.");
  }
  if (!byRecord && !input.customer?.name) {
    throw new InvalidInput([{ field: "customer", message: "Give the customer's details or a customer_id." }]);
  }
  const customer = byRecord ? null : normaliseCustomer(input.customer as CustomerInput, tenant.locale, country);
  const typed = byRecord ? normaliseOverride(input.customer, country) : null;
  const notes = input.notes ?? "";
  const fingerprint = await fingerprintOf({
    service: input.serviceId,
    staff: input.staffId ?? null,
    start: input.start,
    customer: customer ?? typed,
    notes,
    source: input.source,
    status: input.status ?? null,
    // Absent (not null) on ordinary requests: their fingerprints stay what they were.
    ...(byRecord ? { customer_id: input.customerId } : {}),
    ...(input.offGrid ? { off_grid: true } : {}),
  });
  if (!Number.isFinite(input.start)) {
    throw new StartNotBookable("start must be an ISO 8601 instant.", "Invalid instant.");
  }
  if (input.offGrid && !input.staffId) {
    throw new InvalidInput([{ field: "staff_id", message: "A custom time needs the staff member." }]);
  }
  const date = localDate(input.start, tenant.timeZone);
  const loaded = await loadAvailabilityInput(db, tenant, {
    serviceId: input.serviceId,
    staffId: input.staffId ?? null,
    from: date,
    to: addDays(date, 1),
    idempotencyKey: input.idempotencyKey ?? null,
  });
  if (loaded.idempotent) return replay(db, tenant, loaded.idempotent.id, fingerprint);
  assertBookable(loaded, input.staffId);
  const scoped = restrictToUser(loaded, input);

  const slot = input.offGrid
    ? offGridSlot(scoped, input.staffId!, input.start)
    : findSlot(tenant, scoped, { start: input.start, staffId: input.staffId, now, ignoreMinNotice: input.ignoreMinNotice });
  const warnings = input.offGrid ? offGridWarnings(tenant, scoped, slot, now) : [];
  const service = scoped.service!;
  const id = crypto.randomUUID();
  const group = service.capacity > 1;
  const sessionKey = group ? `${service.id}@${slot.start}` : id;
  // Public bookings only: staff may book a customer as often as they like.
  const capped = input.source === "public" && customer ? { email: customer.email, phone: customer.phone } : null;
  const link: Link = byRecord
    ? {
        mode: "record",
        customerId: input.customerId!,
        onlyUserId: input.onlyUserId ?? null,
        typed: typed!,
        defaultLocale: defaultLocaleOf(tenant),
      }
    : { mode: input.source === "public" ? "exact" : "any", customer: customer!, typedLocale: input.customer?.locale ?? null };
  const t = tenantTables(tenant.schemaName);
  const statement = insertStatement(t, {
    id,
    serviceId: service.id,
    slot,
    sessionKey,
    capacity: service.capacity,
    // Online bookings wait for staff when the business asks for approval (settings).
    status: input.status ?? (input.source === "public" && scoped.settings.needsApproval ? "pending" : "confirmed"),
    priceMinor: service.priceMinor,
    currency: service.currency,
    source: input.source,
    notes,
    idempotencyKey: input.idempotencyKey ?? null,
    fingerprint,
    actor: input.actor,
    link,
    capped,
  });
  const locks = [
    ...bookingLocks(tenant, group ? sessionKey : null, slot.resourceId, slot.staffId),
    ...(capped ? contactLocks(tenant, capped) : []),
  ];
  const conflictHint = () => (input.offGrid ? [] : nextSlots(tenant, otherSlots(tenant, scoped, input, now, date), slot.start));

  for (let attempt = 0; ; attempt++) {
    try {
      const rows = await underLocks<Record<string, unknown>>(db, locks, statement);
      if (rows[0]) return { booking: bookingRow(rows[0]), replayed: false, warnings };
      // Nothing inserted: the record (customer_id), the contact cap or the capacity said no.
      if (byRecord && !(await customerVisible(db, t, input.customerId!, input.onlyUserId ?? null))) {
        throw customerIdError("No customer of this business has this id.");
      }
      if (capped && (await contactCapReached(db, t, capped))) throw contactCapError();
      throw slotTaken("session_full", conflictHint());
    } catch (error) {
      const excluded = exclusionViolation(error);
      const unique = uniqueViolation(error);
      if ((excluded || unique === "bookings_idempotency_key") && input.idempotencyKey) {
        // A concurrent retry with the same key may have won (it also holds the slot, so
        // either constraint can fire first): answer like it did.
        const [existing] = await db
          .select({ id: t.bookings.id })
          .from(t.bookings)
          .where(eq(t.bookings.idempotencyKey, input.idempotencyKey));
        if (existing) return replay(db, tenant, existing.id, fingerprint);
      }
      if (excluded) {
        const reason = excluded.includes("resource") ? "resource_unavailable" : "staff_unavailable";
        throw slotTaken(reason, conflictHint());
      }
      // A customer_id of no customer at all (or a malformed one the route let through).
      if (byRecord && pgErrorCode(error) === "23503") throw customerIdError("No customer of this business has this id.");
      // Two first bookings of one new customer raced on the contact's unique index: the retry finds the row.
      if (unique?.startsWith("customers_") && attempt === 0) continue;
      // Postgres chose this statement as a deadlock victim: nothing was written, try again.
      if (pgErrorCode(error) === "40P01" && attempt < 3) continue;
      throw error;
    }
  }
}

function defaultLocaleOf(tenant: TenantContext): string {
  return isLocale(tenant.locale) ? tenant.locale : DEFAULT_LOCALE;
}

/** Is `customerId` a record of this tenant that the caller may book for? (Only after a refused insert.) */
async function customerVisible(db: Queryable, t: TenantTables, customerId: string, onlyUserId: string | null): Promise<boolean> {
  const c = alias(t.customers, "c");
  const x = alias(t.bookings, "x");
  const f = alias(t.staff, "f");
  const scope = onlyUserId
    ? sql`AND (${c.createdBy} = ${onlyUserId}::uuid OR EXISTS (SELECT 1 FROM ${t.bookings} x JOIN ${t.staff} f ON ${f.id} = ${x.staffId}
               WHERE ${x.customerId} = ${c.id} AND ${f.userId} = ${onlyUserId}::uuid))`
    : sql``;
  const result = (await db.execute(sql`SELECT 1 AS one FROM ${t.customers} c WHERE ${c.id} = ${customerId}::uuid ${scope}`)) as unknown as {
    rows: unknown[];
  };
  return result.rows.length > 0;
}

/**
 * Where an off-grid booking goes: the staff member asked for, the service's
 * duration and buffers from `start`, and (when the service needs one) the
 * first resource with nothing loaded overlapping; the exclusion constraints
 * still decide.
 */
function offGridSlot(loaded: AvailabilityInput, staffId: string, start: number): Slot {
  const service = loaded.service!;
  const end = start + service.durationMin * 60_000;
  const blockedStart = start - service.bufferBeforeMin * 60_000;
  const blockedEnd = end + service.bufferAfterMin * 60_000;
  const slot: Slot = { start, end, blockedStart, blockedEnd, staffId };
  if (service.requiredResourceType === null) return slot;
  const sameSession = (b: { serviceId?: string; slotStart?: number }) =>
    service.capacity > 1 && b.serviceId === service.id && b.slotStart === start;
  const free = loaded.resources.find((r) => r.busy.every((b) => sameSession(b) || b.end <= blockedStart || b.start >= blockedEnd));
  if (!free) throw slotTaken("resource_unavailable", []);
  return { ...slot, resourceId: free.resourceId };
}

/** What is unusual about an off-grid booking (the engine's working hours of the staff member). */
function offGridWarnings(tenant: TenantContext, loaded: AvailabilityInput, slot: Slot, now: number): BookingWarning[] {
  const warnings: BookingWarning[] = [];
  if (slot.start < now) warnings.push("in_the_past");
  const staff = loaded.staff.find((s) => s.staffId === slot.staffId);
  if (staff) {
    const date = localDate(slot.start, staff.timeZone ?? tenant.timeZone);
    const hours = computeWorkingIntervals(
      { timeZone: staff.timeZone ?? tenant.timeZone, weekly: staff.weekly, overrides: staff.overrides },
      addDays(date, -1),
      addDays(date, 1),
    );
    if (!hours.some((h) => h.start <= slot.start && slot.end <= h.end)) warnings.push("outside_working_hours");
    if (staff.busy.some((b) => b.serviceId === undefined && b.start < slot.end && b.end > slot.start)) warnings.push("during_time_off");
  }
  return warnings;
}

/** The staff-side booking request (the API's body, the back office's form), already parsed. */
export interface StaffBookingRequest {
  serviceId: string;
  staffId?: string | null;
  /** Epoch ms. */
  start: number;
  customer?: CustomerInput | CustomerOverride | null;
  customerId?: string | null;
  notes?: string;
  status?: "pending" | "confirmed";
  offGrid?: boolean;
  idempotencyKey?: string | null;
}

/**
 * A booking made by a signed-in user (API `POST /api/bookings` and the back
 * office): minimum notice does not apply; `onlyUserId` (staff role) limits it
 * to the user's own calendar and to customers they may see, and refuses
 * `offGrid` (403).
 */
export function createStaffBooking(
  db: Queryable,
  tenant: TenantContext,
  by: { userId: string; onlyUserId: string | null },
  req: StaffBookingRequest,
  now: number = Date.now(),
): Promise<CreatedBooking> {
  return createBooking(
    db,
    tenant,
    {
      serviceId: req.serviceId,
      staffId: req.staffId ?? null,
      start: req.start,
      customer: req.customer ?? null,
      customerId: req.customerId ?? null,
      notes: req.notes,
      source: "staff",
      status: req.status,
      idempotencyKey: req.idempotencyKey ?? null,
      actor: { type: "user", id: by.userId },
      ignoreMinNotice: true,
      onlyUserId: by.onlyUserId,
      offGrid: req.offGrid === true,
    },
    now,
  );
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
