/**
 * The demo tenant used by `npm run dev` and `npm run cli -- seed demo`: a small
 * Casablanca salon with two stylists, a treatment room and a week of hours, so
 * the booking flow can be tried at once. Idempotent.
 */
import { type Queryable, queryableOf, toDrizzle } from "../db/client";
import { inOneTransaction } from "../db/sql";
import { tenantTables } from "../db/schema/tenant";
import { findTenantBySlug } from "../tenancy/queries";
import { provisionTenant } from "../tenancy/provision";
import type { TenantContext } from "../domain/tenant";

export const DEMO_SLUG = "demo";

/** An open WebSocket connection (provisioning runs on one). */
type Connection = Parameters<typeof toDrizzle>[0];

export async function ensureDemoTenant(
  client: Connection,
  options: { domain?: string } = {},
): Promise<{ created: boolean; seeded: boolean; domain: string }> {
  const domain = options.domain ?? "demo.localhost";
  let tenant = await findTenantBySlug(toDrizzle(client), DEMO_SLUG);
  const created = !tenant;
  if (!tenant) {
    tenant = await provisionTenant(
      client,
      { slug: DEMO_SLUG, name: "Demo Company", domain, contactEmail: "demo@test.com", timeZone: "Africa/Casablanca", locale: "fr" },
      "seed",
    );
  }
  const seeded = await seedDemoCatalogue(client, tenant);
  return { created, seeded, domain };
}

/**
 * Gives a tenant the demo catalogue unless it already has services; true when
 * it seeded. The ids are made here, so every insert is known up front and the
 * whole catalogue is written as one transaction of plain statements (one
 * round trip on the HTTP path). Takes a drizzle handle or a raw connection.
 */
export async function seedDemoCatalogue(handle: Connection | Queryable, tenant: Pick<TenantContext, "schemaName">): Promise<boolean> {
  const t = tenantTables(tenant.schemaName);
  const db = queryableOf(handle);
  const existing = await db.select({ id: t.services.id }).from(t.services).limit(1);
  if (existing.length) return false;

  const id = () => crypto.randomUUID();
  const [hair, care] = [id(), id()];
  const services = [
    { id: id(), categoryId: hair, name: "Coupe femme", durationMin: 45, priceMinor: 25000, bufferAfterMin: 15 },
    { id: id(), categoryId: hair, name: "Brushing", durationMin: 30, priceMinor: 15000 },
    {
      id: id(),
      categoryId: care,
      name: "Soin du visage",
      durationMin: 60,
      priceMinor: 40000,
      requiredResourceType: "room",
      bufferAfterMin: 10,
    },
    { id: id(), categoryId: care, name: "Atelier maquillage (groupe)", durationMin: 90, priceMinor: 30000, capacity: 6 },
  ];
  const staff = [
    { id: id(), displayName: "Salma" },
    { id: id(), displayName: "Youssef" },
  ];
  const weekly = staff.flatMap((p) =>
    [1, 2, 3, 4, 5, 6].flatMap((weekday) => [
      { staffId: p.id, kind: "weekly" as const, weekday, startTime: "09:00", endTime: "13:00" },
      { staffId: p.id, kind: "weekly" as const, weekday, startTime: "14:00", endTime: "19:00" },
    ]),
  );
  await inOneTransaction(db, (q) => [
    q.insert(t.serviceCategories).values([
      { id: hair, name: "Coiffure", position: 1 },
      { id: care, name: "Soins", position: 2 },
    ]),
    q.insert(t.services).values(services),
    q.insert(t.staff).values(staff),
    q.insert(t.resources).values([{ name: "Cabine 1", type: "room" }]),
    q.insert(t.serviceStaff).values(services.flatMap((s) => staff.map((p) => ({ serviceId: s.id, staffId: p.id })))),
    q.insert(t.staffAvailability).values(weekly),
  ]);
  return true;
}
