import { iso } from "../http/json";
import { and, eq, sql } from "drizzle-orm";
import { requirePrincipal, roleAtLeast } from "../auth/guards";
import type { TenantTables } from "../db/schema/tenant";
import { normaliseEmail, normalisePhone } from "../domain/contact";
import { phoneCountryOf } from "../domain/country";
import { listPage, toListQuery, totalCount } from "../http/list-query";
import { ApiError } from "../http/problem";
import { createRouter } from "../http/router";
import { noSuch } from "../domain/errors";
import { rethrowReferenced, rethrowUnique } from "../db/errors";
import { tenantScope as scope } from "../tenancy/scope";
import {
  createStaff,
  deleteStaff,
  getStaff,
  listStaff,
  PRIVILEGED_STAFF_FIELDS,
  staffListSpec,
  updateStaff,
  type StaffWrite,
} from "./staff.routes";

const UNIQUE = { staff_user_key: "user_id" };

export const staffColumns = (t: TenantTables) => ({
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

const present = <R extends { created_at: Date; updated_at: Date }>(r: R) => ({
  ...r,
  created_at: iso(r.created_at)!,
  updated_at: iso(r.updated_at)!,
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

export const staffRouter = createRouter()
  .openapi(listStaff, async (c) => {
    const { t, db } = await scope(c);
    const list = toListQuery(staffListSpec(t), c.req.valid("query"));
    const rows = await db
      .select({ ...staffColumns(t), total_count: totalCount() })
      .from(t.staff)
      .where(list.where)
      .orderBy(...list.orderBy)
      .limit(list.limit)
      .offset(list.offset);
    return c.json(listPage(rows, list, c.req.url, present) as never, 200);
  })
  .openapi(createStaff, async (c) => {
    const { tenant, t, db } = await scope(c);
    const body = c.req.valid("json");
    const [row] = await db
      .insert(t.staff)
      .values(staffValues(body, phoneCountryOf(tenant)) as typeof t.staff.$inferInsert)
      .returning(staffColumns(t))
      .catch((e) => rethrowUnique(e, UNIQUE, "staff member"));
    return c.json(present(row), 201);
  })
  .openapi(getStaff, async (c) => {
    const { t, db } = await scope(c);
    const [row] = await db.select(staffColumns(t)).from(t.staff).where(eq(t.staff.id, c.req.valid("param").id));
    if (!row) throw noSuch("staff member");
    return c.json(present(row), 200);
  })
  .openapi(updateStaff, async (c) => {
    const { tenant, t, db } = await scope(c);
    const principal = requirePrincipal(c);
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const isAdmin = roleAtLeast(principal.role, "admin");
    if (!isAdmin) {
      const privileged = PRIVILEGED_STAFF_FIELDS.filter((f) => body[f] !== undefined);
      if (privileged.length) {
        throw new ApiError("forbidden", `Only admins may change ${privileged.join(", ")}.`, {
          errors: privileged.map((field) => ({ field, message: "Needs the admin role." })),
        });
      }
    }
    // A staff-role caller can only ever match their own row: ownership is part of the UPDATE itself.
    const where = isAdmin ? eq(t.staff.id, id) : and(eq(t.staff.id, id), eq(t.staff.userId, principal.userId));
    const [row] = await db
      .update(t.staff)
      .set({ ...staffValues(body, phoneCountryOf(tenant)), updatedAt: sql`now()` })
      .where(where)
      .returning(staffColumns(t))
      .catch((e) => rethrowUnique(e, UNIQUE, "staff member"));
    if (!row) {
      if (isAdmin) throw noSuch("staff member");
      const [exists] = await db.select({ id: t.staff.id }).from(t.staff).where(eq(t.staff.id, id));
      if (!exists) throw noSuch("staff member");
      throw new ApiError("forbidden", "Staff members may only change their own record.");
    }
    return c.json(present(row), 200);
  })
  .openapi(deleteStaff, async (c) => {
    const { t, db } = await scope(c);
    const [row] = await db
      .delete(t.staff)
      .where(eq(t.staff.id, c.req.valid("param").id))
      .returning({ id: t.staff.id })
      .catch((e) =>
        rethrowReferenced(e, "This staff member has bookings, so they cannot be removed; deactivate them instead (PATCH is_active=false)."),
      );
    if (!row) throw noSuch("staff member");
    return c.body(null, 204);
  });
