/**
 * Changes to existing bookings. Each is one statement that locks the row,
 * checks the allowed "from" statuses in its WHERE (so concurrent transitions
 * cannot both pass), updates, and appends the booking_events row with the
 * before/after snapshots. Staff-role callers are scoped in the SQL itself
 * (`onlyUserId`: the booking's staff row must belong to them), never by
 * filtering afterwards; out of scope reads exactly like "not found".
 */
import type { Client } from "@neondatabase/serverless";
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { type Database, toDrizzle } from "../db/client";
import { tenantTables } from "../db/schema/tenant";
import { toListQuery, totalCount } from "../http/list-query";
import { Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound } from "../domain/errors";
import { quoteSchema } from "../tenancy/naming";
import type { TenantContext } from "../domain/tenant";
import { loadAvailabilityInput } from "./slot-input.service";
import { BOOKING_COLUMNS, bookingListSpec, eventSnapshot, ms, type BookingRow } from "./booking.model";
import { bookingLocks, fetchBooking } from "./create-booking.service";
import { exclusionViolation } from "../db/errors";
import { findSlot, slotParams, slotTaken } from "./slot-check.service";
import { queryUnderLock } from "./sql-util";
import { addDays, localDate } from "./time";
import { allowedFrom, nextStatus, type BookingAction } from "./transitions";
import type { BookingStatus } from "../db/schema/tenant";

export interface Actor {
  type: "customer" | "user" | "system";
  id: string | null;
}

const notFound = () => new NotFound("No booking with this id.");

/** `EXISTS` clause restricting alias `b` to bookings of the user's own staff row ($n = user id or null). */
const scopeClause = (s: string, param: string) =>
  `(${param}::uuid IS NULL OR EXISTS (SELECT 1 FROM ${s}.staff f WHERE f.id = b.staff_id AND f.user_id = ${param}::uuid))`;

export async function findBookingScoped(client: Client, tenant: TenantContext, id: string, onlyUserId: string | null): Promise<BookingRow> {
  const s = quoteSchema(tenant.schemaName);
  const { rows } = await client.query(`SELECT ${BOOKING_COLUMNS} FROM ${s}.bookings b WHERE b.id = $1::uuid AND ${scopeClause(s, "$2")}`, [
    id,
    onlyUserId,
  ]);
  if (!rows[0]) throw notFound();
  return rows[0] as BookingRow;
}

const ACTION_EVENT: Record<BookingAction, string> = {
  confirm: "confirmed",
  complete: "completed",
  cancel: "cancelled",
  no_show: "no_show",
  reschedule: "rescheduled",
};

export function invalidTransition(status: BookingStatus, action: BookingAction): InvalidTransition {
  const what =
    action === "cancel" && status === "cancelled"
      ? "This booking is already cancelled."
      : `A ${status} booking cannot be ${ACTION_EVENT[action].replace("_", "-")}.`;
  return new InvalidTransition(what, { status, action });
}

/** Outcomes that only make sense once the appointment has started. */
const outcomeActions = new Set<BookingAction>(["complete", "no_show"]);

const notStarted = (action: BookingAction) =>
  new Conflict(
    `A booking can be ${ACTION_EVENT[action].replace("_", "-")} only once it has started; an owner or admin may send {"force": true} to record it earlier.`,
    "not_started",
    { action },
  );

