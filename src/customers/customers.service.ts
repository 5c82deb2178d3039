/**
 * Staff-side customer records. Owners and admins see every customer; a
 * staff-role user only the customers they served (a booking with the staff
 * row linked to their user) or added themselves; anything else reads as not
 * found. `ownerId` below is that staff-role user's id, null for admins and owners.
 */
import { and, eq, exists, ilike, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Queryable } from "../db/client";
import { columnList, columnName, inOneTransaction } from "../db/sql";
import { pgConstraint, pgErrorCode, rethrowReferenced, rethrowUnique } from "../db/errors";
import type { TenantTables } from "../db/schema/tenant";
import { phoneCountryOf } from "../domain/country";
import { normaliseEmail, normalisePhone } from "../domain/contact";
import { Conflict, InvalidInput, NotFound, noSuch } from "../domain/errors";
import { DEFAULT_LOCALE, isLocale } from "../domain/locales";
import { pageRows, toListQuery } from "../http/list-query";
import type { TenantScope } from "../tenancy/scope";
import { customerListSpec, type CustomerWrite } from "./customers.routes";

const UNIQUE = { customers_email_key: "email", customers_phone_key: "phone" };

const columns = (t: TenantTables) => ({
  id: t.customers.id,
  name: t.customers.name,
  email: t.customers.email,
  phone: t.customers.phone,
  locale: t.customers.locale,
  notes: t.customers.notes,
  created_at: t.customers.createdAt,
  updated_at: t.customers.updatedAt,
});

