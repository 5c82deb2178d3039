/**
 * Changes to existing bookings. Each is one statement that locks the row,
 * checks the allowed "from" statuses in its WHERE (so concurrent transitions
 * cannot both pass), updates, and appends the booking_events row with the
 * before/after snapshots. Staff-role callers are scoped in the SQL itself
 * (`onlyUserId`: the booking's staff row must belong to them), never by
 * filtering afterwards; out of scope reads exactly like "not found".
 */
import { and, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Queryable, rowsOf } from "../db/client";
import { exclusionViolation } from "../db/errors";
import { type BookingStatus, type TenantTables, tenantTables } from "../db/schema/tenant";
import { columnList, columnName, underLocks } from "../db/sql";
import { Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound } from "../domain/errors";
import type { TenantContext } from "../domain/tenant";
import { toListQuery, totalCount } from "../http/list-query";
import { bookingColumns, type BookingColumns, bookingListSpec, bookingRow, type BookingRow, eventSnapshot, ms } from "./booking.model";
import { bookingLocks, fetchBooking } from "./create-booking.service";
import { findSlot, slotParams, slotTaken } from "./slot-check.service";
import { loadAvailabilityInput } from "./slot-input.service";
import { addDays, localDate } from "./time";
import { allowedFrom, type BookingAction, nextStatus } from "./transitions";

export interface Actor {
  type: "customer" | "user" | "system";
  id: string | null;
}

const notFound = () => new NotFound("No booking with this id.");

/** Restricts booking `b` (a table alias) to the user's own staff row; no condition for `onlyUserId` null. */
function scopeCondition(t: TenantTables, b: BookingColumns, onlyUserId: string | null): SQL {
  if (!onlyUserId) return sql`true`;
  const f = alias(t.staff, "f");
  return sql`EXISTS (SELECT 1 FROM ${t.staff} f WHERE ${f.id} = ${b.staffId} AND ${f.userId} = ${onlyUserId}::uuid)`;
}

export async function findBookingScoped(db: Queryable, tenant: TenantContext, id: string, onlyUserId: string | null): Promise<BookingRow> {
  const t = tenantTables(tenant.schemaName);
  const b = alias(t.bookings, "b");
  const [row] = await rowsOf<Record<string, unknown>>(
    db,
    sql`SELECT ${bookingColumns(b)} FROM ${t.bookings} b WHERE ${b.id} = ${id}::uuid AND ${scopeCondition(t, b, onlyUserId)}`,
  );
  if (!row) throw notFound();
  return bookingRow(row);
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
  db: Queryable,
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
  const t = tenantTables(tenant.schemaName);
  const B = t.bookings;
  const E = t.bookingEvents;
  const b = alias(B, "b");
  const cur = alias(B, "cur");
  const upd = alias(B, "upd");
  const needsStart = outcomeActions.has(args.action);
  const target = nextStatus(allowedFrom(args.action)[0]!, args.action)!;
  const version = args.expectVersion === undefined ? sql`` : sql`AND ${b.manageTokenVersion} = ${args.expectVersion}::int`;
  const startedYet = needsStart && args.force !== true ? sql`AND ${cur.startsAt} <= now()` : sql``;
  const override = needsStart ? sql` || CASE WHEN ${cur.startsAt} > now() THEN '{"override": true}'::jsonb ELSE '{}'::jsonb END` : sql``;
  const [row] = await rowsOf<{ previous_status: BookingStatus; not_started: boolean; booking: Record<string, unknown> | null }>(
    db,
    sql`WITH cur AS (
       SELECT b.* FROM ${B} b
        WHERE ${b.id} = ${args.id}::uuid AND ${scopeCondition(t, b, args.onlyUserId)} ${version}
        FOR UPDATE
     ), upd AS (
       UPDATE ${B} b
          SET ${columnName(B.status)} = ${target}::text,
              ${columnName(B.cancelReason)} = ${target === "cancelled" ? sql`${args.reason ?? null}::text` : sql`${b.cancelReason}`},
              ${columnName(B.updatedAt)} = now()
         FROM cur
        WHERE ${b.id} = ${cur.id} AND ${cur.status} = ANY(${sql.param(allowedFrom(args.action))}::text[]) ${startedYet}
        RETURNING b.*
     ), ev AS (
       INSERT INTO ${E} (${columnList(E.bookingId, E.actorType, E.actorId, E.action, E.before, E.after)})
       SELECT ${upd.id}, ${args.actor.type}::text, ${args.actor.id}::text, ${ACTION_EVENT[args.action]}::text, ${eventSnapshot(cur)},
              ${eventSnapshot(upd)}${override}
         FROM upd JOIN cur ON ${cur.id} = ${upd.id}
     )
     SELECT ${cur.status} AS previous_status, ${cur.startsAt} > now() AS not_started,
            (SELECT row_to_json(x) FROM (SELECT ${bookingColumns(b)} FROM upd b) x) AS booking
       FROM cur`,
  );
  if (!row) throw notFound();
  if (!row.booking) {
    if (needsStart && row.not_started && allowedFrom(args.action).includes(row.previous_status)) throw notStarted(args.action);
    throw invalidTransition(row.previous_status, args.action);
  }
  return bookingRow(row.booking);
}