/** confirm / complete / cancel / no-show. */
export async function transitionBooking(
  client: Client,
  tenant: TenantContext,
  args: {
    id: string;
    action: Exclude<BookingAction, "reschedule">;
    reason?: string | null;
    /** complete / no-show before the start (owner or admin, checked by the caller); recorded in the event. */
    force?: boolean;
    actor: Actor;
    onlyUserId: string | null;
    expectVersion?: number;
  },
): Promise<BookingRow> {
  const s = quoteSchema(tenant.schemaName);
  const needsStart = outcomeActions.has(args.action);
  const target = nextStatus(allowedFrom(args.action)[0]!, args.action)!;
  const { rows } = await client.query(
    `WITH cur AS (
       SELECT b.* FROM ${s}.bookings b
        WHERE b.id = $1::uuid AND ${scopeClause(s, "$2")} AND ($8::int IS NULL OR b.manage_token_version = $8::int)
        FOR UPDATE
     ), upd AS (
       UPDATE ${s}.bookings b
          SET status = $3::text,
              cancel_reason = CASE WHEN $3::text = 'cancelled' THEN $4::text ELSE b.cancel_reason END,
              updated_at = now()
         FROM cur
        WHERE b.id = cur.id AND cur.status = ANY($5::text[])
          AND (NOT $10::boolean OR $11::boolean OR cur.starts_at <= now())
        RETURNING b.*
     ), ev AS (
       INSERT INTO ${s}.booking_events (booking_id, actor_type, actor_id, action, before, after)
       SELECT upd.id, $6::text, $7::text, $9::text, ${eventSnapshot("cur")},
              ${eventSnapshot("upd")} || CASE WHEN $10::boolean AND cur.starts_at > now() THEN '{"override": true}'::jsonb ELSE '{}'::jsonb END
         FROM upd JOIN cur ON cur.id = upd.id
     )
     SELECT cur.status AS previous_status, cur.starts_at > now() AS not_started,
            (SELECT row_to_json(x) FROM (SELECT ${BOOKING_COLUMNS} FROM upd b) x) AS booking
       FROM cur`,
    [
      args.id,
      args.onlyUserId,
      target,
      args.reason ?? null,
      allowedFrom(args.action),
      args.actor.type,
      args.actor.id,
      args.expectVersion ?? null,
      ACTION_EVENT[args.action],
      needsStart,
      args.force === true,
    ],
  );
  const row = rows[0] as { previous_status: BookingStatus; not_started: boolean; booking: BookingRow | null } | undefined;
  if (!row) throw notFound();
  if (!row.booking) {
    if (needsStart && row.not_started && allowedFrom(args.action).includes(row.previous_status)) throw notStarted(args.action);
    throw invalidTransition(row.previous_status, args.action);
  }
  return row.booking;
}

/**
 * Moves a booking to another start, keeping its id. The new start must be a
 * slot the engine offers with the booking itself left out of the busy
 * blocks; the exclusion constraints still guard the UPDATE. Bumps the manage
 * token version (old links stop working; the caller issues a new one).
 */
