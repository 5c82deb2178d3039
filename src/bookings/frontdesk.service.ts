/**
 * Front-desk reads and writes the back office needs beyond the booking API:
 * the booking form's choices, the booking card (everything the detail screen
 * shows, in ONE statement), check-in (recorded as a `checked_in` booking
 * event: the status enum is unchanged) and resending the confirmation email.
 * Staff-role callers (`onlyUserId`) are scoped in the SQL; out of scope reads
 * exactly like "not found".
 */
import { sql } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { type Queryable, rowsOf } from "../db/client";
import { type BookingStatus, tenantTables } from "../db/schema/tenant";
import { columnList, columnName } from "../db/sql";
import { Conflict, NotFound } from "../domain/errors";
import type { TenantContext } from "../domain/tenant";

const notFound = () => new NotFound("No booking with this id.");

/** The instant (epoch ms) of a local date and wall time `HH:MM` in `zone` (the earlier one when repeated). */
export function localInstantMs(zone: string, date: string, wall: string): number {
  return Temporal.PlainDateTime.from(`${date}T${wall}`).toZonedDateTime(zone, { disambiguation: "compatible" }).epochMilliseconds;
}

export interface FormChoices {
  services: { id: string; name: string; duration_min: number; price_minor: number; currency: string; staff_ids: string[] }[];
  staff: { id: string; name: string; user_id: string | null }[];
}

/** Active services with the active staff performing them, and the active staff (staff role: only their own row). */
export async function bookingFormChoices(db: Queryable, tenant: TenantContext, onlyUserId: string | null): Promise<FormChoices> {
  const t = tenantTables(tenant.schemaName);
  const { services: sv, staff: f, serviceStaff: ss } = t;
  const mine = sql`(${onlyUserId}::uuid IS NULL OR ${f.userId} = ${onlyUserId}::uuid)`;
  const [row] = await rowsOf<FormChoices>(
    db,
    sql`SELECT
  (SELECT coalesce(json_agg(json_build_object(
      'id', ${sv.id}, 'name', ${sv.name}, 'duration_min', ${sv.durationMin}, 'price_minor', ${sv.priceMinor}, 'currency', ${sv.currency},
      'staff_ids', (SELECT coalesce(json_agg(${f.id} ORDER BY ${f.displayName}), '[]'::json)
                      FROM ${ss} JOIN ${f} ON ${f.id} = ${ss.staffId}
                     WHERE ${ss.serviceId} = ${sv.id} AND ${f.isActive} AND ${mine})
    ) ORDER BY ${sv.name}), '[]'::json) FROM ${sv} WHERE ${sv.isActive}) AS services,
  (SELECT coalesce(json_agg(json_build_object('id', ${f.id}, 'name', ${f.displayName}, 'user_id', ${f.userId}) ORDER BY ${f.displayName}), '[]'::json)
     FROM ${f} WHERE ${f.isActive} AND ${mine}) AS staff`,
  );
  return row!;
}

export interface BookingCard {
  id: string;
  status: BookingStatus;
  start: number;
  end: number;
  service_id: string;
  service_name: string;
  staff_id: string;
  staff_name: string;
  resource_name: string | null;
  customer: { id: string; name: string; email: string | null; phone: string | null; notes: string } | null;
  contact: { name: string | null; email: string | null; phone: string | null; locale: string | null };
  price_minor: number;
  currency: string;
  notes: string;
  source: string;
  cancel_reason: string | null;
  manage_token_version: number;
  checked_in: boolean;
  events: { id: number; action: string; actor_type: string; at: number; after: Record<string, unknown> | null }[];
  payments: {
    id: string;
    kind: "deposit" | "payment" | "refund";
    method: string;
    amount_minor: number;
    currency: string;
    reference: string;
    at: number;
  }[];
  paid_minor: number;
  refunded_minor: number;
  due_minor: number;
}

const epochMs = (column: unknown) => sql`(extract(epoch FROM ${column}) * 1000)::bigint`;

