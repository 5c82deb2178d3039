import { eq } from "drizzle-orm";
import { requirePrincipal, roleAtLeast, type Principal } from "../auth/guards";
import type { TenantTables } from "../db/schema/tenant";
import { ApiError } from "../http/problem";
import { createRouter } from "../http/router";
import { notFound, scope, type Executor } from "./common";
import { loadSchedules, replaceSchedule } from "./availability.queries";
import { getAvailability, replaceAvailability } from "./availability.routes";

/**
 * The staff row, locked when writing. Another tenant's id is simply absent
 * from this schema (404); a colleague's record is visible but not writable by
 * the staff role (403).
 */
async function staffFor(db: Executor, t: TenantTables, id: string, principal: Principal, write: boolean) {
  const query = db.select({ id: t.staff.id, userId: t.staff.userId }).from(t.staff).where(eq(t.staff.id, id));
  const [row] = write ? await query.for("update") : await query;
  if (!row) throw notFound("staff member");
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
  });
