/** Rooms, chairs, equipment: reads and writes. */
import { eq, sql } from "drizzle-orm";
import type { TenantTables } from "../db/schema/tenant";
import { rethrowReferenced } from "../db/errors";
import { noSuch } from "../domain/errors";
import { toListQuery, pageRows } from "../http/list-query";
import type { TenantScope } from "../tenancy/scope";
import { resourceListSpec } from "./resources.routes";

type ResourceWrite = { name?: string; type?: string; capacity?: number; is_active?: boolean };

const columns = (t: TenantTables) => ({
  id: t.resources.id,
  name: t.resources.name,
  type: t.resources.type,
  capacity: t.resources.capacity,
  is_active: t.resources.isActive,
  created_at: t.resources.createdAt,
  updated_at: t.resources.updatedAt,
});

function values(body: ResourceWrite) {
  const v: Partial<TenantTables["resources"]["$inferInsert"]> = {};
  if (body.name !== undefined) v.name = body.name;
  if (body.type !== undefined) v.type = body.type;
  if (body.capacity !== undefined) v.capacity = body.capacity;
  if (body.is_active !== undefined) v.isActive = body.is_active;
  return v;
}

export async function listResources({ t, db }: TenantScope, query: Record<string, unknown>) {
  const list = toListQuery(resourceListSpec(t), query);
  return { rows: await pageRows(db, t.resources, columns(t), list), list };
}

export async function createResource({ t, db }: TenantScope, body: ResourceWrite & { name: string; type: string }) {
  const [row] = await db
    .insert(t.resources)
    .values(values(body) as typeof t.resources.$inferInsert)
    .returning(columns(t));
  return row;
}

export async function getResource({ t, db }: TenantScope, id: string) {
  const [row] = await db.select(columns(t)).from(t.resources).where(eq(t.resources.id, id));
  if (!row) throw noSuch("resource");
  return row;
}

export async function updateResource({ t, db }: TenantScope, id: string, body: ResourceWrite) {
  const [row] = await db
    .update(t.resources)
    .set({ ...values(body), updatedAt: sql`now()` })
    .where(eq(t.resources.id, id))
    .returning(columns(t));
  if (!row) throw noSuch("resource");
  return row;
}

export async function deleteResource({ t, db }: TenantScope, id: string): Promise<void> {
  const [row] = await db
    .delete(t.resources)
    .where(eq(t.resources.id, id))
    .returning({ id: t.resources.id })
    .catch((e) =>
      rethrowReferenced(e, "This resource has bookings, so it cannot be deleted; deactivate it instead (PATCH is_active=false)."),
    );
  if (!row) throw noSuch("resource");
}
