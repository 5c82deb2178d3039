/**
 * How Node tools (CLI, benchmarks) reach the database named by DATABASE_URL:
 * Neon directly over its secure WebSocket endpoint; any other Postgres through
 * an in-process WebSocket→TCP proxy and SQL-over-HTTP endpoint; with no
 * DATABASE_URL, the database of a running `npm run dev` (recorded in .data/dev.json).
 */
import "./node-driver";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DbConfig } from "../src/db/client";
import { startHttpEndpoint } from "./neon-http-endpoint";
import { startProxy } from "./ws-proxy";

export const DEV_STATE_FILE = join(new URL("..", import.meta.url).pathname, ".data/dev.json");

export interface DatabaseTarget {
  config: DbConfig;
  describe: string;
  close(): Promise<void>;
}

export function isNeonHost(hostname: string): boolean {
  return hostname.endsWith(".neon.tech") || hostname.endsWith(".neon.build");
}

export async function openDatabaseTarget(databaseUrl = process.env.DATABASE_URL): Promise<DatabaseTarget> {
  if (!databaseUrl) {
    if (existsSync(DEV_STATE_FILE)) {
      const dev = JSON.parse(readFileSync(DEV_STATE_FILE, "utf8")) as {
        databaseUrl: string;
        proxy: string;
        httpEndpoint?: string;
        pid: number;
      };
      let alive = true;
      try {
        process.kill(dev.pid, 0);
      } catch {
        alive = false;
      }
      if (alive) {
        return {
          config: { databaseUrl: dev.databaseUrl, proxy: dev.proxy, httpEndpoint: dev.httpEndpoint },
          describe: "the database of the running `npm run dev`",
          close: async () => {},
        };
      }
    }
    throw new Error("DATABASE_URL is not set (and no `npm run dev` is running to borrow its database).");
  }
  const url = new URL(databaseUrl);
  if (isNeonHost(url.hostname)) {
    return { config: { databaseUrl }, describe: `Neon (${url.hostname})`, close: async () => {} };
  }
  const target = `${url.hostname}:${url.port || "5432"}`;
  const proxy = await startProxy({ allow: [target] });
  const http = await startHttpEndpoint({ allow: [target], poolSize: 2 });
  return {
    config: { databaseUrl, proxy: proxy.address, httpEndpoint: http.url },
    describe: `Postgres at ${target}`,
    close: async () => {
      await http.close();
      await proxy.close();
    },
  };
}
