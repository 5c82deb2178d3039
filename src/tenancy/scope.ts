/**
 * The tenant of a tenant-host request, and its schema-qualified tables with a
 * drizzle handle: what every tenant route starts from.
 */
import type { Context } from "hono";
import type { Queryable } from "../db/client";
import { tenantTables, type TenantTables } from "../db/schema/tenant";
import { ApiError } from "../http/problem";
import type { AppEnv } from "../http/types";
import type { TenantContext } from "../domain/tenant";

/** The request's tenant; on the platform host there is none, which reads as 404. */
export function tenantOf(c: { get(key: "tenant"): TenantContext | null }): TenantContext {
  const tenant = c.get("tenant");
  if (!tenant) throw new ApiError("not_found", "This endpoint is served on a business's own domain.");
  return tenant;
}

export interface TenantScope {
  tenant: TenantContext;
  t: TenantTables;
  /** One-shot statements and `batch` (HTTP); interactive transactions take `c.get("database").db()`. */
  db: Queryable;
}

export async function tenantScope(c: Context<AppEnv>): Promise<TenantScope> {
  const tenant = tenantOf(c);
  return { tenant, t: tenantTables(tenant.schemaName), db: c.get("database").http };
}
