/**
 * The benchmarks' environment: a real Postgres database (BENCH_DATABASE_URL,
 * default bookme_bench on the local server, created when missing) behind the
 * proxy, and `wrangler dev` pointed at it.
 */
import "../infra/node-driver";
import { startLocalDatabase, type LocalDatabase } from "../infra/local-database";
import { startWranglerDev, type WranglerDev } from "../infra/wrangler-dev";
import { withClient, type DbConfig } from "../src/db/client";
import { migrateShared } from "../src/db/migrations/migrator";

const ROOT = new URL("..", import.meta.url).pathname;
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/bookme_bench";
export const BENCH_JWT_SECRET = "bench-secret-bench-secret-bench-secret-01234";
/**
 * `wrangler dev` ports, so a bench can run beside `npm run dev` (8787): the
 * HTTP benches use BENCH_PORT and BENCH_PORT + 1 (default 8797/8798); the
 * devtools ports are BENCH_INSPECTOR_PORT (+ 1 for the second worker), else
 * whichever wrangler finds free.
 */
const BENCH_PORT = Number(process.env.BENCH_PORT ?? 8797);
const BENCH_INSPECTOR_PORT = process.env.BENCH_INSPECTOR_PORT ? Number(process.env.BENCH_INSPECTOR_PORT) : undefined;

export interface BenchDatabase {
  local: LocalDatabase;
  db: DbConfig;
  stop(): Promise<void>;
}

export async function openBenchDatabase(): Promise<BenchDatabase> {
  const url = new URL(BENCH_DATABASE_URL);
  const name = url.pathname.slice(1);
  const maintenance = new URL(BENCH_DATABASE_URL);
  maintenance.pathname = "/postgres";
  // As many pooled HTTP backends as the benches' highest concurrency (8), as Neon's pooler would
  // give: the old path opens a backend per request, so a smaller pool would handicap the new one.
  const local = await startLocalDatabase({
    databaseUrl: BENCH_DATABASE_URL,
    httpPoolSize: Number(process.env.DB_HTTP_POOL_SIZE ?? 8),
  });
  await withClient({ databaseUrl: maintenance.toString(), proxy: local.proxyAddress }, async (c) => {
    const exists = await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    if (!exists.rowCount) await c.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`);
  });
  const db = { databaseUrl: local.databaseUrl, proxy: local.proxyAddress, httpEndpoint: local.httpEndpoint };
  await withClient(db, (c) => migrateShared(c));
  return { local, db, stop: () => local.stop() };
}

/**
 * `slot` 0 or 1: benches alternate so one never waits for the previous worker's
 * port to free up (and paths.bench.ts runs two workers at once). `vars` adds or
 * overrides Worker variables (e.g. DB_QUERY_PATH, BENCH_BASELINES).
 */
export function startBenchWorker(bench: BenchDatabase, slot: 0 | 1 = 0, vars: Record<string, string> = {}): Promise<WranglerDev> {
  return startWranglerDev({
    cwd: ROOT,
    port: BENCH_PORT + slot,
    inspectorPort: BENCH_INSPECTOR_PORT === undefined ? undefined : BENCH_INSPECTOR_PORT + slot,
    vars: {
      DATABASE_URL: bench.db.databaseUrl,
      DB_PROXY: bench.db.proxy!,
      DB_HTTP_ENDPOINT: bench.db.httpEndpoint!,
      JWT_SECRET: BENCH_JWT_SECRET,
      APP_ENV: "development",
      PLATFORM_HOSTS: "localhost",
      ...vars,
    },
  });
}

/**
 * A host never seen before: `wrangler dev` keeps its local KV between runs, so
 * a fixed bench domain would still be cached (possibly for a tenant deleted
 * since) and the first request would not be a real KV miss.
 */
export function freshBenchDomain(name: string): string {
  return `${name}-${Date.now().toString(36)}.bookme.test`;
}
