/**
 * Tenancy path through `wrangler dev` on real Postgres: database round trips of
 * a tenant-resolved request on a KV miss and on a KV hit (counted at the
 * WebSocket proxy and at the HTTP endpoint), and requests/s of that request
 * against /health in the same run.
 */
import { withClient } from "../src/db/client";
import { quoteSchema } from "../src/tenancy/naming";
import { provisionTenant } from "../src/tenancy/provision";
import { freshBenchDomain, openBenchDatabase, startBenchWorker } from "./bench-env";
import { request } from "./http";
import { fmt, load } from "./stats";

const SLUG = "bench-tenancy";
const DOMAIN = freshBenchDomain("bench-tenancy");

export async function run(): Promise<string> {
  const bench = await openBenchDatabase();
  await withClient(bench.db, async (c) => {
    await c.query(`DROP SCHEMA IF EXISTS ${quoteSchema("tenant_bench_tenancy")} CASCADE`);
    await c.query(`DELETE FROM tenants WHERE slug = $1`, [SLUG]);
    await provisionTenant(c, { slug: SLUG, name: "Bench Tenancy", domain: DOMAIN, contactEmail: "bench@bookme.test" }, "bench");
  });
  const worker = await startBenchWorker(bench);
  try {
    const { proxy, http } = bench.local;
    const measure = async () => {
      await new Promise((r) => setTimeout(r, 300)); // let earlier connections close
      proxy.reset();
      http.reset();
      const res = await request(worker.url, DOMAIN, "/api/tenant");
      if (res.status !== 200) throw new Error(`tenant request failed: ${res.status} ${res.body}`);
      await new Promise((r) => setTimeout(r, 300));
      const ws = proxy.stats();
      return { connections: ws.connections, flights: ws.flights, http: http.stats().requests };
    };
    const miss = await measure(); // first sight of the host: KV miss
    const hit = await measure();
    if (miss.connections + miss.flights + miss.http === 0) throw new Error("the first request was served from KV: not a real miss");

    const rounds = 2;
    const results = { health: [] as number[], tenant: [] as number[] };
    const p50 = { health: 0, tenant: 0 };
    for (let i = 0; i < rounds; i++) {
      const h = await load(600, 16, () => request(worker.url, DOMAIN, "/health"));
      const t = await load(600, 16, () => request(worker.url, DOMAIN, "/api/tenant"));
      if (h.errors || t.errors) throw new Error(`errors under load: health ${h.errors}, tenant ${t.errors}`);
      results.health.push(h.rps);
      results.tenant.push(t.rps);
      p50.health = h.p50;
      p50.tenant = t.p50;
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const healthRps = mean(results.health);
    const tenantRps = mean(results.tenant);
    return [
      "## Tenancy path (wrangler dev, real Postgres)",
      "",
      "| request | WebSocket connections | WebSocket flights | HTTP SQL requests |",
      "| --- | ---: | ---: | ---: |",
      `| GET /api/tenant, KV miss | ${miss.connections} | ${miss.flights} | ${miss.http} |`,
      `| GET /api/tenant, KV hit | ${hit.connections} | ${hit.flights} | ${hit.http} |`,
      "",
      "A flight is one client→server burst on a WebSocket: connection startup/auth and each query each count once; each HTTP SQL request is one round trip.",
      "",
      "| request (16 concurrent, 600 × 2 rounds) | requests/s | p50 latency |",
      "| --- | ---: | ---: |",
      `| GET /health (no tenant, no DB) | ${healthRps.toFixed(0)} | ${fmt(p50.health)} |`,
      `| GET /api/tenant (tenant resolved from KV) | ${tenantRps.toFixed(0)} | ${fmt(p50.tenant)} |`,
      "",
      `Tenant-resolved throughput is ${(tenantRps / healthRps).toFixed(2)}× that of /health in the same run.`,
      "",
    ].join("\n");
  } finally {
    await worker.stop();
    await withClient(bench.db, async (c) => {
      await c.query(`DROP SCHEMA IF EXISTS ${quoteSchema("tenant_bench_tenancy")} CASCADE`);
      await c.query(`DELETE FROM tenants WHERE slug = $1`, [SLUG]);
    }).catch(() => {});
    await bench.stop();
  }
}
