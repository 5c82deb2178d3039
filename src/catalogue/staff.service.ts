/** Staff members: reads and writes, and what a staff-role caller may change on their own record. */
import { and, eq, sql } from "drizzle-orm";
import { rethrowReferenced, rethrowUnique } from "../db/errors";
import type { TenantTables } from "../db/schema/tenant";
import { normaliseEmail, normalisePhone } from "../domain/contact";
import { phoneCountryOf } from "../domain/country";
import { Forbidden, noSuch } from "../domain/errors";
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

export async function createStaff({ tenant, t, db }: TenantScope, body: StaffWrite & { display_name: string }) {
  const [row] = await db
    .insert(t.staff)
    .values(staffValues(body, phoneCountryOf(tenant)) as typeof t.staff.$inferInsert)
    .returning(staffColumns(t))
    .catch((e) => rethrowUnique(e, UNIQUE, "staff member"));
  return row;
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
  const [row] = await db
    .update(t.staff)
    .set({ ...staffValues(body, phoneCountryOf(tenant)), updatedAt: sql`now()` })
    .where(where)
    .returning(staffColumns(t))
    .catch((e) => rethrowUnique(e, UNIQUE, "staff member"));
  if (!row) {
    if (actor.isAdmin) throw noSuch("staff member");
    const [exists] = await db.select({ id: t.staff.id }).from(t.staff).where(eq(t.staff.id, id));
    if (!exists) throw noSuch("staff member");
    throw new Forbidden("Staff members may only change their own record.");
  }
  return row;
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
