/**
 * The page reads that the booking engine does not already offer, each one
 * statement (branding included where the page runs a query anyway), on the
 * request's HTTP handle.
 */
import { managedBookingSql, type ManageGrant, type ManagedBooking } from "../bookings/manage.service";
import { type SQL, sql } from "drizzle-orm";
import { publicServicesAndConfig } from "../catalogue/public.service";
import { type Queryable, rowsOf } from "../db/client";
import { tenantConfig } from "../db/schema/public";
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

/**
 * The start page's read, ONE statement: active services with their category and active staff
 * (the public API's read) and fresh branding (not from the cache: the start page is where a
 * changed accent shows first).
 */
export async function loadCatalogue(db: Queryable, tenant: TenantContext): Promise<{ branding: Branding; services: CatalogueService[] }> {
  const { config, services } = await publicServicesAndConfig({ t: tenantTables(tenant.schemaName), db }, tenant.id);
  return {
    branding: rememberBranding(tenant.id, brandingFrom(config)),
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

/** The tenant's page settings as one scalar sub-select. */
const brandingColumn = (tenant: TenantContext) =>
  sql`(SELECT ${tenantConfig.settings} FROM ${tenantConfig} WHERE ${tenantConfig.tenantId} = ${tenant.id}::uuid)`;

/** The branding: the per-isolate copy, else one statement. */
export async function loadBranding(db: Queryable, tenant: TenantContext): Promise<Branding> {
  const hit = cachedBranding(tenant.id);
  if (hit) return hit;
  const [row] = await rowsOf<{ settings: unknown }>(db, sql`SELECT ${brandingColumn(tenant)} AS settings`);
  return rememberBranding(tenant.id, brandingFrom(row?.settings));
}

/**
 * A one-row statement's decoded value and the branding, still ONE statement:
 * when the branding is not cached its column is added to the row
 * (`SELECT q.*, <branding> FROM (<statement>) q`).
 */
export async function withBranding<T>(
  db: Queryable,
  tenant: TenantContext,
  statement: { query: SQL; decode: (row: unknown) => T },
): Promise<{ value: T; branding: Branding }> {
  const hit = cachedBranding(tenant.id);
  if (hit) {
    const [row] = await rowsOf<unknown>(db, statement.query);
    return { value: statement.decode(row), branding: hit };
  }
  const [row] = await rowsOf<Record<string, unknown>>(
    db,
    sql`SELECT q.*, ${brandingColumn(tenant)} AS page_branding FROM (${statement.query}) q`,
  );
  const { page_branding, ...rest } = row ?? {};
  return { value: statement.decode(rest), branding: rememberBranding(tenant.id, brandingFrom(page_branding)) };
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
