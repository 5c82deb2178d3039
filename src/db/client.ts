/**
 * The one way to open a database connection, in the Worker and in Node (CLI,
 * benchmarks). A connection lives for one request or one job: Workers cannot
 * reuse sockets across requests. `httpSql` is the other path: one HTTP request
 * per statement or per non-interactive transaction, no connection to open.
 */
import { Client, neon, neonConfig, types, type NeonQueryFunction } from "@neondatabase/serverless";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import { DatabaseUnavailableError, pgErrorCode } from "./errors";
import { drizzle as drizzleHttp, type NeonHttpDatabase } from "drizzle-orm/neon-http";

export interface DbConfig {
  databaseUrl: string;
  /** `host:port` of the local WebSocket→TCP proxy; unset in production (Neon). */
  proxy?: string;
  /** Give up connecting after this long (default 10 s): an unreachable host must not hang a request. */
  connectTimeoutMs?: number;
  /** Client-side limit per query; unset = none (migrations may run long). */
  queryTimeoutMs?: number;
  /** URL of the local SQL-over-HTTP endpoint (`http://host:port/sql`); unset in production (Neon). */
  httpEndpoint?: string;
  /** `websocket` sends a request's one-shot statements over a per-request WebSocket connection (benchmark baseline only). */
  queryPath?: "http" | "websocket";
}

const CONNECT_TIMEOUT_MS = 10_000;
/** A request waits at most this long for one query (a held lock, an overloaded server) before answering 503. */
export const REQUEST_QUERY_TIMEOUT_MS = 15_000;
const CLOSE_WAIT_MS = 2_000;

export type Database = NeonDatabase<Record<string, never>>;

/** Any database handle or open transaction: the same as `Queryable` (kept as the name services use). */
export type Executor = Queryable;

export function newClient(config: DbConfig): Client {
  const client = new Client({
    connectionString: config.databaseUrl,
    connectionTimeoutMillis: config.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    ...(config.queryTimeoutMs ? { query_timeout: config.queryTimeoutMs } : {}),
  });
  if (config.proxy) {
    // Only for the local proxy: production keeps Neon's secure defaults.
    const proxy = config.proxy.replace(/^ws:\/\//, "");
    const nc = client.neonConfig;
    nc.wsProxy = (host, port) => `${proxy}/v1?address=${host}:${port}`;
    nc.useSecureWebSocket = false;
    nc.pipelineTLS = false;
    nc.pipelineConnect = false;
  }
  // A backend that hangs up while the client is idle (restart, pg_terminate_backend) must not
  // become an uncaught 'error' event that kills the isolate: the next query reports it instead.
  client.on("error", () => {});
  return client;
}

/**
 * Timestamps, dates and intervals come back as the text Postgres sent, on the
 * HTTP path exactly as drizzle's WebSocket session does: drizzle's column
 * mappers expect that text (a `date` column would otherwise arrive as a JS Date
 * at UTC midnight), and raw `sql` results read the same on both paths.
 */
const RAW_TEXT_TYPES = new Set([1184 /* timestamptz */, 1114 /* timestamp */, 1082 /* date */, 1186 /* interval */]);
const httpTypes = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    RAW_TEXT_TYPES.has(oid) ? (value: string) => value : types.getTypeParser(oid, format as "text"),
};

/** An HTTP failure without SQLSTATE (endpoint unreachable, timed out, 5xx) is an outage: 503, not 500. */
function asOutage(error: unknown): unknown {
  if (pgErrorCode(error) !== undefined || error instanceof DatabaseUnavailableError) return error;
  const aborted = (error as { name?: string; sourceError?: { name?: string } })?.sourceError?.name;
  const timedOut = aborted === "TimeoutError" || aborted === "AbortError";
  return new DatabaseUnavailableError(timedOut ? "The database did not answer in time." : "Could not reach the database.", {
    cause: error,
  });
}

/**
 * The query's promise, but a failure that carries no SQLSTATE becomes a
 * `DatabaseUnavailableError`. The query object itself is returned (patched),
 * not a new promise: `transaction([...])` reads the queries' parameters from it.
 */
function guardOutage<Q extends PromiseLike<unknown>>(query: Q): Q {
  const then = query.then.bind(query);
  // biome-ignore lint/suspicious/noThenProperty: the driver's queries are lazy thenables; the patched one must stay one.
  (query as { then: unknown }).then = (onfulfilled?: (v: unknown) => unknown, onrejected?: (e: unknown) => unknown) =>
    then(undefined, (error: unknown) => {
      throw asOutage(error);
    }).then(onfulfilled, onrejected);
  return query;
}

/**
 * The driver's HTTP query function (`sql\`…\``, `sql.query(text, params)`,
 * `sql.transaction([...])`). Locally it is pointed at the endpoint of
 * infra/neon-http-endpoint.ts; in production Neon's own endpoint is used.
 * `timeoutMs` bounds every query of this instance (one per request).
 */
