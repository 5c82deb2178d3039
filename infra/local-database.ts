/**
 * The local database for dev, tests, CLI and benchmarks: the Postgres at
 * DATABASE_URL when given, else an embedded PGlite (with btree_gist) served
 * over the Postgres protocol. Either way a WebSocket→TCP proxy sits in front so
 * the Neon driver can reach it exactly as it reaches Neon in production.
 */
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { mkdirSync } from "node:fs";
import { startProxy, type RunningProxy } from "./ws-proxy";

export interface LocalDatabase {
  /** Connection string as the Worker should see it. */
  databaseUrl: string;
  /** `host:port` for the driver's wsProxy. */
  proxyAddress: string;
  proxy: RunningProxy;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface LocalDatabaseOptions {
  databaseUrl?: string;
  /** PGlite data directory; in-memory when omitted. */
  dataDir?: string;
  proxyPort?: number;
  log?: (line: string) => void;
}

function targetOf(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `${url.hostname}:${url.port || "5432"}`;
}

export async function startLocalDatabase(options: LocalDatabaseOptions = {}): Promise<LocalDatabase> {
  if (options.databaseUrl) {
    const proxy = await startProxy({ port: options.proxyPort, allow: [targetOf(options.databaseUrl)], log: options.log });
    return {
      databaseUrl: options.databaseUrl,
      proxyAddress: proxy.address,
      proxy,
      embedded: false,
      stop: () => proxy.close(),
    };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir, extensions: { btree_gist } });
  // Many connections share PGlite's single backend; the socket server keeps
  // each open transaction to its own connection and queues the rest.
  const server = new PGLiteSocketServer({ db, port: 0, host: "127.0.0.1", maxConnections: 256 });
  await server.start();
  const target = server.getServerConn();
  const proxy = await startProxy({ port: options.proxyPort, allow: [target], log: options.log });
  return {
    databaseUrl: `postgres://postgres:postgres@${target}/postgres`,
    proxyAddress: proxy.address,
    proxy,
    embedded: true,
    stop: async () => {
      await proxy.close();
      await server.stop();
      await db.close();
    },
  };
}
