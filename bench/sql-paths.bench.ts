/**
 * The two ways the driver reaches the database, measured from Node against the
 * local Postgres: one `SELECT 1` over the SQL-over-HTTP endpoint (`httpSql`,
 * pooled warm backends) against a WebSocket connection opened, queried and
 * closed per query (today's per-request path), at 0 ms and DB_RTT_MS-style
 * 35 ms simulated round-trip time, concurrency 1 and 8. Round trips are counted
 * at the proxy (flights) and at the endpoint (requests).
 */
import { httpSql, withClient } from "../src/db/client";
import { openBenchDatabase } from "./bench-env";
import { fmt, load } from "./stats";

const RTTS = [0, 35];

export async function run(): Promise<string> {
  const bench = await openBenchDatabase();
  const { local, db } = bench;
  const sql = httpSql(db);
  const paths = {
    "HTTP `select 1`": async () => {
      await sql`SELECT 1`;
      return { status: 200 };
    },
    "HTTP transaction of 2 statements": async () => {
      await sql.transaction([sql`SELECT 1`, sql`SELECT 2`]);
      return { status: 200 };
    },
    "WebSocket connect + `select 1` + close": async () => {
      await withClient(db, (c) => c.query("SELECT 1"));
      return { status: 200 };
    },
  };
  const rows: string[] = [];
  try {
    // Round trips per call, counted, at 0 ms.
    await paths["HTTP `select 1`"]();
    local.proxy.reset();
    local.http.reset();
    await paths["HTTP `select 1`"]();
    const httpTrips = local.http.stats().requests;
    await paths["WebSocket connect + `select 1` + close"]();
    await new Promise((r) => setTimeout(r, 400));
    const wsTrips = local.proxy.stats().flights;

    for (const rtt of RTTS) {
      local.setRttMs(rtt);
      for (const concurrency of [1, 8]) {
        for (const [name, send] of Object.entries(paths)) {
          const total = rtt ? 20 * concurrency : 100 * concurrency;
          await load(Math.min(20, total), concurrency, send); // warm-up
          const r = await load(total, concurrency, send);
          if (r.errors) throw new Error(`${name}: ${r.errors} errors`);
          rows.push(`| ${name} | ${rtt} ms | ${concurrency} | ${r.rps.toFixed(0)} | ${fmt(r.p50)} | ${fmt(r.p99)} |`);
        }
      }
    }
    return [
      "## SQL paths (Node → local Postgres, driver-level)",
      "",
      `Round trips per call, counted: HTTP \`select 1\` ${httpTrips} request; WebSocket connect + query ${wsTrips} flights (plus the upgrade, also delayed by the simulated RTT).`,
      "",
      "| path | simulated RTT | concurrency | calls/s | p50 | p99 |",
      "|---|---|---|---|---|---|",
      ...rows,
      "",
    ].join("\n");
  } finally {
    local.setRttMs(0);
    await bench.stop();
  }
}
