/**
 * What a customer sees before logging in: active services and staff only,
 * never contact details, buffers or internal resource requirements. One
 * statement per call.
 */
import { and, asc, eq, exists, sql } from "drizzle-orm";
import { createRouter } from "../http/router";
import { tenantScope as scope } from "../tenancy/scope";
import { publicCategories, publicServices, publicStaff } from "./public.routes";

export const publicCatalogueRouter = createRouter()
  .openapi(publicCategories, async (c) => {
    const { t, db } = await scope(c);
    const cat = t.serviceCategories;
    const results = await db
      .select({ id: cat.id, name: cat.name, position: cat.position })
      .from(cat)
      .where(
        exists(
          db
            .select({ one: sql`1` })
            .from(t.services)
            .where(and(eq(t.services.categoryId, cat.id), eq(t.services.isActive, true))),
        ),
      )
      .orderBy(asc(cat.position), asc(cat.name), asc(cat.id));
    return c.json({ results }, 200);
  })
  .openapi(publicServices, async (c) => {
    const { t, db } = await scope(c);
    const { category_id } = c.req.valid("query");
    const s = t.services;
    const ss = t.serviceStaff;
    const st = t.staff;
    const cat = t.serviceCategories;
    const rows = await db
      .select({
        id: s.id,
        name: s.name,
        description: s.description,
        duration_min: s.durationMin,
        price_minor: s.priceMinor,
        currency: s.currency,
        capacity: s.capacity,
        category_id: cat.id,
        category_name: cat.name,
        staff_ids: sql<string[]>`coalesce((select array_agg(${ss.staffId}::text order by ${ss.staffId}) from ${ss} join ${st} on ${st.id} = ${ss.staffId} where ${ss.serviceId} = ${s.id} and ${st.isActive}), '{}'::text[])`,
      })
      .from(s)
      .leftJoin(cat, eq(cat.id, s.categoryId))
      .where(and(eq(s.isActive, true), category_id ? eq(s.categoryId, category_id) : undefined))
      .orderBy(sql`${cat.position} asc nulls last`, asc(cat.name), asc(s.name), asc(s.id));
    const results = rows.map(({ category_id: catId, category_name, ...r }) => ({
      ...r,
      category: catId ? { id: catId, name: category_name! } : null,
    }));
    return c.json({ results }, 200);
  })
  .openapi(publicStaff, async (c) => {
    const { t, db } = await scope(c);
    const { service_id } = c.req.valid("query");
    const st = t.staff;
    const ss = t.serviceStaff;
    const performs = service_id
      ? exists(
          db
            .select({ one: sql`1` })
            .from(ss)
            .innerJoin(t.services, eq(t.services.id, ss.serviceId))
            .where(and(eq(ss.staffId, st.id), eq(ss.serviceId, service_id), eq(t.services.isActive, true))),
        )
      : undefined;
    const results = await db
      .select({ id: st.id, display_name: st.displayName })
      .from(st)
      .where(and(eq(st.isActive, true), performs))
      .orderBy(asc(st.displayName), asc(st.id));
    return c.json({ results }, 200);
  });