export function httpSql(config: DbConfig, timeoutMs?: number): NeonQueryFunction<false, false> {
  if (config.httpEndpoint) {
    // A global of the driver (there is no per-call setting); only ever set to the one local endpoint.
    const endpoint = config.httpEndpoint;
    neonConfig.fetchEndpoint = () => endpoint;
  }
  const sql = neon(config.databaseUrl, {
    types: httpTypes,
    ...(timeoutMs ? { fetchOptions: { signal: AbortSignal.timeout(timeoutMs) } } : {}),
  });
  const query = sql.query.bind(sql);
  const transaction = sql.transaction.bind(sql);
  const guarded = Object.assign((...args: Parameters<typeof sql>) => guardOutage(sql(...args)), sql, {
    query: (...args: Parameters<typeof query>) => guardOutage(query(...args)),
    transaction: ((...args: Parameters<typeof transaction>) => {
      const running = transaction(...args);
      return running.catch((error: unknown) => {
        throw asOutage(error);
      });
    }) as typeof transaction,
  });
  return guarded as NeonQueryFunction<false, false>;
}

export type HttpDatabase = NeonHttpDatabase<Record<string, never>>;

/** drizzle over `httpSql`: `db.select()…` and `db.batch([...])` (one transaction, one request). */
export function httpDrizzle(config: DbConfig, timeoutMs?: number): HttpDatabase {
  return drizzleHttp({ client: httpSql(config, timeoutMs) });
}

/**
 * What services take: the HTTP database (one round trip per statement), the
 * WebSocket one, or an open WebSocket transaction. Select/insert/update/delete
 * and `execute(sql\`…\`)` behave the same on all three.
 */
export type Queryable = PgDatabase<PgQueryResultHKT, Record<string, never>>;

/** Rows of a raw drizzle `sql` statement, on either path. */
export async function rowsOf<T>(db: Queryable, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export async function connect(config: DbConfig): Promise<Client> {
  const client = newClient(config);
  await client.connect();
  return client;
}

export function toDrizzle(client: Client): Database {
  return drizzle({ client });
}

/** A raw WebSocket `Client` (CLI, scripts, tests) or any drizzle handle, as the `Queryable` services take. */
export function queryableOf(handle: Queryable | Client): Queryable {
  return handle instanceof Client ? toDrizzle(handle) : handle;
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
 * A request's database. `http` is the default: every statement (or `batch`)
 * is one HTTP round trip to a pooled, warm backend, nothing to open or close.
 * `client()`/`db()` open a WebSocket connection on first use, only for the
 * interactive transactions that need one (they are listed in the README), and
 * close it after the response (via `waitUntil`).
 */
export class LazyDatabase {
  private opening?: Promise<Client>;
  private httpDb?: HttpDatabase;
  private wsDb?: Database;
  private readonly config: DbConfig;

  constructor(config: DbConfig) {
    this.config = { queryTimeoutMs: REQUEST_QUERY_TIMEOUT_MS, ...config };
  }

  /**
   * The request's query handle, created on first use: drizzle over the HTTP
   * path. With `queryPath: "websocket"` (the benchmark's baseline of the old
   * design, never production) it is drizzle over this request's WebSocket
   * connection instead, opened on its first statement.
   */
  get http(): Queryable {
    if (this.config.queryPath === "websocket") {
      this.wsDb ??= drizzle({
        client: {
          query: async (...args: unknown[]) => ((await this.client()).query as (...a: unknown[]) => unknown)(...args),
        } as unknown as Client,
      });
      return this.wsDb;
    }
    this.httpDb ??= httpDrizzle(this.config, this.config.queryTimeoutMs);
    return this.httpDb;
  }

  get opened(): boolean {
    return this.opening !== undefined;
  }

  client(): Promise<Client> {
    this.opening ??= connect(this.config).then(
      (client) => watchOutages(client, this.config.queryTimeoutMs),
      (error) => {
        throw new DatabaseUnavailableError("Could not connect to the database.", { cause: error });
      },
    );
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
      const client = await opening;
      // end() waits for the server's goodbye, which a dead connection never sends: bound it.
      await Promise.race([client.end(), new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS))]);
    } catch {
      // A failed connect has nothing to close.
    }
  }
}

/**
 * Turns the failures of a lost connection or a timed-out query (which carry no
 * SQLSTATE) into `DatabaseUnavailableError`, so they answer 503 and not 500.
 * Postgres errors (constraint violations, bad input…) pass through untouched.
 */
function watchOutages(client: Client, queryTimeoutMs: number | undefined): Client {
  let lost = false;
  const markLost = () => {
    lost = true;
  };
  client.on("error", markLost);
  client.on("end", markLost);
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const guarded = (...args: unknown[]): unknown => {
    const started = Date.now();
    const result = query(...args);
    if (typeof (result as Promise<unknown> | undefined)?.then !== "function") return result;
    return (result as Promise<unknown>).catch((error: unknown) => {
      const timedOut = queryTimeoutMs !== undefined && Date.now() - started >= queryTimeoutMs;
      if (pgErrorCode(error) === undefined && (lost || timedOut)) {
        throw new DatabaseUnavailableError(timedOut ? "The database did not answer in time." : "The database connection was lost.", {
          cause: error,
        });
      }
      throw error;
    });
  };
  (client as unknown as { query: typeof guarded }).query = guarded;
  return client;
}
