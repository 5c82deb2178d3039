/**
 * `npm run dev`: one command for local development.
 *  1. the database: DATABASE_URL if set, else an embedded PGlite kept in .data/pglite
 *  2. the WebSocket→TCP proxy and the SQL-over-HTTP endpoint the Neon driver needs
 *     locally (DEV_HTTP_PORT, default 8792; DB_RTT_MS simulates distance)
 *  3. shared + tenant migrations, and the demo tenant at demo.localhost with an
 *     owner and a staff login for its back office (/admin; printed below)
 *  4. the capture sink for outgoing email and webhooks
 *  5. `wrangler dev` on :8787, its crons fired every minute as in production
 *     (infra/dev-cron.ts → /__scheduled?cron=…), links built for this port
 * Ports: PORT (8787), DEV_PROXY_PORT (8790), MAIL_CAPTURE_PORT (8791),
 * DEV_INSPECTOR_PORT (wrangler's devtools; default 9229 or the next free one).
 * Ctrl-C stops every child.
 */
import "../infra/node-driver";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEV_STATE_FILE } from "../infra/database-target";
import { startLocalDatabase } from "../infra/local-database";
import { startMailCapture } from "../infra/mail-capture";
import { startCronTicker } from "../infra/dev-cron";
import { startWranglerDev } from "../infra/wrangler-dev";
import { connect, withClient } from "../src/db/client";
import { migrateAllTenants, migrateShared } from "../src/db/migrations/migrator";
import { ensureDemoTenant } from "../src/demo/seed";
import { ensureDevLogins } from "./dev-logins";

const ROOT = new URL("..", import.meta.url).pathname;
const PORT = Number(process.env.PORT ?? 8787);
const PROXY_PORT = Number(process.env.DEV_PROXY_PORT ?? 8790);
// Unset: wrangler takes 9229, or the next free port when another wrangler holds it.
const INSPECTOR_PORT = process.env.DEV_INSPECTOR_PORT ? Number(process.env.DEV_INSPECTOR_PORT) : undefined;
const HTTP_PORT = Number(process.env.DEV_HTTP_PORT ?? 8792);
// Development-only signing secret; production uses `wrangler secret put JWT_SECRET`.
const DEV_JWT_SECRET = process.env.JWT_SECRET ?? "dev-only-secret-change-me-0123456789abcdef";

async function main() {
  mkdirSync(join(ROOT, ".data"), { recursive: true });
  const local = await startLocalDatabase({
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: process.env.DATABASE_URL ? undefined : join(ROOT, ".data/pglite"),
    proxyPort: PROXY_PORT,
    httpPort: HTTP_PORT,
  });
  const db = { databaseUrl: local.databaseUrl, proxy: local.proxyAddress };
  console.log(
    `[dev] database: ${local.embedded ? "embedded PGlite (.data/pglite)" : "DATABASE_URL"}; proxy ${local.proxyAddress}; SQL over HTTP ${local.httpEndpoint}`,
  );

  const shared = await withClient(db, (c) => migrateShared(c));
  if (shared.length) console.log(`[dev] shared migrations applied: ${shared.join(", ")}`);
  const demo = await withClient(db, (c) => ensureDemoTenant(c));
  const tenants = await migrateAllTenants(() => connect(db));
  for (const r of tenants.filter((r) => r.error)) console.error(`[dev] tenant ${r.tenant.slug} failed to migrate: ${r.error}`);
  console.log(`[dev] demo tenant ${demo.created ? "created" : "ready"} at http://${demo.domain}:${PORT}/`);
  try {
    const logins = await withClient(db, (c) => ensureDevLogins(c, process.env.APP_ENV ?? "development"));
    console.log(`[dev] back office: http://${demo.domain}:${PORT}/admin — development logins:`);
    for (const l of logins) console.log(`[dev]   ${l.role.padEnd(5)} ${l.email} / ${l.password}`);
  } catch (error) {
    console.error(`[dev] no development logins: ${(error as Error).message}`);
  }
  const mail = await startMailCapture({ port: Number(process.env.MAIL_CAPTURE_PORT ?? 8791) });
  console.log(`[dev] outgoing email and webhooks captured at ${mail.url}/ (nothing leaves this machine)`);
  writeFileSync(
    DEV_STATE_FILE,
    JSON.stringify({ databaseUrl: local.databaseUrl, proxy: local.proxyAddress, httpEndpoint: local.httpEndpoint, pid: process.pid }),
  );

  const wrangler = await startWranglerDev({
    cwd: ROOT,
    port: PORT,
    inherit: true,
    inspectorPort: INSPECTOR_PORT,
    extraArgs: ["--test-scheduled"],
    vars: {
      DATABASE_URL: local.databaseUrl,
      DB_PROXY: local.proxyAddress,
      DB_HTTP_ENDPOINT: local.httpEndpoint,
      JWT_SECRET: DEV_JWT_SECRET,
      APP_ENV: "development",
      PLATFORM_HOSTS: "localhost,127.0.0.1",
      // Manage links in emails and API answers point at this dev server, not https://<host>.
      PUBLIC_URL_TEMPLATE: `http://{host}:${PORT}`,
      EMAIL_API_URL: `${mail.url}/emails`,
      EMAIL_API_KEY: "dev",
      EMAIL_FROM: "BookMe Dev <no-reply@bookme.localhost>",
    },
  });
  const cron = startCronTicker({ workerUrl: wrangler.url, wranglerTomlPath: join(ROOT, "wrangler.toml") });
  console.log(`[dev] ready: http://${demo.domain}:${PORT}/api/schema/swagger (platform host: http://localhost:${PORT})`);
  console.log(`[dev] emails and webhooks sent by the crons: ${mail.url}/ (JSON at ${mail.url}/messages)`);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    cron.stop();
    await wrangler.stop();
    rmSync(DEV_STATE_FILE, { force: true });
    await mail.close().catch(() => {});
    await local.stop().catch(() => {});
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  wrangler.process.on("exit", (code) => void stop(code ?? 0));
}

main().catch((error) => {
  console.error(`[dev] ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});
