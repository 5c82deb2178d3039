/**
 * Staff-side customer records. Owners and admins see every customer; a
 * staff-role user only the customers they served (a booking with the staff
 * row linked to their user) or added themselves; anything else reads as 404.
 */
import { DEFAULT_LOCALE, isLocale, type Locale } from "../domain/locales";
import { iso } from "../http/json";
import { and, eq, exists, ilike, or, sql, type SQL } from "drizzle-orm";
import { ownRecordsOnly, requirePrincipal } from "../auth/guards";
import type { TenantTables } from "../db/schema/tenant";
import { pgErrorCode } from "../db/errors";
import { listPage, toListQuery, totalCount } from "../http/list-query";
import { ApiError } from "../http/problem";
import { createRouter } from "../http/router";
import { noSuch } from "../domain/errors";
import { rethrowReferenced, rethrowUnique } from "../db/errors";
import { tenantScope as scope, type TenantScope } from "../tenancy/scope";
import { pgConstraint } from "../db/errors";
import { phoneCountryOf } from "../domain/country";
import { normaliseEmail, normalisePhone } from "../domain/contact";
import { mergeCustomers } from "./merge";
import {
  createCustomer,
  customerListSpec,
  deleteCustomer,
  getCustomer,
  listCustomers,
  mergeCustomer,
  updateCustomer,
  type CustomerWrite,
} from "./customers.routes";

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

type Row = { [K in keyof ReturnType<typeof columns>]: unknown } & { locale: string; created_at: Date; updated_at: Date };
const present = <R extends Row>(r: R) => ({
  ...r,
  locale: r.locale as Locale,
  created_at: iso(r.created_at)!,
  updated_at: iso(r.updated_at)!,
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
    throw new ApiError("validation_failed", "A customer needs an email or a phone number.", {
      errors: [
        { field: "email", message: "Give an email or a phone number." },
        { field: "phone", message: "Give an email or a phone number." },
      ],
    });
  }
  return rethrowUnique(error, UNIQUE, "customer");
}

export const customersRouter = createRouter()
  .openapi(listCustomers, async (c) => {
    const { t, db } = await scope(c);
    const query = c.req.valid("query");
    const list = toListQuery(customerListSpec(t), query, [searchCondition(t, query.search), visibleTo(t, db, ownRecordsOnly(c))]);
    const rows = await db
      .select({ ...columns(t), total_count: totalCount() })
      .from(t.customers)
      .where(list.where)
      .orderBy(...list.orderBy)
      .limit(list.limit)
      .offset(list.offset);
    return c.json(listPage(rows, list, c.req.url, present) as never, 200);
  })
  .openapi(createCustomer, async (c) => {
    const { tenant, t, db } = await scope(c);
    const body = c.req.valid("json");
    const locale = isLocale(tenant.locale) ? tenant.locale : DEFAULT_LOCALE;
    const [row] = await db
      .insert(t.customers)
      .values({ locale, ...values(body, phoneCountryOf(tenant)), createdBy: requirePrincipal(c).userId } as typeof t.customers.$inferInsert)
      .returning(columns(t))
      .catch(rethrowContact);
    return c.json(present(row), 201);
  })
  .openapi(getCustomer, async (c) => {
    const { t, db } = await scope(c);
    const [row] = await db
      .select(columns(t))
      .from(t.customers)
      .where(and(eq(t.customers.id, c.req.valid("param").id), visibleTo(t, db, ownRecordsOnly(c))));
    if (!row) throw noSuch("customer");
    return c.json(present(row), 200);
  })
  .openapi(updateCustomer, async (c) => {
    const { tenant, t, db } = await scope(c);
    const [row] = await db
      .update(t.customers)
      .set({ ...values(c.req.valid("json"), phoneCountryOf(tenant)), updatedAt: sql`now()` })
      .where(and(eq(t.customers.id, c.req.valid("param").id), visibleTo(t, db, ownRecordsOnly(c))))
      .returning(columns(t))
      .catch(rethrowContact);
    if (!row) throw noSuch("customer");
    return c.json(present(row), 200);
  })
  .openapi(deleteCustomer, async (c) => {
    const { t, db } = await scope(c);
    const [row] = await db
      .delete(t.customers)
      .where(eq(t.customers.id, c.req.valid("param").id))
      .returning({ id: t.customers.id })
      .catch((e) => rethrowReferenced(e, "This customer has bookings, so the record is kept; edit it instead."));
    if (!row) throw noSuch("customer");
    return c.body(null, 204);
  })
  .openapi(mergeCustomer, async (c) => {
    const { tenant, t, db } = await scope(c);
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const result = await mergeCustomers(await c.get("database").client(), tenant.schemaName, {
      targetId: id,
      sourceId: body.source_id ?? null,
      bookingIds: body.booking_ids ?? [],
      actorUserId: requirePrincipal(c).userId,
    });
    const [row] = await db.select(columns(t)).from(t.customers).where(eq(t.customers.id, id));
    if (!row) throw noSuch("customer");
    return c.json({ customer: present(row), moved_booking_ids: result.movedBookingIds, merged_customer_id: result.mergedCustomerId }, 200);
  });
