/**
 * The demo tenant used by `npm run dev` and `npm run cli -- seed demo`: a small
 * Casablanca salon with two stylists, a treatment room and a week of hours, so
 * the booking flow can be tried at once. Idempotent.
 */
import type { Client } from "@neondatabase/serverless";
import { toDrizzle } from "../db/client";
import { tenantTables } from "../db/schema/tenant";
import { findTenantBySlug } from "../tenancy/queries";
import { provisionTenant } from "../tenancy/provision";
import type { TenantContext } from "../domain/tenant";

export const DEMO_SLUG = "demo";

export async function ensureDemoTenant(
  client: Client,
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

/** Gives a tenant the demo catalogue unless it already has services; true when it seeded. */
export async function seedDemoCatalogue(client: Client, tenant: Pick<TenantContext, "schemaName">): Promise<boolean> {
  const t = tenantTables(tenant.schemaName);
  const db = toDrizzle(client);
  const existing = await db.select({ id: t.services.id }).from(t.services).limit(1);
  if (existing.length) return false;

  await db.transaction(async (tx) => {
    const [hair, care] = await tx
      .insert(t.serviceCategories)
      .values([
        { name: "Coiffure", position: 1 },
        { name: "Soins", position: 2 },
      ])
      .returning({ id: t.serviceCategories.id });
    const services = await tx
      .insert(t.services)
      .values([
        { categoryId: hair.id, name: "Coupe femme", durationMin: 45, priceMinor: 25000, bufferAfterMin: 15 },
        { categoryId: hair.id, name: "Brushing", durationMin: 30, priceMinor: 15000 },
        {
          categoryId: care.id,
          name: "Soin du visage",
          durationMin: 60,
          priceMinor: 40000,
          requiredResourceType: "room",
          bufferAfterMin: 10,
        },
        { categoryId: care.id, name: "Atelier maquillage (groupe)", durationMin: 90, priceMinor: 30000, capacity: 6 },
      ])
      .returning({ id: t.services.id });
    const staff = await tx
      .insert(t.staff)
      .values([{ displayName: "Salma" }, { displayName: "Youssef" }])
      .returning({ id: t.staff.id });
    await tx.insert(t.resources).values([{ name: "Cabine 1", type: "room" }]);
    await tx.insert(t.serviceStaff).values(services.flatMap((s) => staff.map((p) => ({ serviceId: s.id, staffId: p.id }))));
    const weekly = staff.flatMap((p) =>
      [1, 2, 3, 4, 5, 6].flatMap((weekday) => [
        { staffId: p.id, kind: "weekly" as const, weekday, startTime: "09:00", endTime: "13:00" },
        { staffId: p.id, kind: "weekly" as const, weekday, startTime: "14:00", endTime: "19:00" },
      ]),
    );
    await tx.insert(t.staffAvailability).values(weekly);
  });
  return true;
}
