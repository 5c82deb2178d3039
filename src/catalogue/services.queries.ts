/** Reading and writing services with the set of staff who perform them. */
import { iso } from "../http/json";
import { eq, inArray, sql } from "drizzle-orm";
import type { TenantTables } from "../db/schema/tenant";
import type { FieldError } from "../http/problem";
import { failIf } from "../domain/errors";
import { type Executor } from "../db/client";
import type { ServiceWrite } from "./services.routes";

/** Columns of the service response; `staff_ids` is aggregated in the same statement. */
export function serviceColumns(t: TenantTables) {
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
    is_active: s.isActive,
    staff_ids: sql<string[]>`coalesce((select array_agg(${ss.staffId}::text order by ${ss.staffId}) from ${ss} where ${ss.serviceId} = ${s.id}), '{}'::text[])`,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

export function presentService<R extends { created_at: Date; updated_at: Date; staff_ids: string[] }>(row: R) {
  return { ...row, staff_ids: row.staff_ids ?? [], created_at: iso(row.created_at)!, updated_at: iso(row.updated_at)! };
}

export async function findService(db: Executor, t: TenantTables, id: string) {
  const [row] = await db.select(serviceColumns(t)).from(t.services).where(eq(t.services.id, id));
  return row;
}

/**
 * Refuses references that do not exist in this tenant's schema (another
 * tenant's ids simply are not there): one 422 naming each bad field.
 */
export async function checkReferences(db: Executor, t: TenantTables, body: ServiceWrite): Promise<void> {
  const errors: FieldError[] = [];
  if (body.category_id) {
    const found = await db.select({ id: t.serviceCategories.id }).from(t.serviceCategories).where(eq(t.serviceCategories.id, body.category_id));
    if (!found.length) errors.push({ field: "category_id", message: "No category with this id here." });
  }
  if (body.staff_ids?.length) {
    const found = new Set(
      (await db.select({ id: t.staff.id }).from(t.staff).where(inArray(t.staff.id, body.staff_ids))).map((r) => r.id),
    );
    body.staff_ids.forEach((id, i) => {
      if (!found.has(id)) errors.push({ field: `staff_ids.${i}`, message: "No staff member with this id here." });
    });
  }
  failIf(errors);
}

/** The writable columns present in `body`, by drizzle property name. */
export function serviceValues(body: ServiceWrite) {
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
    is_active: "isActive",
  } as const;
  const values: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(map)) {
    const value = body[key as keyof typeof map];
    if (value !== undefined) values[column] = value;
  }
  return values;
}

/** Replaces the set of staff performing `serviceId` (call inside a transaction). */
export async function replaceServiceStaff(db: Executor, t: TenantTables, serviceId: string, staffIds: string[]): Promise<void> {
  await db.delete(t.serviceStaff).where(eq(t.serviceStaff.serviceId, serviceId));
  if (staffIds.length) {
    await db.insert(t.serviceStaff).values(staffIds.map((staffId) => ({ serviceId, staffId })));
  }
}