function values(body: CustomerWrite, country: string) {
  const v: Partial<TenantTables["customers"]["$inferInsert"]> = {};
  if (body.name !== undefined) v.name = body.name;
  if (body.email !== undefined) v.email = body.email === null ? null : normaliseEmail(body.email);
  if (body.phone !== undefined) v.phone = body.phone === null ? null : normalisePhone(body.phone, country);
  if (body.locale !== undefined) v.locale = body.locale;
  if (body.notes !== undefined) v.notes = body.notes;
  return v;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** Name/email substring, plus phone digits as typed nationally (0612… finds +212612…). */
function searchCondition(t: TenantTables, search: string | undefined): SQL | undefined {
  if (!search) return undefined;
  const text = `%${likeEscape(search)}%`;
  const conditions = [ilike(t.customers.name, text), ilike(t.customers.email, text), ilike(t.customers.phone, text)];
  const digits = search.replace(/[\s.\-/()]/g, "");
  if (/^(\+|00)?[0-9]{3,}$/.test(digits)) {
    const core = digits.replace(/^(\+|00)/, "").replace(/^0/, "");
    conditions.push(ilike(t.customers.phone, `%${core}%`));
  }
  return or(...conditions);
}

/** Customers a staff-role user may see (`userId` null: everyone). */
function visibleTo(t: TenantTables, db: TenantScope["db"], userId: string | null): SQL | undefined {
  if (!userId) return undefined;
  const served = db
    .select({ one: sql`1` })
    .from(t.bookings)
    .innerJoin(t.staff, eq(t.staff.id, t.bookings.staffId))
    .where(and(eq(t.bookings.customerId, t.customers.id), eq(t.staff.userId, userId)));
  return or(eq(t.customers.createdBy, userId), exists(served));
}

function rethrowContact(error: unknown): never {
  const constraint = pgConstraint(error);
  if (pgErrorCode(error) === "23514" && constraint === "customers_contact") {
    throw new InvalidInput(
      [
        { field: "email", message: "Give an email or a phone number." },
        { field: "phone", message: "Give an email or a phone number." },
      ],
      "A customer needs an email or a phone number.",
    );
  }
  return rethrowUnique(error, UNIQUE, "customer");
}

export interface MergeInput {
  targetId: string;
  sourceId: string | null;
  bookingIds: string[];
  actorUserId: string;
}

export interface MergeResult {
  movedBookingIds: string[];
  mergedCustomerId: string | null;
}

const invalid = (field: string, message: string) => new InvalidInput([{ field, message }], message);

/** The merge as one statement (see mergeCustomers): its one row says what it found and did. */
function mergeStatement(t: TenantTables, input: MergeInput, bookingIds: string[]): SQL {
  const cu = t.customers;
  const bk = t.bookings;
  const ev = t.bookingEvents;
  const b = alias(t.bookings, "b");
  const c = alias(t.customers, "c");
  const target = sql`${input.targetId}::uuid`;
  const source = sql`${input.sourceId}::uuid`;
  const listed = sql`${sql.param(bookingIds)}::uuid[]`;
  return sql`WITH target AS (SELECT ${c.id} FROM ${cu} ${c} WHERE ${c.id} = ${target} FOR UPDATE),
       src AS (SELECT ${c.id} FROM ${cu} ${c} WHERE ${c.id} = ${source} FOR UPDATE),
       listed AS (SELECT count(*)::int AS n FROM ${bk} ${b} WHERE ${b.id} = ANY(${listed})),
       ok AS (
         SELECT EXISTS (SELECT 1 FROM target) AND (${source} IS NULL OR EXISTS (SELECT 1 FROM src))
                AND (SELECT n FROM listed) = cardinality(${listed}) AS ok
       ), moving AS (
         SELECT ${b.id} AS id, ${b.customerId} AS customer_id FROM ${bk} ${b}
          WHERE (SELECT ok FROM ok) AND ${b.customerId} IS DISTINCT FROM ${target}
            AND (${b.customerId} = ${source} OR ${b.id} = ANY(${listed}))
          FOR UPDATE
       ), upd AS (
         UPDATE ${bk} ${b} SET ${columnName(bk.customerId)} = ${target}, ${columnName(bk.updatedAt)} = now()
           FROM moving m WHERE ${b.id} = m.id RETURNING ${b.id} AS id
       ), ev AS (
         INSERT INTO ${ev} (${columnList(ev.bookingId, ev.actorType, ev.actorId, ev.action, ev.before, ev.after)})
         SELECT m.id, 'user', ${input.actorUserId}::text, 'customer_merged',
                jsonb_build_object('customer_id', m.customer_id),
                jsonb_build_object('customer_id', ${target})
           FROM moving m
       ), del AS (
         -- The foreign key is checked at the end of the statement, after the bookings moved.
         DELETE FROM ${cu} ${c} WHERE ${c.id} = ${source} AND (SELECT ok FROM ok) RETURNING ${c.id} AS id
       )
       SELECT EXISTS (SELECT 1 FROM target) AS target, EXISTS (SELECT 1 FROM src) AS source, (SELECT n FROM listed) AS listed,
              (SELECT coalesce(array_agg(id::text ORDER BY id), '{}') FROM upd) AS moved, (SELECT id::text FROM del) AS deleted`;
}

type MergeRow = { target: boolean; source: boolean; listed: number; moved: string[]; deleted: string | null };

export async function listCustomers({ t, db }: TenantScope, query: Record<string, unknown> & { search?: string }, ownerId: string | null) {
  const list = toListQuery(customerListSpec(t), query, [searchCondition(t, query.search), visibleTo(t, db, ownerId)]);
  const rows = await pageRows(db, t.customers, columns(t), list);
  return { rows, list };
}

/** A new customer in the business's locale unless another is given, recorded as added by `createdBy`. */
export async function createCustomer({ tenant, t, db }: TenantScope, body: CustomerWrite & { name: string }, createdBy: string) {
  const locale = isLocale(tenant.locale) ? tenant.locale : DEFAULT_LOCALE;
  const [row] = await db
    .insert(t.customers)
    .values({ locale, ...values(body, phoneCountryOf(tenant)), createdBy } as typeof t.customers.$inferInsert)
    .returning(columns(t))
    .catch(rethrowContact);
  return row;
}

export async function getCustomer({ t, db }: TenantScope, id: string, ownerId: string | null) {
  const [row] = await db
    .select(columns(t))
    .from(t.customers)
    .where(and(eq(t.customers.id, id), visibleTo(t, db, ownerId)));
  if (!row) throw noSuch("customer");
  return row;
}

export async function updateCustomer({ tenant, t, db }: TenantScope, id: string, body: CustomerWrite, ownerId: string | null) {
  const [row] = await db
    .update(t.customers)
    .set({ ...values(body, phoneCountryOf(tenant)), updatedAt: sql`now()` })
    .where(and(eq(t.customers.id, id), visibleTo(t, db, ownerId)))
    .returning(columns(t))
    .catch(rethrowContact);
  if (!row) throw noSuch("customer");
  return row;
}

export async function deleteCustomer({ t, db }: TenantScope, id: string): Promise<void> {
  const [row] = await db
    .delete(t.customers)
    .where(eq(t.customers.id, id))
    .returning({ id: t.customers.id })
    .catch((e) => rethrowReferenced(e, "This customer has bookings, so the record is kept; edit it instead."));
  if (!row) throw noSuch("customer");
}

/**
 * Merging customers: the staff-side answer to anonymous bookings that could
 * not be linked safely (see src/bookings/create-booking.ts). Moves every
 * booking of the source customer, and/or the listed bookings (e.g. unlinked
 * ones), to the surviving customer (`input.targetId`), appends a
 * `customer_merged` event per moved booking, and deletes the source record,
 * in ONE statement (all or nothing); the surviving record is read in the
 * same transaction: one round trip. The survivor's own fields are not
 * changed; the bookings keep their contact snapshots.
 */
export async function mergeCustomers({ t, db }: TenantScope, input: MergeInput) {
  if (input.sourceId === input.targetId) throw invalid("source_id", "A customer cannot be merged into itself.");
  if (!input.sourceId && input.bookingIds.length === 0) throw invalid("source_id", "Give source_id, booking_ids or both.");
  const bookingIds = [...new Set(input.bookingIds.map((id) => id.toLowerCase()))];
  let result: { all: unknown[]; last: Awaited<ReturnType<typeof readCustomer>> };
  try {
    result = await inOneTransaction(db, (q) => [q.execute(mergeStatement(t, input, bookingIds)), readCustomer(q, t, input.targetId)]);
  } catch (error) {
    // A booking linked to the source after this statement's snapshot still points at it.
    if (pgErrorCode(error) === "23503")
      throw new Conflict("The source customer got a new booking meanwhile; try again.", "changed_meanwhile");
    // Two merges of the same pair in opposite directions: Postgres aborted one of them, nothing was written.
    if (pgErrorCode(error) === "40P01")
      throw new Conflict("Another merge of these customers ran at the same time; try again.", "changed_meanwhile");
    throw error;
  }
  const row = (result.all[0] as { rows: MergeRow[] }).rows[0]!;
  if (!row.target) throw new NotFound("No customer with this id here.");
  if (input.sourceId && !row.source) throw new NotFound("No customer with this source_id here.");
  if (row.listed !== bookingIds.length) throw new NotFound("Some booking_ids are not bookings of this business.");
  const [customer] = result.last;
  if (!customer) throw noSuch("customer");
  return { customer, movedBookingIds: row.moved, mergedCustomerId: row.deleted };
}

function readCustomer(q: Queryable, t: TenantTables, id: string) {
  return q.select(columns(t)).from(t.customers).where(eq(t.customers.id, id));
}
