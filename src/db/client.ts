/**
 * The one way to open a database connection, in the Worker and in Node (CLI,
 * benchmarks). A connection lives for one request or one job: Workers cannot
 * reuse sockets across requests. `httpSql` is the other path: one HTTP request
 * per statement or per non-interactive transaction, no connection to open.
 */
import { Client, neon, neonConfig, type NeonQueryFunction } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import { drizzle as drizzleHttp, type NeonHttpDatabase } from "drizzle-orm/neon-http";

export interface DbConfig {
  databaseUrl: string;
  /** `host:port` of the local WebSocket→TCP proxy; unset in production (Neon). */
  proxy?: string;
  /** URL of the local SQL-over-HTTP endpoint (`http://host:port/sql`); unset in production (Neon). */
  httpEndpoint?: string;
}

export type Database = NeonDatabase<Record<string, never>>;

export function newClient(config: DbConfig): Client {
  const client = new Client({ connectionString: config.databaseUrl });
  if (config.proxy) {
    // Only for the local proxy: production keeps Neon's secure defaults.
    const proxy = config.proxy.replace(/^ws:\/\//, "");
    const nc = client.neonConfig;
    nc.wsProxy = (host, port) => `${proxy}/v1?address=${host}:${port}`;
    nc.useSecureWebSocket = false;
    nc.pipelineTLS = false;
    nc.pipelineConnect = false;
  }
  return client;
}

/**
 * The driver's HTTP query function (`sql\`…\``, `sql.query(text, params)`,
 * `sql.transaction([...])`). Locally it is pointed at the endpoint of
 * infra/neon-http-endpoint.ts; in production Neon's own endpoint is used.
 */
export function httpSql(config: DbConfig): NeonQueryFunction<false, false> {
  if (config.httpEndpoint) {
    // A global of the driver (there is no per-call setting); only ever set to the one local endpoint.
    const endpoint = config.httpEndpoint;
    neonConfig.fetchEndpoint = () => endpoint;
  }
  return neon(config.databaseUrl);
}

export type HttpDatabase = NeonHttpDatabase<Record<string, never>>;

/** drizzle over `httpSql`: `db.select()…` and `db.batch([...])` (one transaction, one request). */
export function httpDrizzle(config: DbConfig): HttpDatabase {
  return drizzleHttp({ client: httpSql(config) });
}

export async function connect(config: DbConfig): Promise<Client> {
  const client = newClient(config);
  await client.connect();
  return client;
}

export function toDrizzle(client: Client): Database {
  return drizzle({ client });
}

/** BEGIN, run `fn`, COMMIT; ROLLBACK (and rethrow) on any error, so nothing is half-written. */
export async function inTransaction<T>(client: Pick<Client, "query">, fn: () => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    const result = await fn();
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

/** Opens a connection, runs `fn`, and always closes it. */
export async function withClient<T>(config: DbConfig, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = await connect(config);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * A connection opened on first use and closed after the response (via
 * `waitUntil`), so requests answered from KV and the token alone never pay
 * for a database connect.
 */
export class LazyDatabase {
  private opening?: Promise<Client>;

  constructor(private readonly config: DbConfig) {}

  get opened(): boolean {
    return this.opening !== undefined;
  }

  client(): Promise<Client> {
    this.opening ??= connect(this.config);
    return this.opening;
  }

  async db(): Promise<Database> {
    return toDrizzle(await this.client());
  }

  async close(): Promise<void> {
    if (!this.opening) return;
    const opening = this.opening;
    this.opening = undefined;
    try {
      await (await opening).end();
    } catch {
      // A failed connect has nothing to close.
    }
  }
}
