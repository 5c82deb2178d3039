/** Public-schema reads about tenants, as single statements. */
import { eq } from "drizzle-orm";
import type { Queryable } from "../db/client";
import { tenantDomains, tenants } from "../db/schema/public";
import type { TenantContext } from "../domain/tenant";

const TENANT_COLUMNS = {
  id: tenants.id,
  slug: tenants.slug,
  schemaName: tenants.schemaName,
  name: tenants.name,
  status: tenants.status,
  timeZone: tenants.timeZone,
  locale: tenants.locale,
  currency: tenants.currency,
  country: tenants.country,
};

/** One query joining domains and tenants. */
export async function findTenantByHost(db: Queryable, host: string): Promise<TenantContext | null> {
  const [row] = await db
    .select(TENANT_COLUMNS)
    .from(tenantDomains)
    .innerJoin(tenants, eq(tenants.id, tenantDomains.tenantId))
    .where(eq(tenantDomains.domain, host));
  return row ?? null;
}

export async function findTenantBySlug(db: Queryable, slug: string): Promise<TenantContext | null> {
  const [row] = await db.select(TENANT_COLUMNS).from(tenants).where(eq(tenants.slug, slug));
  return row ?? null;
}
