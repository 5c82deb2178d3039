import { and, eq, exists, sql } from "drizzle-orm";
import { listPage, toListQuery, totalCount } from "../http/list-query";
import { createRouter } from "../http/router";
import { noSuch } from "../domain/errors";
import { rethrowReferenced } from "../db/errors";
import { tenantScope as scope } from "../tenancy/scope";
import {
  checkReferences,
  findService,
  presentService,
  replaceServiceStaff,
  serviceColumns,
  serviceValues,
} from "./services.queries";
import { createService, deleteService, getService, listServices, serviceListSpec, updateService } from "./services.routes";

export const servicesRouter = createRouter()
  .openapi(listServices, async (c) => {
    const { t, db } = await scope(c);
    const query = c.req.valid("query");
    const performedBy = query.staff_id
      ? exists(
          db
            .select({ one: sql`1` })
            .from(t.serviceStaff)
            .where(and(eq(t.serviceStaff.serviceId, t.services.id), eq(t.serviceStaff.staffId, query.staff_id))),
        )
      : undefined;
    const list = toListQuery(serviceListSpec(t), query, [performedBy]);
    const rows = await db
      .select({ ...serviceColumns(t), total_count: totalCount() })
      .from(t.services)
      .where(list.where)
      .orderBy(...list.orderBy)
      .limit(list.limit)
      .offset(list.offset);
    return c.json(listPage(rows, list, c.req.url, presentService) as never, 200);
  })
  .openapi(createService, async (c) => {
    const { tenant, t, db } = await scope(c);
    const body = c.req.valid("json");
    const row = await db.transaction(async (tx) => {
      await checkReferences(tx, t, body);
      const [{ id }] = await tx
        .insert(t.services)
        .values({ currency: tenant.currency, ...serviceValues(body) } as typeof t.services.$inferInsert)
        .returning({ id: t.services.id });
      await replaceServiceStaff(tx, t, id, body.staff_ids ?? []);
      return findService(tx, t, id);
    });
    return c.json(presentService(row!), 201);
  })
  .openapi(getService, async (c) => {
    const { t, db } = await scope(c);
    const row = await findService(db, t, c.req.valid("param").id);
    if (!row) throw noSuch("service");
    return c.json(presentService(row), 200);
  })
  .openapi(updateService, async (c) => {
    const { t, db } = await scope(c);
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const row = await db.transaction(async (tx) => {
      // Lock the row first so a concurrent staff-set replacement cannot interleave.
      const [locked] = await tx.select({ id: t.services.id }).from(t.services).where(eq(t.services.id, id)).for("update");
      if (!locked) throw noSuch("service");
      await checkReferences(tx, t, body);
      await tx
        .update(t.services)
        .set({ ...serviceValues(body), updatedAt: sql`now()` })
        .where(eq(t.services.id, id));
      if (body.staff_ids) await replaceServiceStaff(tx, t, id, body.staff_ids);
      return findService(tx, t, id);
    });
    return c.json(presentService(row!), 200);
  })
  .openapi(deleteService, async (c) => {
    const { t, db } = await scope(c);
    // Choice: a service that was ever booked is not deleted (its bookings keep
    // referring to it for history and payments); the client gets 409 and should
    // deactivate it (PATCH is_active=false), which hides it from the public catalogue.
    const [row] = await db
      .delete(t.services)
      .where(eq(t.services.id, c.req.valid("param").id))
      .returning({ id: t.services.id })
      .catch((e) =>
        rethrowReferenced(e, "This service has bookings, so it cannot be deleted; deactivate it instead (PATCH is_active=false)."),
      );
    if (!row) throw noSuch("service");
    return c.body(null, 204);
  });
