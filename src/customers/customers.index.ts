/** Staff-side customer records (the public booking flow upserts them through the same normalisers). */
import { iso } from "../http/json";
import { eq, ilike, or, sql, type SQL } from "drizzle-orm";
import type { TenantTables } from "../db/schema/tenant";
import { pgErrorCode } from "../db/errors";
import { listPage, toListQuery, totalCount } from "../http/list-query";
import { ApiError } from "../http/problem";
import { createRouter } from "../http/router";
import { notFound, rethrowReferenced, rethrowUnique, scope } from "../catalogue/common";
import { pgConstraint } from "../db/errors";
import { normaliseEmail, normalisePhone } from "./contact";
import {
  createCustomer,
  customerListSpec,
  deleteCustomer,
  getCustomer,
  listCustomers,
  LOCALES,
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
  locale: r.locale as (typeof LOCALES)[number],
  created_at: iso(r.created_at)!,
  updated_at: iso(r.updated_at)!,
});

function values(body: CustomerWrite) {
  const v: Partial<TenantTables["customers"]["$inferInsert"]> = {};
  if (body.name !== undefined) v.name = body.name;
  if (body.email !== undefined) v.email = body.email === null ? null : normaliseEmail(body.email);
  if (body.phone !== undefined) v.phone = body.phone === null ? null : normalisePhone(body.phone);
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
    const list = toListQuery(customerListSpec(t), query, [searchCondition(t, query.search)]);
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
    const locale = (LOCALES as readonly string[]).includes(tenant.locale) ? tenant.locale : "fr";
    const [row] = await db
      .insert(t.customers)
      .values({ locale, ...values(body) } as typeof t.customers.$inferInsert)
      .returning(columns(t))
      .catch(rethrowContact);
    return c.json(present(row), 201);
  })
  .openapi(getCustomer, async (c) => {
    const { t, db } = await scope(c);
    const [row] = await db.select(columns(t)).from(t.customers).where(eq(t.customers.id, c.req.valid("param").id));
    if (!row) throw notFound("customer");
    return c.json(present(row), 200);
  })
  .openapi(updateCustomer, async (c) => {
    const { t, db } = await scope(c);
    const [row] = await db
      .update(t.customers)
      .set({ ...values(c.req.valid("json")), updatedAt: sql`now()` })
      .where(eq(t.customers.id, c.req.valid("param").id))
      .returning(columns(t))
      .catch(rethrowContact);
    if (!row) throw notFound("customer");
    return c.json(present(row), 200);
  })
  .openapi(deleteCustomer, async (c) => {
    const { t, db } = await scope(c);
    const [row] = await db
      .delete(t.customers)
      .where(eq(t.customers.id, c.req.valid("param").id))
      .returning({ id: t.customers.id })
      .catch((e) => rethrowReferenced(e, "This customer has bookings, so the record is kept; edit it instead."));
    if (!row) throw notFound("customer");
    return c.body(null, 204);
  });
