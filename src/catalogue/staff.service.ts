/** Staff members: reads and writes, and what a staff-role caller may change on their own record. */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../db/client";
import { pgErrorCode, rethrowReferenced, rethrowUnique } from "../db/errors";
import type { TenantTables } from "../db/schema/tenant";
import { columnList, inOneTransaction } from "../db/sql";
import { normaliseEmail, normalisePhone } from "../domain/contact";
import { phoneCountryOf } from "../domain/country";
import { failIf, Forbidden, noSuch } from "../domain/errors";
import { toListQuery, pageRows } from "../http/list-query";
import type { TenantScope } from "../tenancy/scope";
import { PRIVILEGED_STAFF_FIELDS, staffListSpec, type StaffWrite } from "./staff.routes";

/** Who is changing a record: admins and owners may change anyone's, the staff role only their own. */
export interface Actor {
  userId: string;
  isAdmin: boolean;
}

const UNIQUE = { staff_user_key: "user_id" };

const staffColumns = (t: TenantTables) => ({
  ...baseColumns(t),
  // In the same statement, like a service's staff_ids.
  service_ids: sql<
    string[]
  >`coalesce((select array_agg(${t.serviceStaff.serviceId}::text order by ${t.serviceStaff.serviceId}) from ${t.serviceStaff} where ${t.serviceStaff.staffId} = ${t.staff.id}), '{}'::text[])`,
});

const baseColumns = (t: TenantTables) => ({
  id: t.staff.id,
  user_id: t.staff.userId,
  display_name: t.staff.displayName,
  email: t.staff.email,
  phone: t.staff.phone,
  time_zone: t.staff.timeZone,
  is_active: t.staff.isActive,
  created_at: t.staff.createdAt,
  updated_at: t.staff.updatedAt,
});

function staffValues(body: StaffWrite, country: string) {
  const values: Partial<TenantTables["staff"]["$inferInsert"]> = {};
  if (body.display_name !== undefined) values.displayName = body.display_name;
  if (body.email !== undefined) values.email = body.email === null ? null : normaliseEmail(body.email);
  if (body.phone !== undefined) values.phone = body.phone === null ? null : normalisePhone(body.phone, country);
  if (body.time_zone !== undefined) values.timeZone = body.time_zone;
  if (body.user_id !== undefined) values.userId = body.user_id;
  if (body.is_active !== undefined) values.isActive = body.is_active;
  return values;
}

export async function listStaff({ t, db }: TenantScope, query: Record<string, unknown>) {
  const list = toListQuery(staffListSpec(t), query);
  return { rows: await pageRows(db, t.staff, staffColumns(t), list), list };
}

/**
 * Statements that give `staffId` exactly `serviceIds`, for one transaction: a
 * no-op list when the body leaves the set alone. The insert reads the staff
 * row, so nothing is written for a staff id that is not there.
 */
function replaceStaffServices(q: Executor, t: TenantTables, staffId: string, serviceIds: string[] | undefined) {
  if (!serviceIds) return [];
  const ss = t.serviceStaff;
  return [
    q.delete(ss).where(eq(ss.staffId, staffId)),
    ...(serviceIds.length
      ? [
          q.execute(
            sql`INSERT INTO ${ss} (${columnList(ss.serviceId, ss.staffId)})
                SELECT x.service_id, ${t.staff.id} FROM ${t.staff}, unnest(${sql.param(serviceIds)}::uuid[]) AS x(service_id)
                 WHERE ${t.staff.id} = ${staffId}::uuid`,
          ),
        ]
      : []),
  ];
}

/**
 * After a failed write: the 422 naming each service id that is not here
 * (another tenant's ids simply are not), else the unique-key 409, else the
 * error itself. Costs a round trip on the foreign-key failure path only.
 */
async function explainWriteError(db: Executor, t: TenantTables, body: StaffWrite, error: unknown): Promise<never> {
  if (pgErrorCode(error) === "23503" && body.service_ids?.length) {
    const found = new Set(
      (await db.select({ id: t.services.id }).from(t.services).where(inArray(t.services.id, body.service_ids))).map((r) => r.id),
    );
    failIf(
      body.service_ids.flatMap((id, i) => (found.has(id) ? [] : [{ field: `service_ids.${i}`, message: "No service with this id here." }])),
    );
  }
  return rethrowUnique(error, UNIQUE, "staff member");
}

export async function createStaff({ tenant, t, db }: TenantScope, body: StaffWrite & { display_name: string }) {
  const id = crypto.randomUUID();
  // One transaction, one round trip: the person, their services, the row as answered.
  const {
    last: [row],
  } = await inOneTransaction(db, (q) => [
    q.insert(t.staff).values({ ...staffValues(body, phoneCountryOf(tenant)), id } as typeof t.staff.$inferInsert),
    ...replaceStaffServices(q, t, id, body.service_ids ?? []),
    q.select(staffColumns(t)).from(t.staff).where(eq(t.staff.id, id)),
  ]).catch((e) => explainWriteError(db, t, body, e));
  return row!;
}

export async function getStaff({ t, db }: TenantScope, id: string) {
  const [row] = await db.select(staffColumns(t)).from(t.staff).where(eq(t.staff.id, id));
  if (!row) throw noSuch("staff member");
  return row;
}

export async function updateStaff({ tenant, t, db }: TenantScope, id: string, body: StaffWrite, actor: Actor) {
  if (!actor.isAdmin) {
    const privileged = PRIVILEGED_STAFF_FIELDS.filter((f) => body[f] !== undefined);
    if (privileged.length) {
      throw new Forbidden(
        `Only admins may change ${privileged.join(", ")}.`,
        privileged.map((field) => ({ field, message: "Needs the admin role." })),
      );
    }
  }
  // A staff-role caller can only ever match their own row: ownership is part of the UPDATE itself.
  const where = actor.isAdmin ? eq(t.staff.id, id) : and(eq(t.staff.id, id), eq(t.staff.userId, actor.userId));
  // One transaction, one round trip; the UPDATE locks the row first, so a concurrent service-set change waits.
  const { all, last } = await inOneTransaction(db, (q) => [
    q
      .update(t.staff)
      .set({ ...staffValues(body, phoneCountryOf(tenant)), updatedAt: sql`now()` })
      .where(where)
      .returning({ id: t.staff.id }),
    ...replaceStaffServices(q, t, id, body.service_ids),
    q.select(staffColumns(t)).from(t.staff).where(eq(t.staff.id, id)),
  ]).catch((e) => explainWriteError(db, t, body, e));
  const row = last[0];
  if (!(all[0] as unknown[]).length) {
    if (actor.isAdmin || !row) throw noSuch("staff member");
    throw new Forbidden("Staff members may only change their own record.");
  }
  return row!;
}

export async function deleteStaff({ t, db }: TenantScope, id: string): Promise<void> {
  const [row] = await db
    .delete(t.staff)
    .where(eq(t.staff.id, id))
    .returning({ id: t.staff.id })
    .catch((e) =>
      rethrowReferenced(e, "This staff member has bookings, so they cannot be removed; deactivate them instead (PATCH is_active=false)."),
    );
  if (!row) throw noSuch("staff member");
}
