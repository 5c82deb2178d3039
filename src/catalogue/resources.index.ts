import { iso } from "../http/json";
import { eq, sql } from "drizzle-orm";
import type { TenantTables } from "../db/schema/tenant";
import { listPage, toListQuery, totalCount } from "../http/list-query";
import { createRouter } from "../http/router";
import { noSuch } from "../domain/errors";
import { rethrowReferenced } from "../db/errors";
import { tenantScope as scope } from "../tenancy/scope";
import { createResource, deleteResource, getResource, listResources, resourceListSpec, updateResource } from "./resources.routes";

const columns = (t: TenantTables) => ({
  id: t.resources.id,
  name: t.resources.name,
  type: t.resources.type,
  capacity: t.resources.capacity,
  is_active: t.resources.isActive,
  created_at: t.resources.createdAt,
  updated_at: t.resources.updatedAt,
});

const present = <R extends { created_at: Date; updated_at: Date }>(r: R) => ({
  ...r,
  created_at: iso(r.created_at)!,
  updated_at: iso(r.updated_at)!,
});

function values(body: { name?: string; type?: string; capacity?: number; is_active?: boolean }) {
  const v: Partial<TenantTables["resources"]["$inferInsert"]> = {};
  if (body.name !== undefined) v.name = body.name;
  if (body.type !== undefined) v.type = body.type;
  if (body.capacity !== undefined) v.capacity = body.capacity;
  if (body.is_active !== undefined) v.isActive = body.is_active;
  return v;
}

export const resourcesRouter = createRouter()
  .openapi(listResources, async (c) => {
    const { t, db } = await scope(c);
    const list = toListQuery(resourceListSpec(t), c.req.valid("query"));
    const rows = await db
      .select({ ...columns(t), total_count: totalCount() })
      .from(t.resources)
      .where(list.where)
      .orderBy(...list.orderBy)
      .limit(list.limit)
      .offset(list.offset);
    return c.json(listPage(rows, list, c.req.url, present) as never, 200);
  })
  .openapi(createResource, async (c) => {
    const { t, db } = await scope(c);
    const [row] = await db
      .insert(t.resources)
      .values(values(c.req.valid("json")) as typeof t.resources.$inferInsert)
      .returning(columns(t));
    return c.json(present(row), 201);
  })
  .openapi(getResource, async (c) => {
    const { t, db } = await scope(c);
    const [row] = await db.select(columns(t)).from(t.resources).where(eq(t.resources.id, c.req.valid("param").id));
    if (!row) throw noSuch("resource");
    return c.json(present(row), 200);
  })
  .openapi(updateResource, async (c) => {
    const { t, db } = await scope(c);
    const [row] = await db
      .update(t.resources)
      .set({ ...values(c.req.valid("json")), updatedAt: sql`now()` })
      .where(eq(t.resources.id, c.req.valid("param").id))
      .returning(columns(t));
    if (!row) throw noSuch("resource");
    return c.json(present(row), 200);
  })
  .openapi(deleteResource, async (c) => {
    const { t, db } = await scope(c);
    const [row] = await db
      .delete(t.resources)
      .where(eq(t.resources.id, c.req.valid("param").id))
      .returning({ id: t.resources.id })
      .catch((e) => rethrowReferenced(e, "This resource has bookings, so it cannot be deleted; deactivate it instead (PATCH is_active=false)."));
    if (!row) throw noSuch("resource");
    return c.body(null, 204);
  });
