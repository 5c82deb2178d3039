/**
 * Host → tenant lookups cached in Workers KV. A hit costs no database round
 * trip; unknown hosts are cached negatively for a short time so a scan of
 * random hosts cannot hammer Postgres. Anything that changes a domain or a
 * tenant's status calls `invalidateHosts`.
 */
import type { TenantContext } from "../domain/tenant";

const PREFIX = "host:v1:";
export const POSITIVE_TTL_SECONDS = 24 * 60 * 60;
/** KV's minimum expiration. */
export const NEGATIVE_TTL_SECONDS = 60;
/** How long an edge location may serve a KV value from its own cache. */
export const EDGE_CACHE_TTL_SECONDS = 60;

export type CachedHost = { tenant: TenantContext } | { missing: true };

export function hostKey(host: string): string {
  return PREFIX + host;
}

export async function readHost(kv: KVNamespace, host: string): Promise<CachedHost | null> {
  return kv.get<CachedHost>(hostKey(host), { type: "json", cacheTtl: EDGE_CACHE_TTL_SECONDS });
}

export async function writeHost(kv: KVNamespace, host: string, tenant: TenantContext | null): Promise<void> {
  const value: CachedHost = tenant ? { tenant } : { missing: true };
  await kv.put(hostKey(host), JSON.stringify(value), {
    expirationTtl: tenant ? POSITIVE_TTL_SECONDS : NEGATIVE_TTL_SECONDS,
  });
}

export async function invalidateHosts(kv: KVNamespace, hosts: readonly string[]): Promise<void> {
  await Promise.all(hosts.map((h) => kv.delete(hostKey(h))));
}
