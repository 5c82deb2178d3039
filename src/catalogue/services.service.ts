/** Reading and writing services with the set of staff who perform them. */
import { and, eq, exists, inArray, sql } from "drizzle-orm";
import type { PgInsertValue } from "drizzle-orm/pg-core";
import type { Executor } from "../db/client";
import { pgErrorCode, rethrowReferenced } from "../db/errors";
import { columnList, inOneTransaction } from "../db/sql";
import type { TenantTables } from "../db/schema/tenant";
import { failIf, noSuch, type FieldProblem } from "../domain/errors";
import { toListQuery, pageRows } from "../http/list-query";
import type { TenantScope } from "../tenancy/scope";
import { type Direction, moveStatement, nextPosition } from "./ordering";
import { serviceListSpec, type ServiceWrite } from "./services.routes";

/** Columns of the service response; `staff_ids` is aggregated in the same statement. */
function serviceColumns(t: TenantTables) {
  const s = t.services;
  const ss = t.serviceStaff;
  return {
    id: s.id,
    category_id: s.categoryId,
    name: s.name,
    description: s.description,
    duration_min: s.durationMin,
    price_minor: s.priceMinor,
    currency: s.currency,
    buffer_before_min: s.bufferBeforeMin,
    buffer_after_min: s.bufferAfterMin,
    capacity: s.capacity,
    required_resource_type: s.requiredResourceType,
    position: s.position,
    is_active: s.isActive,
    staff_ids: sql<
      string[]
    >`coalesce((select array_agg(${ss.staffId}::text order by ${ss.staffId}) from ${ss} where ${ss.serviceId} = ${s.id}), '{}'::text[])`,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

async function findService(db: Executor, t: TenantTables, id: string) {
  const [row] = await db.select(serviceColumns(t)).from(t.services).where(eq(t.services.id, id));
  return row;
}

/**
 * Refuses references that do not exist in this tenant's schema (another
 * tenant's ids simply are not there): one 422 naming each bad field.
 */
async function checkReferences(db: Executor, t: TenantTables, body: ServiceWrite): Promise<void> {
  const errors: FieldProblem[] = [];
  if (body.category_id) {
    const found = await db
      .select({ id: t.serviceCategories.id })
      .from(t.serviceCategories)
      .where(eq(t.serviceCategories.id, body.category_id));
    if (!found.length) errors.push({ field: "category_id", message: "No category with this id here." });
  }
  if (body.staff_ids?.length) {
    const found = new Set((await db.select({ id: t.staff.id }).from(t.staff).where(inArray(t.staff.id, body.staff_ids))).map((r) => r.id));
    body.staff_ids.forEach((id, i) => {
      if (!found.has(id)) errors.push({ field: `staff_ids.${i}`, message: "No staff member with this id here." });
    });
  }
  failIf(errors);
}

/** The writable columns present in `body`, by drizzle property name. */
function serviceValues(body: ServiceWrite) {
  const map = {
    category_id: "categoryId",
    name: "name",
    description: "description",
    duration_min: "durationMin",
    price_minor: "priceMinor",
    currency: "currency",
    buffer_before_min: "bufferBeforeMin",
    buffer_after_min: "bufferAfterMin",
    capacity: "capacity",
    required_resource_type: "requiredResourceType",
    position: "position",
    is_active: "isActive",
  } as const;
  const values: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(map)) {
    const value = body[key as keyof typeof map];
    if (value !== undefined) values[column] = value;
  }
  return values;
}

/**
 * Statements that give `serviceId` exactly `staffIds` (deduplicated), for one
 * transaction: a no-op list when the body leaves the set alone. The insert
 * reads the service row, so nothing is written for an id that is not there.
 */
function replaceServiceStaff(q: Executor, t: TenantTables, serviceId: string, staffIds: string[] | undefined) {
  if (!staffIds) return [];
  const s = t.services;
  const ss = t.serviceStaff;
  const ids = [...new Set(staffIds)];
  return [
    q.delete(ss).where(eq(ss.serviceId, serviceId)),
    ...(ids.length
      ? [
          q.execute(
            sql`INSERT INTO ${ss} (${columnList(ss.serviceId, ss.staffId)})
                SELECT ${s.id}, x.staff_id FROM ${s}, unnest(${sql.param(ids)}::uuid[]) AS x(staff_id) WHERE ${s.id} = ${serviceId}::uuid`,
          ),
        ]
      : []),
  ];
}

/**
 * After a foreign-key violation (23503) of a write: the 422 naming each bad
 * reference (another tenant's ids simply are not here). Costs a round trip
 * on that failure path only; rethrows the error when every reference exists.
 */
async function explainReferenceError(db: Executor, t: TenantTables, body: ServiceWrite, error: unknown): Promise<never> {
  if (pgErrorCode(error) !== "23503") throw error;
  await checkReferences(db, t, body);
  throw error;
}

export async function listServices({ t, db }: TenantScope, query: Record<string, unknown> & { staff_id?: string }) {
  const performedBy = query.staff_id
    ? exists(
        db
          .select({ one: sql`1` })
          .from(t.serviceStaff)
          .where(and(eq(t.serviceStaff.serviceId, t.services.id), eq(t.serviceStaff.staffId, query.staff_id))),
      )
    : undefined;
  const list = toListQuery(serviceListSpec(t), query, [performedBy]);
  return { rows: await pageRows(db, t.services, serviceColumns(t), list), list };
}

/** How services are ordered: inside their category, by position then name. */
const serviceOrder = (t: TenantTables) => ({
  table: t.services,
  id: t.services.id,
  position: t.services.position,
  name: t.services.name,
  group: t.services.categoryId,
});

/** A new service in the business's currency unless another is given, with its staff, after the last of its category. */
export async function createService({ tenant, t, db }: TenantScope, body: ServiceWrite & { name: string; duration_min: number }) {
  const id = crypto.randomUUID();
  // One transaction, one round trip: the service, its staff, the row as answered.
  const {
    last: [row],
  } = await inOneTransaction(db, (q) => [
    q.insert(t.services).values({
      id,
      currency: tenant.currency,
      position: nextPosition(serviceOrder(t), body.category_id),
      ...serviceValues(body),
    } as PgInsertValue<typeof t.services>),
    ...replaceServiceStaff(q, t, id, body.staff_ids ?? []),
    q.select(serviceColumns(t)).from(t.services).where(eq(t.services.id, id)),
  ]).catch((e) => explainReferenceError(db, t, body, e));
  return row!;
}

export async function getService({ t, db }: TenantScope, id: string) {
  const row = await findService(db, t, id);
  if (!row) throw noSuch("service");
  return row;
}

export async function updateService({ t, db }: TenantScope, id: string, body: ServiceWrite) {
  // One transaction, one round trip. The UPDATE locks the service row first, so a
  // concurrent staff-set replacement waits for this one and never interleaves.
  const {
    last: [row],
  } = await inOneTransaction(db, (q) => [
    q
      .update(t.services)
      .set({ ...serviceValues(body), updatedAt: sql`now()` })
      .where(eq(t.services.id, id)),
    ...replaceServiceStaff(q, t, id, body.staff_ids),
    q.select(serviceColumns(t)).from(t.services).where(eq(t.services.id, id)),
  ]).catch((e) => explainReferenceError(db, t, body, e));
  if (!row) throw noSuch("service");
  return row;
}

/** One place up or down inside its category (nothing moves at either end); the service as it now is. */
export async function moveService({ t, db }: TenantScope, id: string, direction: Direction) {
  const {
    last: [row],
  } = await inOneTransaction(db, (q) => [
    q.execute(moveStatement(serviceOrder(t), id, direction)),
    q.select(serviceColumns(t)).from(t.services).where(eq(t.services.id, id)),
  ]);
  if (!row) throw noSuch("service");
  return row;
}

/**
 * Choice: a service that was ever booked is not deleted (its bookings keep
 * referring to it for history and payments); the caller gets a conflict and
 * should deactivate it instead, which hides it from the public catalogue.
 */
export async function deleteService({ t, db }: TenantScope, id: string): Promise<void> {
  const [row] = await db
    .delete(t.services)
    .where(eq(t.services.id, id))
    .returning({ id: t.services.id })
    .catch((e) =>
      rethrowReferenced(e, "This service has bookings, so it cannot be deleted; deactivate it instead (PATCH is_active=false)."),
    );
  if (!row) throw noSuch("service");
}