/**
 * Moves a booking to another start, keeping its id. The new start must be a
 * slot the engine offers with the booking itself left out of the busy
 * blocks; the exclusion constraints still guard the UPDATE. Bumps the manage
 * token version (old links stop working; the caller issues a new one).
 */
export async function rescheduleBooking(
  db: Queryable,
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
  const loaded = await loadAvailabilityInput(db, tenant, {
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
  const t = tenantTables(tenant.schemaName);
  const B = t.bookings;
  const E = t.bookingEvents;
  const b = alias(B, "b");
  const x = alias(B, "x");
  const cur = alias(B, "cur");
  const upd = alias(B, "upd");
  const [newStaff, resourceId, startsAt, endsAt, blockedFrom, blockedUntil] = slotParams(slot);
  const seatsFree = (owner: SQL) =>
    sql`(SELECT coalesce(sum(${x.seats}), 0) FROM ${B} x
          WHERE ${x.sessionKey} = ${sessionKey}::text AND ${owner} AND ${x.status} <> 'cancelled' AND ${x.id} <> ${cur.id}) + ${cur.seats} <= ${service.capacity}::int`;
  const statement = sql`
WITH cur AS (
  SELECT b.* FROM ${B} b WHERE ${b.id} = ${current.id}::uuid AND ${scopeCondition(t, b, args.onlyUserId)} FOR UPDATE
), upd AS (
  UPDATE ${B} b
     SET ${columnName(B.staffId)} = ${newStaff}::uuid, ${columnName(B.resourceId)} = ${resourceId}::uuid,
         ${columnName(B.startsAt)} = ${startsAt}::timestamptz, ${columnName(B.endsAt)} = ${endsAt}::timestamptz,
         ${columnName(B.blockedFrom)} = ${blockedFrom}::timestamptz, ${columnName(B.blockedUntil)} = ${blockedUntil}::timestamptz,
         ${columnName(B.sessionKey)} = ${sessionKey}::text,
         ${columnName(B.manageTokenVersion)} = ${b.manageTokenVersion} + 1, ${columnName(B.updatedAt)} = now()
    FROM cur
   WHERE ${b.id} = ${cur.id} AND ${cur.status} IN ('pending', 'confirmed') AND ${cur.manageTokenVersion} = ${current.manage_token_version}::int
     AND ${seatsFree(sql`${x.staffId} = ${newStaff}::uuid`)}
     ${resourceId ? sql`AND ${seatsFree(sql`${x.resourceId} = ${resourceId}::uuid`)}` : sql``}
  RETURNING b.*
), ev AS (
  INSERT INTO ${E} (${columnList(E.bookingId, E.actorType, E.actorId, E.action, E.before, E.after)})
  SELECT ${upd.id}, ${args.actor.type}::text, ${args.actor.id}::text, 'rescheduled', ${eventSnapshot(cur)}, ${eventSnapshot(upd)}
    FROM upd JOIN cur ON ${cur.id} = ${upd.id}
)
SELECT ${bookingColumns(b)} FROM upd b`;
  try {
    const rows = await underLocks<Record<string, unknown>>(
      db,
      bookingLocks(tenant, group ? sessionKey : null, slot.resourceId, slot.staffId),
      statement,
    );
    if (rows[0]) return bookingRow(rows[0]);
  } catch (error) {
    const excluded = exclusionViolation(error);
    if (excluded) throw slotTaken(excluded.includes("resource") ? "resource_unavailable" : "staff_unavailable", []);
    throw error;
  }
  // Nothing updated: the booking changed meanwhile, or the session filled up.
  const fresh = await fetchBooking(db, tenant, current.id);
  if (fresh && !nextStatus(fresh.status, "reschedule")) throw invalidTransition(fresh.status, "reschedule");
  if (group) throw slotTaken("session_full", []);
  throw new Conflict("The booking changed while it was being rescheduled; try again.", "changed_meanwhile");
}

/**
 * A page of bookings with the customer's and staff member's names. `from`/`to` are local dates of
 * the business, turned into instants by Postgres from the zone name; staff-role callers (`onlyUserId`)
 * see only their own calendar, in the SQL.
 */
export async function listBookings(
  db: Queryable,
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
  db: Queryable,
  tenant: TenantContext,
  id: string,
  onlyUserId: string | null,
): Promise<BookingDetailRow> {
  const t = tenantTables(tenant.schemaName);
  const b = alias(t.bookings, "b");
  const c = alias(t.customers, "c");
  const sv = alias(t.services, "sv");
  const f = alias(t.staff, "f");
  const e = alias(t.bookingEvents, "e");
  const p = alias(t.paymentTransactions, "p");
  const [row] = await rowsOf<Record<string, unknown> & Omit<BookingDetailRow, keyof BookingRow>>(
    db,
    sql`SELECT ${bookingColumns(b)},
            CASE WHEN ${c.id} IS NOT NULL THEN json_build_object('id', ${c.id}, 'name', ${c.name}, 'email', ${c.email}, 'phone', ${c.phone}) END AS customer,
            ${sv.name} AS service_name, ${f.displayName} AS staff_name,
            (SELECT coalesce(json_agg(json_build_object('id', ${e.id}, 'actor_type', ${e.actorType}, 'actor_id', ${e.actorId},
                     'action', ${e.action}, 'before', ${e.before}, 'after', ${e.after}, 'created_at', ${e.createdAt}) ORDER BY ${e.id}), '[]'::json)
               FROM ${t.bookingEvents} e WHERE ${e.bookingId} = ${b.id}) AS events,
            (SELECT coalesce(sum(${p.amountMinor}) FILTER (WHERE ${p.kind} <> 'refund'), 0)::int FROM ${t.paymentTransactions} p WHERE ${p.bookingId} = ${b.id}) AS paid,
            (SELECT coalesce(sum(${p.amountMinor}) FILTER (WHERE ${p.kind} = 'refund'), 0)::int FROM ${t.paymentTransactions} p WHERE ${p.bookingId} = ${b.id}) AS refunded
       FROM ${t.bookings} b
       LEFT JOIN ${t.customers} c ON ${c.id} = ${b.customerId}
       JOIN ${t.services} sv ON ${sv.id} = ${b.serviceId}
       JOIN ${t.staff} f ON ${f.id} = ${b.staffId}
      WHERE ${b.id} = ${id}::uuid ${onlyUserId ? sql`AND ${f.userId} = ${onlyUserId}::uuid` : sql``}`,
  );
  if (!row) throw notFound();
  return { ...row, ...bookingRow(row) } as BookingDetailRow;
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
  db: Queryable,
  tenant: TenantContext,
  args: { bookingId: string; payment: PaymentInput; userId: string; onlyUserId: string | null },
): Promise<{ payment: PaymentRow; summary: PaymentSummary }> {
  const t = tenantTables(tenant.schemaName);
  const P = t.paymentTransactions;
  const E = t.bookingEvents;
  const b = alias(t.bookings, "b");
  const p = alias(P, "p");
  const ins = alias(P, "ins");
  const pay = args.payment;
  const statement = sql`
WITH bk AS (
  SELECT ${b.id} AS id, ${b.currency} AS currency, ${b.priceMinor} AS price_minor FROM ${t.bookings} b
   WHERE ${b.id} = ${args.bookingId}::uuid AND ${scopeCondition(t, b, args.onlyUserId)}
), tot AS (
  SELECT coalesce(sum(${p.amountMinor}) FILTER (WHERE ${p.kind} <> 'refund'), 0)::int AS paid,
         coalesce(sum(${p.amountMinor}) FILTER (WHERE ${p.kind} = 'refund'), 0)::int AS refunded
    FROM ${P} p WHERE ${p.bookingId} = ${args.bookingId}::uuid
), ins AS (
  INSERT INTO ${P} (${columnList(P.bookingId, P.kind, P.method, P.amountMinor, P.currency, P.reference, P.recordedBy)})
  SELECT bk.id, ${pay.kind}::text, ${pay.method}::text, ${pay.amountMinor}::int, coalesce(${pay.currency ?? null}::text, bk.currency),
         coalesce(${pay.reference ?? null}::text, ''), ${args.userId}::uuid
    FROM bk, tot
   WHERE coalesce(${pay.currency ?? null}::text, bk.currency) = bk.currency
     AND (${pay.kind}::text <> 'refund' OR tot.paid - tot.refunded >= ${pay.amountMinor}::int)
  RETURNING *
), ev AS (
  INSERT INTO ${E} (${columnList(E.bookingId, E.actorType, E.actorId, E.action, E.after)})
  SELECT ${ins.bookingId}, 'user', ${args.userId}::text, 'payment_recorded',
         jsonb_build_object('payment_id', ${ins.id}, 'kind', ${ins.kind}, 'method', ${ins.method}, 'amount_minor', ${ins.amountMinor}, 'currency', ${ins.currency})
    FROM ins
)
SELECT (SELECT row_to_json(bk) FROM bk) AS booking, (SELECT row_to_json(tot) FROM tot) AS totals, (SELECT row_to_json(ins) FROM ins) AS payment`;
  const rows = await underLocks<{
    booking: { currency: string; price_minor: number } | null;
    totals: { paid: number; refunded: number };
    payment: PaymentRow | null;
  }>(db, [`${tenant.schemaName}:payments:${args.bookingId}`], statement);
  const row = rows[0]!;
  if (!row.booking) throw notFound();
  const invalid = (field: string, message: string) => new InvalidInput([{ field, message }], message);
  if (!row.payment) {
    if (pay.currency && pay.currency !== row.booking.currency)
      throw invalid("currency", `Payments of this booking are in ${row.booking.currency}.`);
    throw invalid(
      "amount_minor",
      `A refund cannot exceed the amount paid (${row.totals.paid - row.totals.refunded} ${row.booking.currency} minor units).`,
    );
  }
  let { paid, refunded } = row.totals;
  if (pay.kind === "refund") refunded += pay.amountMinor;
  else paid += pay.amountMinor;
  return { payment: row.payment, summary: paymentSummary(row.booking.price_minor, row.booking.currency, paid, refunded) };
}

export async function listPayments(db: Queryable, tenant: TenantContext, bookingId: string, onlyUserId: string | null) {
  const t = tenantTables(tenant.schemaName);
  const b = alias(t.bookings, "b");
  const p = alias(t.paymentTransactions, "p");
  const [row] = await rowsOf<{ booking: { id: string; price_minor: number; currency: string } | null; payments: PaymentRow[] }>(
    db,
    sql`SELECT (SELECT row_to_json(x) FROM (SELECT ${b.id}, ${b.priceMinor}, ${b.currency} FROM ${t.bookings} b
                 WHERE ${b.id} = ${bookingId}::uuid AND ${scopeCondition(t, b, onlyUserId)}) x) AS booking,
            (SELECT coalesce(json_agg(p ORDER BY ${p.createdAt}, ${p.id}), '[]'::json) FROM ${t.paymentTransactions} p
              WHERE ${p.bookingId} = ${bookingId}::uuid) AS payments`,
  );
  if (!row!.booking) throw notFound();
  let paid = 0;
  let refunded = 0;
  for (const pmt of row!.payments) {
    if (pmt.kind === "refund") refunded += pmt.amount_minor;
    else paid += pmt.amount_minor;
  }
  return { payments: row!.payments, summary: paymentSummary(row!.booking.price_minor, row!.booking.currency, paid, refunded) };
}

export { ms };
