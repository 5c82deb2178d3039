/**
 * The browser tests' world, started once in Node: the database (Postgres at
 * DATABASE_URL, else embedded PGlite) behind the local proxy, the shared
 * migrations, a few fresh tenants with the demo catalogue, and `wrangler dev`
 * on a free port with its own KV state. Chromium reaches `<tenant>.localhost`
 * on 127.0.0.1 by itself, so each tenant is served by its own Host.
 */
import "../../infra/node-driver";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalDatabase, type LocalDatabase } from "../../infra/local-database";
import { startWranglerDev, type WranglerDev } from "../../infra/wrangler-dev";
import { withClient, type DbConfig } from "../../src/db/client";
import { migrateShared } from "../../src/db/migrations/migrator";
import { seedDemoCatalogue } from "../../src/demo/seed";
import { quoteSchema } from "../../src/tenancy/naming";
import { provisionTenant } from "../../src/tenancy/provision";

const ROOT = new URL("../..", import.meta.url).pathname;
export const E2E_JWT_SECRET = "e2e-secret-e2e-secret-e2e-secret-0123456789";

export interface E2eTenant {
  slug: string;
  schemaName: string;
  domain: string;
  name: string;
}

export interface E2eInfo {
  port: number;
  embedded: boolean;
  db: DbConfig;
  tenants: { main: E2eTenant; late: E2eTenant; suspended: E2eTenant };
}

export interface E2eEnvironment {
  info: E2eInfo;
  stop(): Promise<void>;
}

export const BRANDING = { logoUrl: null as string | null, accentColor: "#9d174d", contactPhone: "05 22 00 00 00" };

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function freePort(preferred: number): Promise<number> {
  for (let p = preferred; p < preferred + 50; p++) if (await portFree(p)) return p;
  throw new Error("no free port for wrangler dev");
}

export async function startE2eEnvironment(): Promise<E2eEnvironment> {
  const local: LocalDatabase = await startLocalDatabase({ databaseUrl: process.env.DATABASE_URL || undefined });
  const db: DbConfig = { databaseUrl: local.databaseUrl, proxy: local.proxyAddress, httpEndpoint: local.httpEndpoint };
  const run = Math.random().toString(36).slice(2, 8);
  const make = (kind: string, name: string): E2eTenant => {
    const slug = `e2e${kind}-${run}`;
    return { slug, schemaName: `tenant_${slug.replace(/-/g, "_")}`, domain: `${slug}.localhost`, name };
  };
  const tenants = {
    main: make("main", "Salon Yasmine"),
    late: make("late", "Barbier Anfa"),
    suspended: make("susp", "Spa Fermé"),
  };
  await withClient(db, async (c) => {
    await migrateShared(c);
    for (const t of Object.values(tenants)) {
      const created = await provisionTenant(
        c,
        { slug: t.slug, name: t.name, domain: t.domain, contactEmail: `owner@${t.domain}`, timeZone: "Africa/Casablanca" },
        "e2e",
      );
      t.schemaName = created.schemaName;
      await seedDemoCatalogue(c, created);
    }
    await c.query(
      `UPDATE "public"."tenant_config" SET settings = $2::jsonb WHERE tenant_id = (SELECT id FROM "public"."tenants" WHERE slug = $1)`,
      [tenants.main.slug, JSON.stringify(BRANDING)],
    );
    // Cut-offs longer than the booking window: every booking there is "too late" to change online.
    await c.query(
      `UPDATE ${quoteSchema(tenants.late.schemaName)}.settings SET cancellation_cutoff_min = 200000, reschedule_cutoff_min = 200000`,
    );
    await c.query(`UPDATE "public"."tenants" SET status = 'suspended' WHERE slug = $1`, [tenants.suspended.slug]);
  });

  const port = await freePort(Number(process.env.E2E_PORT ?? 8799));
  const state = mkdtempSync(join(tmpdir(), "bookme-e2e-"));
  let worker: WranglerDev;
  try {
    worker = await startWranglerDev({
      cwd: ROOT,
      port,
      // Explicit, beside the port: two runs in parallel (CI) must not race for wrangler's default 9229.
      inspectorPort: port + 1000,
      extraArgs: ["--persist-to", state],
      readyTimeoutMs: 120_000,
      vars: {
        DATABASE_URL: local.databaseUrl,
        DB_PROXY: local.proxyAddress,
        DB_HTTP_ENDPOINT: local.httpEndpoint,
        JWT_SECRET: E2E_JWT_SECRET,
        APP_ENV: "development",
        PLATFORM_HOSTS: "localhost,127.0.0.1",
      },
    });
  } catch (error) {
    await local.stop();
    throw error;
  }
  return {
    info: { port, embedded: local.embedded, db, tenants },
    async stop() {
      await worker.stop();
      await withClient(db, async (c) => {
        for (const t of Object.values(tenants)) {
          await c.query(`DROP SCHEMA IF EXISTS ${quoteSchema(t.schemaName)} CASCADE`);
          await c.query(`DELETE FROM "public"."tenants" WHERE slug = $1`, [t.slug]);
        }
      }).catch(() => {});
      await local.stop();
      rmSync(state, { recursive: true, force: true });
    },
  };
}