/** The booking detail screen's data in one statement (staff role: only their own bookings). */
export async function bookingCard(db: Queryable, tenant: TenantContext, id: string, onlyUserId: string | null): Promise<BookingCard> {
  const t = tenantTables(tenant.schemaName);
  const { bookings: b, staff: f, services: sv, customers: cu, resources: r, bookingEvents: e, paymentTransactions: p } = t;
  const rows = await rowsOf<
    Omit<BookingCard, "start" | "end" | "paid_minor" | "refunded_minor" | "due_minor"> & { start: string | number; end: string | number }
  >(
    db,
    sql`SELECT ${b.id} AS id, ${b.status} AS status, ${epochMs(b.startsAt)} AS start, ${epochMs(b.endsAt)} AS end,
       ${b.serviceId} AS service_id, ${sv.name} AS service_name, ${b.staffId} AS staff_id, ${f.displayName} AS staff_name,
       ${r.name} AS resource_name,
       CASE WHEN ${cu.id} IS NOT NULL THEN json_build_object('id', ${cu.id}, 'name', ${cu.name}, 'email', ${cu.email}, 'phone', ${cu.phone}, 'notes', ${cu.notes}) END AS customer,
       json_build_object('name', ${b.contactName}, 'email', ${b.contactEmail}, 'phone', ${b.contactPhone}, 'locale', ${b.contactLocale}) AS contact,
       ${b.priceMinor} AS price_minor, ${b.currency} AS currency, ${b.notes} AS notes, ${b.source} AS source,
       ${b.cancelReason} AS cancel_reason, ${b.manageTokenVersion} AS manage_token_version,
       EXISTS (SELECT 1 FROM ${e} WHERE ${e.bookingId} = ${b.id} AND ${e.action} = 'checked_in') AS checked_in,
       (SELECT coalesce(json_agg(json_build_object('id', ${e.id}, 'action', ${e.action}, 'actor_type', ${e.actorType},
                 'at', ${epochMs(e.createdAt)}, 'after', ${e.after}) ORDER BY ${e.id}), '[]'::json)
          FROM ${e} WHERE ${e.bookingId} = ${b.id}) AS events,
       (SELECT coalesce(json_agg(json_build_object('id', ${p.id}, 'kind', ${p.kind}, 'method', ${p.method}, 'amount_minor', ${p.amountMinor},
                 'currency', ${p.currency}, 'reference', ${p.reference}, 'at', ${epochMs(p.createdAt)}) ORDER BY ${p.createdAt}, ${p.id}), '[]'::json)
          FROM ${p} WHERE ${p.bookingId} = ${b.id}) AS payments
  FROM ${b}
  JOIN ${sv} ON ${sv.id} = ${b.serviceId}
  JOIN ${f} ON ${f.id} = ${b.staffId}
  LEFT JOIN ${r} ON ${r.id} = ${b.resourceId}
  LEFT JOIN ${cu} ON ${cu.id} = ${b.customerId}
 WHERE ${b.id} = ${id}::uuid AND (${onlyUserId}::uuid IS NULL OR ${f.userId} = ${onlyUserId}::uuid)`,
  );
  const row = rows[0];
  if (!row) throw notFound();
  let paid = 0;
  let refunded = 0;
  for (const pay of row.payments) {
    if (pay.kind === "refund") refunded += pay.amount_minor;
    else paid += pay.amount_minor;
  }
  return {
    ...row,
    start: Number(row.start),
    end: Number(row.end),
    events: row.events.map((ev) => ({ ...ev, at: Number(ev.at) })),
    payments: row.payments.map((pay) => ({ ...pay, at: Number(pay.at) })),
    paid_minor: paid,
    refunded_minor: refunded,
    due_minor: Math.max(row.price_minor - (paid - refunded), 0),
  };
}

/**
 * Records that the customer arrived: a `checked_in` booking event, once, for a
 * pending or confirmed booking. One statement; a second check-in changes nothing.
 */
export async function checkIn(
  db: Queryable,
  tenant: TenantContext,
  id: string,
  by: { userId: string; onlyUserId: string | null },
): Promise<void> {
  const t = tenantTables(tenant.schemaName);
  const { bookings: b, staff: f, bookingEvents: e } = t;
  const [row] = await rowsOf<{ status: BookingStatus; inserted: boolean }>(
    db,
    sql`WITH cur AS (
  SELECT ${b.id} AS id, ${b.status} AS status FROM ${b} JOIN ${f} ON ${f.id} = ${b.staffId}
   WHERE ${b.id} = ${id}::uuid AND (${by.onlyUserId}::uuid IS NULL OR ${f.userId} = ${by.onlyUserId}::uuid)
), ins AS (
  INSERT INTO ${e} (${columnList(e.bookingId, e.actorType, e.actorId, e.action, e.after)})
  SELECT cur.id, 'user', ${by.userId}::text, 'checked_in', json_build_object('checked_in', true)::jsonb FROM cur
   WHERE cur.status IN ('pending', 'confirmed')
     AND NOT EXISTS (SELECT 1 FROM ${e} WHERE ${e.bookingId} = cur.id AND ${e.action} = 'checked_in')
  RETURNING 1
)
SELECT cur.status, EXISTS (SELECT 1 FROM ins) AS inserted FROM cur`,
  );
  if (!row) throw notFound();
  if (row.status !== "pending" && row.status !== "confirmed" && !row.inserted) {
    throw new Conflict(`A ${row.status} booking cannot be checked in.`, "invalid_transition", { status: row.status, action: "check_in" });
  }
}

/**
 * Sends the confirmation email again: one outbox row (kind
 * `booking_confirmation`, delivered by the notify job with the booking's
 * current details and a fresh manage link) and a `confirmation_resent` event
 * for the history, in one statement. Only for an open booking with an email.
 */
