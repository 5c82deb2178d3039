/**
 * The page reads that the booking engine does not already offer, each one
 * statement (branding included where the page runs a query anyway).
 */
import type { Client } from "@neondatabase/serverless";
import { managedBookingSql, type ManageGrant, type ManagedBooking } from "../bookings/manage.service";
import { quoteSchema } from "../tenancy/naming";
import type { TenantContext } from "../tenancy/types";
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

const catalogueSql = new Map<string, string>();

function catalogueText(schemaName: string): string {
  const s = quoteSchema(schemaName);
  return `
SELECT (SELECT settings FROM "public"."tenant_config" WHERE tenant_id = $1::uuid) AS branding,
  (SELECT coalesce(json_agg(json_build_object(
      'id', sv.id, 'name', sv.name, 'description', sv.description, 'durationMin', sv.duration_min,
      'priceMinor', sv.price_minor, 'currency', sv.currency, 'capacity', sv.capacity, 'category', c.name,
      'staff', (SELECT coalesce(json_agg(json_build_object('id', f.id, 'name', f.display_name) ORDER BY f.display_name, f.id), '[]'::json)
                  FROM ${s}.service_staff ss JOIN ${s}.staff f ON f.id = ss.staff_id
                 WHERE ss.service_id = sv.id AND f.is_active))
      ORDER BY c.position NULLS LAST, c.name NULLS LAST, sv.name), '[]'::json)
     FROM ${s}.services sv LEFT JOIN ${s}.service_categories c ON c.id = sv.category_id
    WHERE sv.is_active) AS services`;
}

/** Active services with their category and active staff, plus the branding: one round trip. */
export async function loadCatalogue(client: Client, tenant: TenantContext): Promise<{ branding: Branding; services: CatalogueService[] }> {
  let text = catalogueSql.get(tenant.schemaName);
  if (!text) catalogueSql.set(tenant.schemaName, (text = catalogueText(tenant.schemaName)));
  const { rows } = await client.query(text, [tenant.id]);
  const row = rows[0] as { branding: unknown; services: CatalogueService[] };
  return { branding: rememberBranding(tenant.id, brandingFrom(row.branding)), services: row.services };
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
  client: Client,
  tenant: TenantContext,
  grant: ManageGrant,
): Promise<{ booking: ManagedBooking | null; branding: Branding }> {
  const { rows } = await client.query(
    `SELECT (SELECT settings FROM "public"."tenant_config" WHERE tenant_id = $3::uuid) AS branding, ${managedBookingSql(tenant.schemaName)} AS booking`,
    [grant.bookingId, grant.version, tenant.id],
  );
  const row = rows[0] as { branding: unknown; booking: ManagedBooking | null };
  return { booking: row.booking, branding: rememberBranding(tenant.id, brandingFrom(row.branding)) };
}
