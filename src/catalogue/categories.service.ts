/** Service categories: reads and writes. */
import { eq, sql } from "drizzle-orm";
import type { TenantTables } from "../db/schema/tenant";
import { rethrowUnique } from "../db/errors";
import { inOneTransaction } from "../db/sql";
import { noSuch } from "../domain/errors";
import { toListQuery, pageRows } from "../http/list-query";
import type { TenantScope } from "../tenancy/scope";
import { categoryListSpec } from "./categories.routes";
import { type Direction, moveStatement, nextPosition } from "./ordering";

const UNIQUE = { service_categories_name_key: "name" };

const categoryOrder = (t: TenantTables) => ({
  table: t.serviceCategories,
  id: t.serviceCategories.id,
  position: t.serviceCategories.position,
  name: t.serviceCategories.name,
});

const columns = (t: TenantTables) => ({
  id: t.serviceCategories.id,
  name: t.serviceCategories.name,
  position: t.serviceCategories.position,
  created_at: t.serviceCategories.createdAt,
  updated_at: t.serviceCategories.updatedAt,
});

export async function listCategories({ t, db }: TenantScope, query: Record<string, unknown>) {
  const list = toListQuery(categoryListSpec(t), query);
  return { rows: await pageRows(db, t.serviceCategories, columns(t), list), list };
}

export async function createCategory({ t, db }: TenantScope, body: { name: string; position?: number }) {
  const [row] = await db
    .insert(t.serviceCategories)
    .values({ name: body.name, position: body.position ?? nextPosition(categoryOrder(t)) })
    .returning(columns(t))
    .catch((e) => rethrowUnique(e, UNIQUE, "category"));
  return row;
}

export async function getCategory({ t, db }: TenantScope, id: string) {
  const [row] = await db.select(columns(t)).from(t.serviceCategories).where(eq(t.serviceCategories.id, id));
  if (!row) throw noSuch("category");
  return row;
}

export async function updateCategory({ t, db }: TenantScope, id: string, body: { name?: string; position?: number }) {
  const [row] = await db
    .update(t.serviceCategories)
    .set({ ...body, updatedAt: sql`now()` })
    .where(eq(t.serviceCategories.id, id))
    .returning(columns(t))
    .catch((e) => rethrowUnique(e, UNIQUE, "category"));
  if (!row) throw noSuch("category");
  return row;
}

/** One place up or down (nothing moves at either end); the category as it now is. */
export async function moveCategory({ t, db }: TenantScope, id: string, direction: Direction) {
  const {
    last: [row],
  } = await inOneTransaction(db, (q) => [
    q.execute(moveStatement(categoryOrder(t), id, direction)),
    q.select(columns(t)).from(t.serviceCategories).where(eq(t.serviceCategories.id, id)),
  ]);
  if (!row) throw noSuch("category");
  return row;
}

/** Its services stay, uncategorised (the foreign key sets their category to null). */
export async function deleteCategory({ t, db }: TenantScope, id: string): Promise<void> {
  const [row] = await db.delete(t.serviceCategories).where(eq(t.serviceCategories.id, id)).returning({ id: t.serviceCategories.id });
  if (!row) throw noSuch("category");
}
