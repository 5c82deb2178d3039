/**
 * The page reads that the booking engine does not already offer, each one
 * statement (branding included where the page runs a query anyway).
 */
import type { Client } from "@neondatabase/serverless";
import { managedBookingSql, type ManageGrant, type ManagedBooking } from "../bookings/manage.service";
import { publicServices } from "../catalogue/public.service";
import { type Queryable, rowsOf, toDrizzle } from "../db/client";
import { tenantConfig } from "../db/schema/public";
import { sql } from "drizzle-orm";
import { tenantTables } from "../db/schema/tenant";
import type { TenantContext } from "../domain/tenant";
import { brandingFrom, cachedBranding, rememberBranding, type Branding } from "./branding";

export interface CatalogueService {
  id: string;
  name: string;
  description: string;
  durationMin: number;
  priceMinor: number;
  currency: string;
  capacity: number;
  category: string | null;
  staff: { id: string; name: string }[];
}

/** Active services with their category and active staff (the public API's read), plus fresh branding. */
export async function loadCatalogue(client: Client, tenant: TenantContext): Promise<{ branding: Branding; services: CatalogueService[] }> {
  const [services, config] = await Promise.all([
    publicServices({ t: tenantTables(tenant.schemaName), db: toDrizzle(client) }),
    // Read fresh (not from the branding cache): the start page is where a changed accent shows first.
    client.query(`SELECT settings FROM "public"."tenant_config" WHERE tenant_id = $1::uuid`, [tenant.id]),
  ]);
  return {
    branding: rememberBranding(tenant.id, brandingFrom(config.rows[0]?.settings)),
    services: services.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      durationMin: s.duration_min,
      priceMinor: s.price_minor,
      currency: s.currency,
      capacity: s.capacity,
      category: s.category?.name ?? null,
      staff: s.staff.map((f) => ({ id: f.id, name: f.display_name })),
    })),
  };
}

export async function loadBranding(client: () => Promise<Client>, tenant: TenantContext): Promise<Branding> {
  const hit = cachedBranding(tenant.id);
  if (hit) return hit;
  const { rows } = await (await client()).query(`SELECT settings FROM "public"."tenant_config" WHERE tenant_id = $1::uuid`, [tenant.id]);
  return rememberBranding(tenant.id, brandingFrom(rows[0]?.settings));
}

/**
 * The booking a manage token grants (bookings/manage.service.ts: one read for the
 * API and the pages) and the branding, in one round trip; null when the version
 * was revoked or the id is not a booking of this tenant.
 */
export async function loadManaged(
  db: Queryable,
  tenant: TenantContext,
  grant: ManageGrant,
): Promise<{ booking: ManagedBooking | null; branding: Branding }> {
  const [row] = await rowsOf<{ branding: unknown; booking: ManagedBooking | null }>(
    db,
    sql`SELECT (SELECT ${tenantConfig.settings} FROM ${tenantConfig} WHERE ${tenantConfig.tenantId} = ${tenant.id}::uuid) AS branding,
               ${managedBookingSql(tenant.schemaName, grant)} AS booking`,
  );
  return { booking: row!.booking, branding: rememberBranding(tenant.id, brandingFrom(row!.branding)) };
}
