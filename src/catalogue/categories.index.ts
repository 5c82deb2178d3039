import { iso } from "../http/json";
import { eq, sql } from "drizzle-orm";
import { createRouter } from "../http/router";
import { listPage, toListQuery, totalCount } from "../http/list-query";
import type { TenantTables } from "../db/schema/tenant";
import { noSuch } from "../domain/errors";
import { rethrowUnique } from "../db/errors";
import { tenantScope as scope } from "../tenancy/scope";
import {
  categoryListSpec,
  createCategory,
  deleteCategory,
  getCategory,
  listCategories,
  updateCategory,
} from "./categories.routes";

const UNIQUE = { service_categories_name_key: "name" };

const columns = (t: TenantTables) => ({
  id: t.serviceCategories.id,
  name: t.serviceCategories.name,
  position: t.serviceCategories.position,
  created_at: t.serviceCategories.createdAt,
  updated_at: t.serviceCategories.updatedAt,
});

type Row = { id: string; name: string; position: number; created_at: Date; updated_at: Date };
const present = (r: Row) => ({ ...r, created_at: iso(r.created_at)!, updated_at: iso(r.updated_at)! });

export const categoriesRouter = createRouter()
  .openapi(listCategories, async (c) => {
    const { t, db } = await scope(c);
    const spec = categoryListSpec(t);
    const list = toListQuery(spec, c.req.valid("query"));
    const rows = await db
      .select({ ...columns(t), total_count: totalCount() })
      .from(t.serviceCategories)
      .where(list.where)
      .orderBy(...list.orderBy)
      .limit(list.limit)
      .offset(list.offset);
    return c.json(listPage(rows, list, c.req.url, present) as never, 200);
  })
  .openapi(createCategory, async (c) => {
    const { t, db } = await scope(c);
    const body = c.req.valid("json");
    const [row] = await db
      .insert(t.serviceCategories)
      .values({ name: body.name, position: body.position ?? 0 })
      .returning(columns(t))
      .catch((e) => rethrowUnique(e, UNIQUE, "category"));
    return c.json(present(row), 201);
  })
  .openapi(getCategory, async (c) => {
    const { t, db } = await scope(c);
    const [row] = await db.select(columns(t)).from(t.serviceCategories).where(eq(t.serviceCategories.id, c.req.valid("param").id));
    if (!row) throw noSuch("category");
    return c.json(present(row), 200);
  })
  .openapi(updateCategory, async (c) => {
    const { t, db } = await scope(c);
    const body = c.req.valid("json");
    const [row] = await db
      .update(t.serviceCategories)
      .set({ ...body, updatedAt: sql`now()` })
      .where(eq(t.serviceCategories.id, c.req.valid("param").id))
      .returning(columns(t))
      .catch((e) => rethrowUnique(e, UNIQUE, "category"));
    if (!row) throw noSuch("category");
    return c.json(present(row), 200);
  })
  .openapi(deleteCategory, async (c) => {
    const { t, db } = await scope(c);
    const [row] = await db
      .delete(t.serviceCategories)
      .where(eq(t.serviceCategories.id, c.req.valid("param").id))
      .returning({ id: t.serviceCategories.id });
    if (!row) throw noSuch("category");
    return c.body(null, 204);
  });
