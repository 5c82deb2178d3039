/**
 * Customer pages through `wrangler dev` on real Postgres: server time of the
 * booking start page (catalogue + branding, one query) and of the time step
 * (a 14-day strip: one availability load + the slot engine), sequential
 * requests after a warm-up, plus each page's gzip-compressed weight.
 */
import { gzipSync } from "node:zlib";
import { withClient } from "../src/db/client";
import { seedDemoCatalogue } from "../src/demo/seed";
import { quoteSchema } from "../src/tenancy/naming";
import { provisionTenant } from "../src/tenancy/provision";
import { freshBenchDomain, openBenchDatabase, startBenchWorker } from "./bench-env";
import { request } from "./http";
import { fmt, percentile } from "./stats";

const SLUG = "bench-pages";
const SCHEMA = "tenant_bench_pages";
const DOMAIN = freshBenchDomain("bench-pages");
const ROUNDS = 300;
const WARMUP = 20;

async function measure(base: string, path: string) {
  const headers = { accept: "text/html", "accept-language": "fr" };
  let body = "";
  for (let i = 0; i < WARMUP; i++) {
    const res = await request(base, DOMAIN, path, { headers });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${res.body.slice(0, 300)}`);
    body = res.body;
  }
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    const res = await request(base, DOMAIN, path, { headers });
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  }
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    raw: Buffer.byteLength(body),
    gzip: gzipSync(body, { level: 9 }).length,
  };
}

export async function run(): Promise<string> {
  const bench = await openBenchDatabase();
  const cleanup = (c: Parameters<Parameters<typeof withClient>[1]>[0]) =>
    c.query(`DROP SCHEMA IF EXISTS ${quoteSchema(SCHEMA)} CASCADE`).then(() => c.query(`DELETE FROM tenants WHERE slug = $1`, [SLUG]));
  const serviceId = await withClient(bench.db, async (c) => {
    await cleanup(c);
    const tenant = await provisionTenant(
      c,
      { slug: SLUG, name: "Bench Salon", domain: DOMAIN, contactEmail: "bench@bookme.test", timeZone: "Africa/Casablanca" },
      "bench",
    );
    await seedDemoCatalogue(c, tenant);
    const { rows } = await c.query(`SELECT id FROM ${quoteSchema(tenant.schemaName)}.services WHERE name = 'Coupe femme'`);
    return rows[0].id as string;
  });
  const worker = await startBenchWorker(bench, 1);
  try {
    const start = await measure(worker.url, "/");
    const times = await measure(worker.url, `/?service=${serviceId}&staff=any`);
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    return [
      "## Customer booking pages (wrangler dev, real Postgres)",
      "",
      `Sequential GETs from one client on the same machine, ${ROUNDS} per page after ${WARMUP} warm-up; the page is the whole download (CSS and JS are inline).`,
      "",
      "| page | p50 | p99 | HTML | gzip |",
      "| --- | ---: | ---: | ---: | ---: |",
      `| start page \`/\` (services by category, branding read fresh; one statement) | ${fmt(start.p50)} | ${fmt(start.p99)} | ${kb(start.raw)} | ${kb(start.gzip)} |`,
      `| time step \`/?service=…&staff=any\` (14-day strip, 2 staff; availability and branding in one statement) | ${fmt(times.p50)} | ${fmt(times.p99)} | ${kb(times.raw)} | ${kb(times.gzip)} |`,
      "",
      "Budget: 60 KB compressed per page (HTML + CSS + JS).",
      "",
    ].join("\n");
  } finally {
    await worker.stop();
    await withClient(bench.db, cleanup).catch(() => {});
    await bench.stop();
  }
}
