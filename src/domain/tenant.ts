export const TENANT_STATUSES = ["active", "suspended", "archived"] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** What a request needs to know about its tenant; small enough to live in KV. */
export interface TenantContext {
  id: string;
  slug: string;
  schemaName: string;
  name: string;
  status: TenantStatus;
  timeZone: string;
  locale: string;
  currency: string;
  /** ISO 3166-1 alpha-2; absent in host-cache entries written before the column existed. */
  country?: string;
}
