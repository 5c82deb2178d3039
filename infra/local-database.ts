/**
 * The local database for dev, tests, CLI and benchmarks: the Postgres at
 * DATABASE_URL when given, else an embedded PGlite (with btree_gist) served
 * over the Postgres protocol. Either way a WebSocket→TCP proxy and a Neon-style
 * SQL-over-HTTP endpoint sit in front, so the Neon driver reaches it by both of
 * its paths exactly as it reaches Neon in production. DB_RTT_MS (or `rttMs`)
 * adds a simulated round-trip time to both.
 */
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { mkdirSync } from "node:fs";
import { startHttpEndpoint, type RunningHttpEndpoint } from "./neon-http-endpoint";
import { startProxy, type RunningProxy } from "./ws-proxy";

export interface LocalDatabase {
  /** Connection string as the Worker should see it. */
  databaseUrl: string;
  /** `host:port` for the driver's wsProxy. */
  proxyAddress: string;
  proxy: RunningProxy;
  /** What `neonConfig.fetchEndpoint` should return (`http://127.0.0.1:<port>/sql`). */
  httpEndpoint: string;
  http: RunningHttpEndpoint;
  embedded: boolean;
  /** Changes the simulated round-trip time of the proxy and the endpoint together. */
  setRttMs(ms: number): void;
  stop(): Promise<void>;
}

export interface LocalDatabaseOptions {
  databaseUrl?: string;
  /** PGlite data directory; in-memory when omitted. */
  dataDir?: string;
  proxyPort?: number;
  httpPort?: number;
  /** Simulated round-trip time per database round trip; default DB_RTT_MS, else 0. */
  rttMs?: number;
  /** Pooled backends behind the HTTP endpoint (real Postgres only; PGlite gets 1). Default DB_HTTP_POOL_SIZE, else 4. */
  httpPoolSize?: number;
  log?: (line: string) => void;
}

function targetOf(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `${url.hostname}:${url.port || "5432"}`;
}

function envNumber(name: string): number | undefined {
  const value = Number(process.env[name]);
  return process.env[name] && Number.isFinite(value) ? value : undefined;
}

async function frontDoors(target: string, embedded: boolean, options: LocalDatabaseOptions) {
  const rttMs = options.rttMs ?? envNumber("DB_RTT_MS") ?? 0;
  // PGlite has one backend: one pooled connection, and HTTP requests queue for it.
  const poolSize = embedded ? 1 : (options.httpPoolSize ?? envNumber("DB_HTTP_POOL_SIZE") ?? 4);
  const proxy = await startProxy({ port: options.proxyPort, allow: [target], rttMs, log: options.log });
  const http = await startHttpEndpoint({ port: options.httpPort, allow: [target], poolSize, rttMs, log: options.log });
  return {
    proxy,
    proxyAddress: proxy.address,
    http,
    httpEndpoint: http.url,
    setRttMs: (ms: number) => {
      proxy.setRttMs(ms);
      http.setRttMs(ms);
    },
    close: async () => {
      await http.close();
      await proxy.close();
    },
  };
}

export async function startLocalDatabase(options: LocalDatabaseOptions = {}): Promise<LocalDatabase> {
  if (options.databaseUrl) {
    const { close, ...doors } = await frontDoors(targetOf(options.databaseUrl), false, options);
    return { databaseUrl: options.databaseUrl, ...doors, embedded: false, stop: close };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir, extensions: { btree_gist } });
  // Many connections share PGlite's single backend; the socket server keeps
  // each open transaction to its own connection and queues the rest.
  const server = new PGLiteSocketServer({ db, port: 0, host: "127.0.0.1", maxConnections: 256 });
  await server.start();
  const target = server.getServerConn();
  const { close, ...doors } = await frontDoors(target, true, options);
  return {
    databaseUrl: `postgres://postgres:postgres@${target}/postgres`,
    ...doors,
    embedded: true,
    stop: async () => {
      await close();
      await server.stop();
      await db.close();
    },
  };
}