export async function rescheduleBooking(
  client: Client,
  tenant: TenantContext,
  args: {
    booking: BookingRow;
    start: number;
    staffId?: string | null;
    actor: Actor;
    onlyUserId: string | null;
    ignoreMinNotice?: boolean;
    now?: number;
  },
): Promise<BookingRow> {
  const now = args.now ?? Date.now();
  const current = args.booking;
  if (!nextStatus(current.status, "reschedule")) throw invalidTransition(current.status, "reschedule");
  const staffId = args.staffId ?? current.staff_id;
  const date = localDate(args.start, tenant.timeZone);
  const loaded = await loadAvailabilityInput(toDrizzle(client), tenant, {
    serviceId: current.service_id,
    staffId,
    from: date,
    to: addDays(date, 1),
    excludeBookingId: current.id,
  });
  if (!loaded.service) throw notFound();
  if (!loaded.staff.some((f) => f.staffId === staffId)) {
    throw new InvalidInput(
      [{ field: "staff_id", message: "Not a staff member of this service." }],
      "This staff member does not perform the service (or is not active).",
    );
  }
  if (args.onlyUserId && !loaded.staff.some((f) => f.staffId === staffId && f.userId === args.onlyUserId)) {
    throw new Forbidden("Staff members can only move bookings within their own calendar.");
  }
  const slot = findSlot(tenant, loaded, { start: args.start, staffId, now, ignoreMinNotice: args.ignoreMinNotice });
  const service = loaded.service;
  const group = service.capacity > 1;
  const sessionKey = group ? `${service.id}@${slot.start}` : current.id;
  const s = quoteSchema(tenant.schemaName);
  const text = `
WITH cur AS (
  SELECT b.* FROM ${s}.bookings b WHERE b.id = $1::uuid AND ${scopeClause(s, "$12")} FOR UPDATE
), upd AS (
  UPDATE ${s}.bookings b
     SET staff_id = $2::uuid, resource_id = $3::uuid, starts_at = $4::timestamptz, ends_at = $5::timestamptz,
         blocked_from = $6::timestamptz, blocked_until = $7::timestamptz, session_key = $8::text,
         manage_token_version = b.manage_token_version + 1, updated_at = now()
    FROM cur
   WHERE b.id = cur.id AND cur.status IN ('pending', 'confirmed') AND cur.manage_token_version = $13::int
     AND (SELECT coalesce(sum(x.seats), 0) FROM ${s}.bookings x
           WHERE x.session_key = $8::text AND x.staff_id = $2::uuid AND x.status <> 'cancelled' AND x.id <> cur.id) + cur.seats <= $9::int
     AND ($3::uuid IS NULL OR (SELECT coalesce(sum(x.seats), 0) FROM ${s}.bookings x
           WHERE x.session_key = $8::text AND x.resource_id = $3::uuid AND x.status <> 'cancelled' AND x.id <> cur.id) + cur.seats <= $9::int)
  RETURNING b.*
), ev AS (
  INSERT INTO ${s}.booking_events (booking_id, actor_type, actor_id, action, before, after)
  SELECT upd.id, $10::text, $11::text, 'rescheduled', ${eventSnapshot("cur")}, ${eventSnapshot("upd")}
    FROM upd JOIN cur ON cur.id = upd.id
)
SELECT ${BOOKING_COLUMNS} FROM upd b`;
  const params = [
    current.id,
    ...slotParams(slot),
    sessionKey,
    service.capacity,
    args.actor.type,
    args.actor.id,
    args.onlyUserId,
    current.manage_token_version,
  ];
  try {
    const rows = await queryUnderLock<BookingRow>(
      client,
      text,
      params,
      bookingLocks(tenant, group ? sessionKey : null, slot.resourceId, slot.staffId),
    );
    if (rows[0]) return rows[0];
  } catch (error) {
    const excluded = exclusionViolation(error);
    if (excluded) throw slotTaken(excluded.includes("resource") ? "resource_unavailable" : "staff_unavailable", []);
    throw error;
  }
  // Nothing updated: the booking changed meanwhile, or the session filled up.
  const fresh = await fetchBooking(client, tenant, current.id);
  if (fresh && !nextStatus(fresh.status, "reschedule")) throw invalidTransition(fresh.status, "reschedule");
  if (group) throw slotTaken("session_full", []);
  throw new Conflict("The booking changed while it was being rescheduled; try again.");
}

/**
 * A page of bookings with the customer's and staff member's names. `from`/`to` are local dates of
 * the business, turned into instants by Postgres from the zone name; staff-role callers (`onlyUserId`)
 * see only their own calendar, in the SQL.
 */
export async function listBookings(
  db: Database,
  tenant: TenantContext,
  query: Record<string, unknown> & { from?: string; to?: string },
  onlyUserId: string | null,
) {
  const t = tenantTables(tenant.schemaName);
  const zone = tenant.timeZone;
  const extra = [
    onlyUserId ? eq(t.staff.userId, onlyUserId) : undefined,
    query.from ? gte(t.bookings.startsAt, sql`(${query.from}::date::timestamp AT TIME ZONE ${zone})`) : undefined,
    query.to ? lt(t.bookings.startsAt, sql`((${query.to}::date + 1)::timestamp AT TIME ZONE ${zone})`) : undefined,
  ];
  const list = toListQuery(bookingListSpec(t), query, extra);
  const b = t.bookings;
  const rows = await db
    .select({
      id: b.id,
      status: b.status,
      service_id: b.serviceId,
      staff_id: b.staffId,
      resource_id: b.resourceId,
      customer_id: b.customerId,
      starts_at: b.startsAt,
      ends_at: b.endsAt,
      seats: b.seats,
      price_minor: b.priceMinor,
      currency: b.currency,
      source: b.source,
      notes: b.notes,
      cancel_reason: b.cancelReason,
      created_at: b.createdAt,
      updated_at: b.updatedAt,
      contact_name: b.contactName,
      contact_email: b.contactEmail,
      contact_phone: b.contactPhone,
      contact_locale: b.contactLocale,
      // The record's details when linked; an unlinked booking shows its own contact.
      customer_name: sql<string>`coalesce(${t.customers.name}, ${b.contactName}, '')`,
      customer_email: sql<string | null>`CASE WHEN ${t.customers.id} IS NULL THEN ${b.contactEmail} ELSE ${t.customers.email} END`,
      customer_phone: sql<string | null>`CASE WHEN ${t.customers.id} IS NULL THEN ${b.contactPhone} ELSE ${t.customers.phone} END`,
      staff_name: t.staff.displayName,
      total_count: totalCount(),
    })
    .from(b)
    .leftJoin(t.customers, eq(t.customers.id, b.customerId))
    .innerJoin(t.staff, eq(t.staff.id, b.staffId))
    .where(and(list.where))
    .orderBy(...list.orderBy)
    .limit(list.limit)
    .offset(list.offset);
  return { rows, list };
}

