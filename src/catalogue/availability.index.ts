import { iso } from "../http/json";
import { and, eq } from "drizzle-orm";
import { requirePrincipal, roleAtLeast, type Principal } from "../auth/guards";
import type { TenantTables } from "../db/schema/tenant";
import { ApiError } from "../http/problem";
import { createRouter } from "../http/router";
import { noSuch } from "../domain/errors";
import { tenantScope as scope } from "../tenancy/scope";
import { type Executor } from "../db/client";
import { loadSchedules, replaceSchedule } from "./availability.queries";
import { addTimeOff, getAvailability, removeTimeOff, replaceAvailability } from "./availability.routes";

/**
 * The staff row, locked when writing. Another tenant's id is simply absent
 * from this schema (404); a colleague's record is visible but not writable by
 * the staff role (403).
 */
async function staffFor(db: Executor, t: TenantTables, id: string, principal: Principal, write: boolean) {
  const query = db.select({ id: t.staff.id, userId: t.staff.userId }).from(t.staff).where(eq(t.staff.id, id));
  const [row] = write ? await query.for("update") : await query;
  if (!row) throw noSuch("staff member");
  if (write && !roleAtLeast(principal.role, "admin") && row.userId !== principal.userId) {
    throw new ApiError("forbidden", "Staff members may only change their own availability.");
  }
  return row;
}

export const availabilityRouter = createRouter()
  .openapi(getAvailability, async (c) => {
    // Reading is open to every staff member (front desk books for colleagues); writing is not.
    const { t, db } = await scope(c);
    const { id } = c.req.valid("param");
    await staffFor(db, t, id, requirePrincipal(c), false);
    const schedule = (await loadSchedules(db, t, [id])).get(id)!;
    return c.json({ staff_id: id, ...schedule }, 200);
  })
  .openapi(replaceAvailability, async (c) => {
    const { t, db } = await scope(c);
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const principal = requirePrincipal(c);
    const schedule = await db.transaction(async (tx) => {
      await staffFor(tx, t, id, principal, true);
      await replaceSchedule(tx, t, id, body);
      return (await loadSchedules(tx, t, [id])).get(id)!;
    });
    return c.json({ staff_id: id, ...schedule }, 200);
  })
  .openapi(addTimeOff, async (c) => {
    const { t, db } = await scope(c);
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const principal = requirePrincipal(c);
    const a = t.staffAvailability;
    const row = await db.transaction(async (tx) => {
      await staffFor(tx, t, id, principal, true);
      const [inserted] = await tx
        .insert(a)
        .values({ staffId: id, kind: "time_off", startsAt: new Date(body.starts_at), endsAt: new Date(body.ends_at), note: body.note ?? "" })
        .returning({ id: a.id, starts_at: a.startsAt, ends_at: a.endsAt, note: a.note });
      return inserted;
    });
    return c.json({ ...row, starts_at: iso(row.starts_at)!, ends_at: iso(row.ends_at)! }, 201);
  })
  .openapi(removeTimeOff, async (c) => {
    const { t, db } = await scope(c);
    const { id, timeOffId } = c.req.valid("param");
    const principal = requirePrincipal(c);
    const a = t.staffAvailability;
    const removed = await db.transaction(async (tx) => {
      await staffFor(tx, t, id, principal, true);
      return tx
        .delete(a)
        .where(and(eq(a.id, timeOffId), eq(a.staffId, id), eq(a.kind, "time_off")))
        .returning({ id: a.id });
    });
    if (!removed.length) throw noSuch("time off");
    return c.body(null, 204);
  });