export async function resendConfirmation(
  db: Queryable,
  tenant: TenantContext,
  id: string,
  by: { userId: string; onlyUserId: string | null },
  now = Date.now(),
): Promise<{ sent: boolean }> {
  const t = tenantTables(tenant.schemaName);
  const { bookings: b, staff: f, bookingEvents: e, notifications: n } = t;
  const [row] = await rowsOf<{ status: BookingStatus; email: string | null; sent: boolean }>(
    db,
    sql`WITH cur AS (
  SELECT ${b.id} AS id, ${b.status} AS status, ${b.contactEmail} AS email, coalesce(${b.contactLocale}, 'fr') AS locale
    FROM ${b} JOIN ${f} ON ${f.id} = ${b.staffId}
   WHERE ${b.id} = ${id}::uuid AND (${by.onlyUserId}::uuid IS NULL OR ${f.userId} = ${by.onlyUserId}::uuid)
), ok AS (
  SELECT * FROM cur WHERE cur.status IN ('pending', 'confirmed') AND cur.email IS NOT NULL
), ev AS (
  INSERT INTO ${e} (${columnList(e.bookingId, e.actorType, e.actorId, e.action)})
  SELECT ok.id, 'user', ${by.userId}::text, 'confirmation_resent' FROM ok
  RETURNING ${columnName(e.id)} AS id
), mail AS (
  INSERT INTO ${n} (${columnList(n.channel, n.kind, n.dedupeKey, n.bookingId, n.recipient, n.locale, n.payload)})
  SELECT 'email', 'booking_confirmation', 'resend:' || ok.id || ':' || ${String(now)}, ok.id, ok.email, ok.locale,
         jsonb_build_object('resent', true, 'event_id', (SELECT id FROM ev))
    FROM ok
  ON CONFLICT DO NOTHING
  RETURNING 1
)
SELECT cur.status, cur.email, EXISTS (SELECT 1 FROM mail) AS sent FROM cur`,
  );
  if (!row) throw notFound();
  if (row.status !== "pending" && row.status !== "confirmed") {
    throw new Conflict(`A ${row.status} booking gets no confirmation.`, "invalid_transition", { status: row.status, action: "resend" });
  }
  return { sent: row.sent };
}

export interface CustomerCard {
  visits: number;
  no_shows: number;
  spent_minor: number;
  currency: string | null;
  bookings: {
    id: string;
    status: BookingStatus;
    start: number;
    service_name: string;
    staff_name: string;
    price_minor: number;
    currency: string;
  }[];
}

/** A customer's visits (completed), no-shows, net amount paid and latest bookings (staff role: their own bookings only). */
export async function customerCard(
  db: Queryable,
  tenant: TenantContext,
  customerId: string,
  onlyUserId: string | null,
): Promise<CustomerCard> {
  const t = tenantTables(tenant.schemaName);
  const { bookings: b, staff: f, services: sv, paymentTransactions: p } = t;
  const [row] = await rowsOf<CustomerCard & { spent_minor: string | number }>(
    db,
    sql`WITH mine AS (
  SELECT ${b.id} AS id, ${b.status} AS status, ${b.startsAt} AS starts_at, ${sv.name} AS service_name, ${f.displayName} AS staff_name,
         ${b.priceMinor} AS price_minor, ${b.currency} AS currency
    FROM ${b} JOIN ${f} ON ${f.id} = ${b.staffId} JOIN ${sv} ON ${sv.id} = ${b.serviceId}
   WHERE ${b.customerId} = ${customerId}::uuid AND (${onlyUserId}::uuid IS NULL OR ${f.userId} = ${onlyUserId}::uuid)
)
SELECT (SELECT count(*) FROM mine WHERE status = 'completed')::int AS visits,
       (SELECT count(*) FROM mine WHERE status = 'no_show')::int AS no_shows,
       (SELECT coalesce(sum(CASE WHEN ${p.kind} = 'refund' THEN -${p.amountMinor} ELSE ${p.amountMinor} END), 0)
          FROM ${p} WHERE ${p.bookingId} IN (SELECT id FROM mine)) AS spent_minor,
       (SELECT min(currency) FROM mine) AS currency,
       (SELECT coalesce(json_agg(json_build_object('id', x.id, 'status', x.status, 'start', ${epochMs(sql`x.starts_at`)},
                 'service_name', x.service_name, 'staff_name', x.staff_name, 'price_minor', x.price_minor, 'currency', x.currency)
                 ORDER BY x.starts_at DESC), '[]'::json)
          FROM (SELECT * FROM mine ORDER BY starts_at DESC LIMIT 50) x) AS bookings`,
  );
  return {
    ...row!,
    spent_minor: Number(row!.spent_minor),
    bookings: row!.bookings.map((x) => ({ ...x, start: Number(x.start) })),
  };
}
