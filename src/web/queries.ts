/**
 * The page reads that the booking engine does not already offer, each one
 * statement (branding included where the page runs a query anyway).
 */
import type { Client } from "@neondatabase/serverless";
import { BOOKING_COLUMNS, type BookingRow } from "../bookings/booking.model";
import { publicServices } from "../catalogue/public.service";
import { toDrizzle } from "../db/client";
import { tenantTables } from "../db/schema/tenant";
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

export interface ManagedBooking extends BookingRow {
  service_name: string;
  duration_min: number;
  staff_name: string;
  /** The booking's own contact (what was typed with it), never its customer record's. */
  customer_name: string;
  customer_email: string | null;
  cancellation_cutoff_min: number;
  reschedule_cutoff_min: number;
}

/**
 * The booking a manage token grants (booking id + token version), with what the
 * page shows and the cut-offs; null when the version was revoked or the id is
 * not a booking of this tenant.
 */
export async function loadManaged(
  client: Client,
  tenant: TenantContext,
  grant: { bookingId: string; version: number },
): Promise<{ booking: ManagedBooking | null; branding: Branding }> {
  const s = quoteSchema(tenant.schemaName);
  const { rows } = await client.query(
    `SELECT (SELECT settings FROM "public"."tenant_config" WHERE tenant_id = $3::uuid) AS branding,
            (SELECT row_to_json(x) FROM (
               SELECT ${BOOKING_COLUMNS}, sv.name AS service_name, sv.duration_min, f.display_name AS staff_name,
                      b.contact_name AS customer_name, b.contact_email AS customer_email,
                      coalesce(st.cancellation_cutoff_min, 120) AS cancellation_cutoff_min,
                      coalesce(st.reschedule_cutoff_min, 120) AS reschedule_cutoff_min
                 FROM ${s}.bookings b
                 JOIN ${s}.services sv ON sv.id = b.service_id
                 JOIN ${s}.staff f ON f.id = b.staff_id
                 LEFT JOIN ${s}.settings st ON st.id = 1
                WHERE b.id = $1::uuid AND b.manage_token_version = $2::int) x) AS booking`,
    [grant.bookingId, grant.version, tenant.id],
  );
  const row = rows[0] as { branding: unknown; booking: ManagedBooking | null };
  return { booking: row.booking, branding: rememberBranding(tenant.id, brandingFrom(row.branding)) };
}
