/**
 * Shared test harness (runs inside workerd): real database through the proxy,
 * real KV and Queues from miniflare. Each test file provisions its own tenants
 * with unique slugs and domains and drops them afterwards.
 */
import { SELF, env } from "cloudflare:test";
import { afterAll, beforeAll } from "vitest";
import { withClient, type DbConfig } from "../src/db/client";
import { invalidateHosts } from "../src/tenancy/host-cache";
import { quoteSchema } from "../src/tenancy/naming";
import { provisionTenant } from "../src/tenancy/provision";
import type { TenantContext } from "../src/domain/tenant";
import type { Client } from "@neondatabase/serverless";

export const PLATFORM_HOST = "localhost";

export function dbConfig(): DbConfig {
  return { databaseUrl: env.DATABASE_URL!, proxy: env.DB_PROXY, httpEndpoint: env.DB_HTTP_ENDPOINT };
}

export function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  return withClient(dbConfig(), async (c) => (await c.query(text, params)).rows as T[]);
}

export function withDb<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  return withClient(dbConfig(), fn);
}

export const isEmbedded = () => env.EMBEDDED_DB === "1";

let counter = 0;
export function uniqueSlug(prefix = "t"): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}${counter}`;
}

export interface TestTenant extends TenantContext {
  domain: string;
}

export async function createTenant(
  overrides: Partial<{ slug: string; name: string; timeZone: string; locale: "fr" | "ar" | "en"; country: string }> = {},
): Promise<TestTenant> {
  const slug = overrides.slug ?? uniqueSlug();
  const domain = `${slug}.bookme.test`;
  const tenant = await withDb((c) =>
    provisionTenant(
      c,
      {
        slug,
        name: overrides.name ?? `Salon ${slug}`,
        domain,
        contactEmail: `owner@${domain}`,
        timeZone: overrides.timeZone,
        locale: overrides.locale,
        country: overrides.country,
      },
      "test",
    ),
  );
  return { ...tenant, domain };
}

export async function dropTenant(tenant: TenantContext): Promise<void> {
  const domains = await sql<{ domain: string }>(`SELECT domain FROM tenant_domains WHERE tenant_id = $1`, [tenant.id]);
  await withDb(async (c) => {
    await c.query(`DROP SCHEMA IF EXISTS ${quoteSchema(tenant.schemaName)} CASCADE`);
    await c.query(`DELETE FROM tenants WHERE id = $1`, [tenant.id]);
  });
  await invalidateHosts(
    env.TENANT_CACHE,
    domains.map((d) => d.domain),
  );
}

export interface TenantPair {
  a: TestTenant;
  b: TestTenant;
}

/** Two fresh tenants for the file (filled in before the first test), dropped after it. */
export function useTenants(): TenantPair {
  const pair = {} as TenantPair;
  beforeAll(async () => {
    pair.a = await createTenant();
    pair.b = await createTenant();
  });
  afterAll(async () => {
    for (const t of [pair.a, pair.b]) if (t) await dropTenant(t);
  });
  return pair;
}

export function call(host: string, path: string, init: RequestInit = {}): Promise<Response> {
  return SELF.fetch(`http://${host}${path}`, init);
}

export async function json<T = any>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

export interface ProxyCounts {
  /** WebSocket connections opened (proxy). */
  connections: number;
  /** Database round trips: WebSocket flights at the proxy plus HTTP requests at the SQL endpoint. */
  flights: number;
  /** Of `flights`, the HTTP requests. */
  httpRequests: number;
}

function httpStatsUrl(path: string): string {
  return new URL(path, env.DB_HTTP_ENDPOINT!).toString();
}

/** Database connections and round trips seen by the proxy and the HTTP endpoint since the last reset. */
export async function proxyStats(): Promise<ProxyCounts> {
  const ws = (await (await fetch(`http://${env.DB_PROXY}/stats`)).json()) as { connections: number; flights: number };
  const http = (await (await fetch(httpStatsUrl("/stats"))).json()) as { requests: number };
  return { connections: ws.connections, flights: ws.flights + http.requests, httpRequests: http.requests };
}

export async function resetProxyStats(): Promise<void> {
  await fetch(`http://${env.DB_PROXY}/stats/reset`, { method: "POST" });
  await fetch(httpStatsUrl("/stats/reset"), { method: "POST" });
}

/** Counts what `fn` costs in database round trips, after letting earlier connections close. */
export async function countRoundTrips(fn: () => Promise<unknown>): Promise<ProxyCounts> {
  await resetProxyStats();
  await fn();
  await new Promise((r) => setTimeout(r, 50));
  return proxyStats();
}