export interface PaymentSummary {
  price_minor: number;
  paid_minor: number;
  refunded_minor: number;
  due_minor: number;
  currency: string;
}

export function paymentSummary(priceMinor: number, currency: string, paid: number, refunded: number): PaymentSummary {
  return {
    price_minor: priceMinor,
    paid_minor: paid,
    refunded_minor: refunded,
    due_minor: Math.max(priceMinor - (paid - refunded), 0),
    currency,
  };
}

export interface BookingDetailRow extends BookingRow {
  customer: { id: string; name: string; email: string | null; phone: string | null } | null;
  service_name: string;
  staff_name: string;
  events: {
    id: number;
    actor_type: string;
    actor_id: string | null;
    action: string;
    before: unknown;
    after: unknown;
    created_at: string;
  }[];
  paid: number;
  refunded: number;
}

/** A booking with its customer, events and payment totals, in one statement. */
export async function bookingDetail(
  client: Client,
  tenant: TenantContext,
  id: string,
  onlyUserId: string | null,
): Promise<BookingDetailRow> {
  const s = quoteSchema(tenant.schemaName);
  const { rows } = await client.query(
    `SELECT ${BOOKING_COLUMNS},
            CASE WHEN c.id IS NOT NULL THEN json_build_object('id', c.id, 'name', c.name, 'email', c.email, 'phone', c.phone) END AS customer,
            sv.name AS service_name, f.display_name AS staff_name,
            (SELECT coalesce(json_agg(json_build_object('id', e.id, 'actor_type', e.actor_type, 'actor_id', e.actor_id,
                     'action', e.action, 'before', e.before, 'after', e.after, 'created_at', e.created_at) ORDER BY e.id), '[]'::json)
               FROM ${s}.booking_events e WHERE e.booking_id = b.id) AS events,
            (SELECT coalesce(sum(p.amount_minor) FILTER (WHERE p.kind <> 'refund'), 0)::int FROM ${s}.payment_transactions p WHERE p.booking_id = b.id) AS paid,
            (SELECT coalesce(sum(p.amount_minor) FILTER (WHERE p.kind = 'refund'), 0)::int FROM ${s}.payment_transactions p WHERE p.booking_id = b.id) AS refunded
       FROM ${s}.bookings b
       LEFT JOIN ${s}.customers c ON c.id = b.customer_id
       JOIN ${s}.services sv ON sv.id = b.service_id
       JOIN ${s}.staff f ON f.id = b.staff_id
      WHERE b.id = $1::uuid AND ($2::uuid IS NULL OR f.user_id = $2::uuid)`,
    [id, onlyUserId],
  );
  if (!rows[0]) throw notFound();
  return rows[0] as BookingDetailRow;
}

export interface PaymentInput {
  kind: "deposit" | "payment" | "refund";
  method: "cash" | "card" | "transfer" | "online";
  amountMinor: number;
  currency?: string | null;
  reference?: string | null;
}

export interface PaymentRow {
  id: string;
  booking_id: string;
  kind: string;
  method: string;
  amount_minor: number;
  currency: string;
  reference: string;
  recorded_by: string | null;
  created_at: string;
}

/**
 * Records a payment. Payments of one booking are serialised by an advisory
 * lock taken in the same round trip, so two concurrent refunds cannot both
 * pass the "not more than paid" check.
 */
