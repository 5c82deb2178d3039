/**
 * `npm run dev`: one command for local development.
 *  1. the database: DATABASE_URL if set, else an embedded PGlite kept in .data/pglite
 *  2. the WebSocket→TCP proxy the Neon driver needs locally
 *  3. shared + tenant migrations, and the demo tenant at demo.localhost
 *  4. `wrangler dev` on :8787 (cron testable at /__scheduled?cron=…)
 * Ctrl-C stops every child.
 */
import "../infra/node-driver";
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEV_STATE_FILE } from "../infra/database-target";
import { startLocalDatabase } from "../infra/local-database";
import { connect, withClient } from "../src/db/client";
import { migrateAllTenants, migrateShared } from "../src/db/migrations/migrator";
import { ensureDemoTenant } from "../src/demo/seed";

const ROOT = new URL("..", import.meta.url).pathname;
const PORT = Number(process.env.PORT ?? 8787);
const PROXY_PORT = Number(process.env.DEV_PROXY_PORT ?? 8790);
// Development-only signing secret; production uses `wrangler secret put JWT_SECRET`.
const DEV_JWT_SECRET = process.env.JWT_SECRET ?? "dev-only-secret-change-me-0123456789abcdef";

async function main() {
  mkdirSync(join(ROOT, ".data"), { recursive: true });
  const local = await startLocalDatabase({
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: process.env.DATABASE_URL ? undefined : join(ROOT, ".data/pglite"),
    proxyPort: PROXY_PORT,
  });
  const db = { databaseUrl: local.databaseUrl, proxy: local.proxyAddress };
  console.log(`[dev] database: ${local.embedded ? "embedded PGlite (.data/pglite)" : "DATABASE_URL"}; proxy ${local.proxyAddress}`);

  const shared = await withClient(db, (c) => migrateShared(c));
  if (shared.length) console.log(`[dev] shared migrations applied: ${shared.join(", ")}`);
  const demo = await withClient(db, (c) => ensureDemoTenant(c));
  const tenants = await migrateAllTenants(() => connect(db));
  for (const r of tenants.filter((r) => r.error)) console.error(`[dev] tenant ${r.tenant.slug} failed to migrate: ${r.error}`);
  console.log(`[dev] demo tenant ${demo.created ? "created" : "ready"} at http://${demo.domain}:${PORT}/`);
  writeFileSync(DEV_STATE_FILE, JSON.stringify({ databaseUrl: local.databaseUrl, proxy: local.proxyAddress, pid: process.pid }));

  const args = [
    "wrangler", "dev", "--port", String(PORT), "--ip", "127.0.0.1", "--test-scheduled",
    "--show-interactive-dev-session=false",
    "--var", `DATABASE_URL:${local.databaseUrl}`,
    "--var", `DB_PROXY:${local.proxyAddress}`,
    "--var", `JWT_SECRET:${DEV_JWT_SECRET}`,
    "--var", "APP_ENV:development",
    "--var", "PLATFORM_HOSTS:localhost,127.0.0.1",
  ];
  // Own process group so Ctrl-C reaches workerd too (SIGTERM to npx alone leaves it on :8787).
  const wrangler = spawn("npx", args, { cwd: ROOT, stdio: "inherit", detached: true });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    try {
      process.kill(-wrangler.pid!, "SIGINT");
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 500));
    try {
      process.kill(-wrangler.pid!, "SIGKILL");
    } catch {
      // already gone
    }
    rmSync(DEV_STATE_FILE, { force: true });
    await local.stop().catch(() => {});
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  wrangler.on("exit", (code) => void stop(code ?? 0));
}

main().catch((error) => {
  console.error(`[dev] ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});
