/** Host header → tenant, through the KV cache, falling back to one query. */
import type { Queryable } from "../db/client";
import { readHost, writeHost } from "./host-cache";
import { findTenantByHost } from "./queries";
import type { TenantContext } from "../domain/tenant";

export type HostResolution =
  | { kind: "platform" }
  | { kind: "tenant"; tenant: TenantContext; cached: boolean }
  | { kind: "unknown"; cached: boolean };

export async function resolveHost(
  host: string,
  deps: { kv: KVNamespace; platformHosts: ReadonlySet<string>; db: () => Queryable },
): Promise<HostResolution> {
  if (deps.platformHosts.has(host)) return { kind: "platform" };
  if (!host) return { kind: "unknown", cached: false };
  const cached = await readHost(deps.kv, host);
  if (cached) {
    return "tenant" in cached ? { kind: "tenant", tenant: cached.tenant, cached: true } : { kind: "unknown", cached: true };
  }
  const tenant = await findTenantByHost(deps.db(), host);
  await writeHost(deps.kv, host, tenant);
  return tenant ? { kind: "tenant", tenant, cached: false } : { kind: "unknown", cached: false };
}
