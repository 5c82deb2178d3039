/**
 * Business-wide closures (holidays): every staff member is off on the local
 * dates starts_on..ends_on. The slot engine reads them with its one load
 * statement (src/bookings/slot-input.service.ts).
 */
import { asc, eq, gte } from "drizzle-orm";
import type { TenantTables } from "../db/schema/tenant";
import { noSuch } from "../domain/errors";
import type { TenantScope } from "../tenancy/scope";

export interface ClosureWrite {
  starts_on: string;
  ends_on: string;
  label?: string;
}

const columns = (t: TenantTables) => ({
  id: t.closures.id,
  starts_on: t.closures.startsOn,
  ends_on: t.closures.endsOn,
  label: t.closures.label,
  created_at: t.closures.createdAt,
});

/** Closures ending on or after `from` (every one without it), by start date. */
export async function listClosures({ t, db }: TenantScope, from?: string) {
  return db
    .select(columns(t))
    .from(t.closures)
    .where(from ? gte(t.closures.endsOn, from) : undefined)
    .orderBy(asc(t.closures.startsOn), asc(t.closures.id));
}

export async function createClosure({ t, db }: TenantScope, body: ClosureWrite) {
  const [row] = await db
    .insert(t.closures)
    .values({ startsOn: body.starts_on, endsOn: body.ends_on, label: body.label ?? "" })
    .returning(columns(t));
  return row!;
}

export async function deleteClosure({ t, db }: TenantScope, id: string): Promise<void> {
  const [row] = await db.delete(t.closures).where(eq(t.closures.id, id)).returning({ id: t.closures.id });
  if (!row) throw noSuch("closure");
}