export async function recordPayment(
  client: Client,
  tenant: TenantContext,
  args: { bookingId: string; payment: PaymentInput; userId: string; onlyUserId: string | null },
): Promise<{ payment: PaymentRow; summary: PaymentSummary }> {
  const s = quoteSchema(tenant.schemaName);
  const text = `
WITH b AS (
  SELECT b.id, b.currency, b.price_minor FROM ${s}.bookings b WHERE b.id = $1::uuid AND ${scopeClause(s, "$2")}
), t AS (
  SELECT coalesce(sum(p.amount_minor) FILTER (WHERE p.kind <> 'refund'), 0)::int AS paid,
         coalesce(sum(p.amount_minor) FILTER (WHERE p.kind = 'refund'), 0)::int AS refunded
    FROM ${s}.payment_transactions p WHERE p.booking_id = $1::uuid
), ins AS (
  INSERT INTO ${s}.payment_transactions (booking_id, kind, method, amount_minor, currency, reference, recorded_by)
  SELECT b.id, $3::text, $4::text, $5::int, coalesce($6::text, b.currency), coalesce($7::text, ''), $8::uuid
    FROM b, t
   WHERE coalesce($6::text, b.currency) = b.currency AND ($3::text <> 'refund' OR t.paid - t.refunded >= $5::int)
  RETURNING *
), ev AS (
  INSERT INTO ${s}.booking_events (booking_id, actor_type, actor_id, action, after)
  SELECT ins.booking_id, 'user', $8::text, 'payment_recorded',
         jsonb_build_object('payment_id', ins.id, 'kind', ins.kind, 'method', ins.method, 'amount_minor', ins.amount_minor, 'currency', ins.currency)
    FROM ins
)
SELECT (SELECT row_to_json(b) FROM b) AS booking, (SELECT row_to_json(t) FROM t) AS totals, (SELECT row_to_json(ins) FROM ins) AS payment`;
  const p = args.payment;
  const rows = await queryUnderLock<{
    booking: { currency: string; price_minor: number } | null;
    totals: { paid: number; refunded: number };
    payment: PaymentRow | null;
  }>(
    client,
    text,
    [args.bookingId, args.onlyUserId, p.kind, p.method, p.amountMinor, p.currency ?? null, p.reference ?? null, args.userId],
    [`${tenant.schemaName}:payments:${args.bookingId}`],
  );
  const row = rows[0]!;
  if (!row.booking) throw notFound();
  const invalid = (field: string, message: string) => new InvalidInput([{ field, message }], message);
  if (!row.payment) {
    if (p.currency && p.currency !== row.booking.currency)
      throw invalid("currency", `Payments of this booking are in ${row.booking.currency}.`);
    throw invalid(
      "amount_minor",
      `A refund cannot exceed the amount paid (${row.totals.paid - row.totals.refunded} ${row.booking.currency} minor units).`,
    );
  }
  let { paid, refunded } = row.totals;
  if (p.kind === "refund") refunded += p.amountMinor;
  else paid += p.amountMinor;
  return { payment: row.payment, summary: paymentSummary(row.booking.price_minor, row.booking.currency, paid, refunded) };
}

export async function listPayments(client: Client, tenant: TenantContext, bookingId: string, onlyUserId: string | null) {
  const s = quoteSchema(tenant.schemaName);
  const { rows } = await client.query(
    `SELECT (SELECT row_to_json(x) FROM (SELECT b.id, b.price_minor, b.currency FROM ${s}.bookings b WHERE b.id = $1::uuid AND ${scopeClause(s, "$2")}) x) AS booking,
            (SELECT coalesce(json_agg(p ORDER BY p.created_at, p.id), '[]'::json) FROM ${s}.payment_transactions p WHERE p.booking_id = $1::uuid) AS payments`,
    [bookingId, onlyUserId],
  );
  const row = rows[0] as { booking: { id: string; price_minor: number; currency: string } | null; payments: PaymentRow[] };
  if (!row.booking) throw notFound();
  let paid = 0;
  let refunded = 0;
  for (const p of row.payments) {
    if (p.kind === "refund") refunded += p.amount_minor;
    else paid += p.amount_minor;
  }
  return { payments: row.payments, summary: paymentSummary(row.booking.price_minor, row.booking.currency, paid, refunded) };
}

export { ms };
