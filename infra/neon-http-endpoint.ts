/**
 * A local stand-in for Neon's SQL-over-HTTP endpoint, so the driver's `neon()`
 * HTTP path (and drizzle's `neon-http`) run against an ordinary Postgres or the
 * embedded PGlite exactly as they run against Neon in production.
 *
 *   POST /sql          one `{query, params, arrayMode?}` or `{queries: [...]}` (one transaction)
 *   GET  /stats        {requests, queries, connections, open} since the last reset (local only)
 *   POST /stats/reset
 *   POST /control/rtt?ms=35   change the simulated round-trip time
 *   POST /connections/drop     cut every backend socket (outage tests on PGlite, which has no pg_terminate_backend)
 *
 * Behaviour copied from Neon's proxy (proxy/src/serverless/sql_over_http.rs):
 * every statement runs through the extended protocol (one statement per query,
 * real bind parameters), values come back as Postgres text so the driver's type
 * parsers apply, errors answer 400 with the server's error fields, a batch runs
 * in one transaction that is rolled back on any error, and a connection left
 * inside a transaction by a single query is discarded rather than reused.
 *
 * Backends are kept in a small pool per database (persistent, warm catalog
 * caches), opened with the driver's own `Client` over plain TCP (no WebSocket
 * hop: the proxy's round-trip counts and simulated delay stay about the
 * WebSocket path alone). One HTTP request is one round trip; with a simulated
 * RTT it is delayed once.
 */
import "./node-driver";
import { Client, type DatabaseError } from "@neondatabase/serverless";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { connect as tcpConnect, type Socket } from "node:net";
import { newClient } from "../src/db/client";
import { rttControl } from "./ws-proxy";

export interface HttpEndpointStats {
  /** HTTP requests answered: each is one round trip for the caller. */
  requests: number;
  /** Statements executed for callers (a batch of three counts three). */
  queries: number;
  /** Backend connections opened since the last reset. */
  connections: number;
  /** Pooled backend connections currently open. */
  open: number;
}

export interface RunningHttpEndpoint {
  port: number;
  /** What `neonConfig.fetchEndpoint` should return: `http://127.0.0.1:<port>/sql`. */
  url: string;
  stats(): HttpEndpointStats;
  reset(): void;
  /** Simulated round-trip time added once to every request. */
  setRttMs(ms: number): void;
  close(): Promise<void>;
}

export interface HttpEndpointOptions {
  port?: number;
  /** Allowed `host:port` database targets; a connection string naming anything else is refused. */
  allow: string[];
  /** Pooled backends per database. PGlite serves one connection at a time, so 1 there. */
  poolSize?: number;
  rttMs?: number;
  log?: (line: string) => void;
}

/** Neon's limits (HttpConfig defaults): 10 MiB in, 10 MiB out. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

const ISOLATION_LEVELS: Record<string, string> = {
  Serializable: "SERIALIZABLE",
  ReadUncommitted: "READ UNCOMMITTED",
  ReadCommitted: "READ COMMITTED",
  RepeatableRead: "REPEATABLE READ",
};

/** Neon's error body: every field present, null when Postgres did not send it. */
const ERROR_FIELDS = [
  "code",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "severity",
  "where",
  "table",
  "column",
  "schema",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine",
] as const;

const TERMINATE = 0x58; // 'X'

/** Rows stay the server's text: the caller's driver does the type parsing. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value };

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

interface QueryData {
  query: string;
  params: (string | null)[];
  arrayMode?: boolean;
}

interface Field {
  name: string;
  tableID: number;
  columnID: number;
  dataTypeID: number;
  dataTypeSize: number;
  dataTypeModifier: number;
}

interface RawResult {
  command: string | null;
  rowCount: number | null;
  fields: Field[];
  rows: (string | null)[][];
}

/** Params the way Neon reads them: strings as-is, null as NULL, arrays as Postgres array literals, the rest as JSON text. */
function toPgText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return arrayLiteral(value);
  return JSON.stringify(value);
}

function arrayLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (Array.isArray(value)) return `{${value.map(arrayLiteral).join(",")}}`;
  if (typeof value === "object") return arrayLiteral(JSON.stringify(value));
  return JSON.stringify(value);
}

function parseQueryData(value: unknown): QueryData {
  const v = value as { query?: unknown; params?: unknown; arrayMode?: unknown } | null;
  if (!v || typeof v.query !== "string") throw new HttpError(400, "request body must hold `query` (a string) or `queries`");
  if (v.params !== undefined && !Array.isArray(v.params)) throw new HttpError(400, "`params` must be an array");
  return {
    query: v.query,
    params: ((v.params as unknown[] | undefined) ?? []).map(toPgText),
    arrayMode: typeof v.arrayMode === "boolean" ? v.arrayMode : undefined,
  };
}

/** Postgres text → JSON when the caller did not ask for raw text (Neon converts these scalars the same way). */
function toJsonValue(text: string, typeId: number): unknown {
  switch (typeId) {
    case 16:
      return text === "t";
    case 21:
    case 23:
      return Number(text);
    case 700:
    case 701:
      return Number.isFinite(Number(text)) ? Number(text) : text;
    case 114:
    case 3802:
      return JSON.parse(text);
    default:
      return text;
  }
}

function errorBody(error: unknown): { status: number; body: Record<string, unknown> } {
  if (error instanceof HttpError) return { status: error.status, body: { message: error.message, ...error.fields } };
  const db = error as Partial<DatabaseError> & Record<string, unknown>;
  if (error instanceof Error && typeof db.code === "string" && typeof db.severity === "string") {
    const body: Record<string, unknown> = { message: error.message };
    for (const field of ERROR_FIELDS) body[field] = db[field] ?? null;
    return { status: 400, body };
  }
  return { status: 500, body: { message: error instanceof Error ? error.message : String(error) } };
}

/**
 * Just enough of a WebSocket, over a TCP socket, for the driver's `Client`
 * (which speaks the Postgres protocol through `webSocketConstructor`): the
 * pooled backends connect straight to the database.
 */
const openSockets = new Set<Socket>();

class TcpAsWebSocket {
  binaryType = "arraybuffer";
  private readonly socket: Socket;
  private readonly listeners: Record<string, ((event: unknown) => void)[]> = {};

  constructor(url: string) {
    const address = new URL(url).searchParams.get("address") ?? "";
    const [host, port] = address.split(/:(?=\d+$)/);
    this.socket = tcpConnect({ host, port: Number(port) });
    this.socket.setNoDelay(true);
    openSockets.add(this.socket);
    this.socket.on("close", () => openSockets.delete(this.socket));
    this.socket.on("connect", () => this.emit("open", {}));
    this.socket.on("data", (data) => this.emit("message", { data }));
    this.socket.on("error", (error) => this.emit("error", error));
    this.socket.on("close", () => this.emit("close", {}));
  }

  addEventListener(type: string, listener: (event: unknown) => void): void {
    (this.listeners[type] ??= []).push(listener);
  }

  send(data: Uint8Array): void {
    this.socket.write(data);
    // The driver never closes its socket after Terminate (it waits for the
    // server to hang up) and PGlite's socket server does not hang up.
    if (data.length === 5 && data[0] === TERMINATE && data[4] === 4) this.close();
  }

  close(): void {
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 300).unref();
  }

  private emit(type: string, event: unknown): void {
    for (const listener of this.listeners[type] ?? []) listener(event);
  }
}

interface Backend {
  client: Client;
  /** Transaction status of the last ReadyForQuery: I idle, T in a transaction, E failed transaction. */
  status: string;
  broken: boolean;
}

/** A fixed number of persistent backends for one database; callers queue for a free one. */
class BackendPool {
  private idle: Backend[] = [];
  private waiting: ((backend: Backend | null) => void)[] = [];
  private size = 0;
  /** Callers holding or waiting for a backend (released ones not counted). */
  busy = 0;
  private closed = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly max: number,
    private readonly onConnect: () => void,
  ) {}

  get open(): number {
    return this.size;
  }

  async acquire(): Promise<Backend> {
    // Counted from the start: a caller still waiting for a backend (or for one to connect) is busy too.
    this.busy += 1;
    try {
      return await this.take();
    } catch (error) {
      this.busy -= 1;
      throw error;
    }
  }

  private async take(): Promise<Backend> {
    if (this.closed) throw new Error("the SQL endpoint is closing");
    // An idle backend whose socket died meanwhile (terminated, dropped) is forgotten, never handed out.
    for (let ready = this.idle.pop(); ready; ready = this.idle.pop()) {
      if (!ready.broken) return ready;
      this.size -= 1;
    }
    if (this.size >= this.max) {
      const handed = await new Promise<Backend | null>((resolve) => this.waiting.push(resolve));
      if (handed) return handed;
      if (this.closed) throw new Error("the SQL endpoint is closing");
    }
    this.size += 1;
    try {
      return await this.connect();
    } catch (error) {
      this.size -= 1;
      this.waiting.shift()?.(null);
      throw error;
    }
  }

  release(backend: Backend): void {
    this.busy -= 1;
    if (backend.broken || backend.status !== "I") {
      // Never hand on a backend in an unknown state (dead, or left inside a transaction).
      this.size -= 1;
      backend.client.end().catch(() => {});
      this.waiting.shift()?.(null);
      return;
    }
    const next = this.waiting.shift();
    if (next) next(backend);
    else this.idle.push(backend);
  }

  /** Forgets every idle backend at once (their sockets are about to be cut): none can be handed out dead. */
  forgetIdle(): void {
    for (const backend of this.idle.splice(0)) {
      backend.broken = true;
      this.size -= 1;
      backend.client.end().catch(() => {});
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const idle = this.idle;
    this.idle = [];
    for (const wake of this.waiting.splice(0)) wake(null);
    await Promise.all(idle.map((b) => b.client.end().catch(() => {})));
  }

  private async connect(): Promise<Backend> {
    // The proxy settings of newClient, with the "WebSocket" being TcpAsWebSocket.
    const client = newClient({ databaseUrl: this.databaseUrl, proxy: "tcp" });
    client.neonConfig.webSocketConstructor = TcpAsWebSocket as unknown as typeof WebSocket;
    const backend: Backend = { client, status: "I", broken: false };
    const lost = () => {
      if (backend.broken) return;
      backend.broken = true;
      // A checked-out backend is dropped on release; an idle one is dropped here.
      if (this.idle.includes(backend)) {
        this.idle = this.idle.filter((b) => b !== backend);
        this.size -= 1;
      }
    };
    // "error" for a backend terminated by the server; "end" for a socket simply closed (e.g. /connections/drop).
    client.on("error", lost);
    client.on("end", lost);
    await client.connect();
    const connection = (client as unknown as { connection: NodeJS.EventEmitter }).connection;
    connection.on("readyForQuery", (msg: { status: string }) => (backend.status = msg.status));
    this.onConnect();
    return backend;
  }
}

/**
 * Runs one statement through the extended protocol even without parameters
 * (the driver's `Client` would otherwise use the simple protocol, which
 * accepts several statements in one string; Neon does not).
 */
function extendedQuery(client: Client, text: string, values: (string | null)[]): Promise<RawResult> {
  const QueryClass = (
    Client as unknown as {
      Query: new (config: object, values: undefined, cb: (e: Error | null, r: RawResult) => void) => { requiresPreparation(): boolean };
    }
  ).Query;
  return new Promise((resolve, reject) => {
    const query = new QueryClass({ text, values, rowMode: "array", types: RAW_TEXT }, undefined, (error, result) =>
      error ? reject(error) : resolve(result),
    );
    query.requiresPreparation = () => true;
    void client.query(query as never);
  });
}

function shape(result: RawResult, arrayMode: boolean, raw: boolean) {
  const fields = result.fields.map((f) => ({
    name: f.name,
    dataTypeID: f.dataTypeID,
    tableID: f.tableID,
    columnID: f.columnID,
    dataTypeSize: f.dataTypeSize,
    dataTypeModifier: f.dataTypeModifier,
    format: "text",
  }));
  const value = (text: string | null, i: number) => (text === null || raw ? text : toJsonValue(text, fields[i]!.dataTypeID));
  const rows = result.rows.map((row) =>
    arrayMode ? row.map(value) : Object.fromEntries(row.map((text, i) => [fields[i]!.name, value(text, i)])),
  );
  return { rowAsArray: arrayMode, fields, rows, command: result.command ?? "", rowCount: result.rowCount ?? null };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BYTES) reject(new HttpError(413, `request is too large (max is ${MAX_REQUEST_BYTES} bytes)`));
      else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Pool key and the URL to connect with: the credentials and database, without the driver's query parameters. */
function databaseOf(header: string | undefined, allowed: Set<string>): string {
  if (!header) throw new HttpError(400, "missing Neon-Connection-String header");
  let url: URL;
  try {
    url = new URL(header);
  } catch {
    throw new HttpError(400, "Neon-Connection-String is not a valid URL");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:")
    throw new HttpError(400, "Neon-Connection-String must be a postgres:// URL");
  const target = `${url.hostname}:${url.port || "5432"}`.toLowerCase();
  if (!allowed.has(target)) throw new HttpError(400, `database host ${target} is not served by this endpoint`);
  url.search = "";
  url.hash = "";
  url.protocol = "postgres:";
  return url.toString();
}

export async function startHttpEndpoint(options: HttpEndpointOptions): Promise<RunningHttpEndpoint> {
  const allowed = new Set(options.allow.map((a) => a.toLowerCase()));
  const log = options.log ?? (() => {});
  const poolSize = Math.max(1, options.poolSize ?? 4);
  let rttMs = Math.max(0, options.rttMs ?? 0);
  const totals = { requests: 0, queries: 0, connections: 0 };
  const pools = new Map<string, BackendPool>();

  const poolFor = (databaseUrl: string) => {
    let pool = pools.get(databaseUrl);
    if (!pool) {
      pool = new BackendPool(databaseUrl, poolSize, () => (totals.connections += 1));
      pools.set(databaseUrl, pool);
    }
    return pool;
  };

  async function execute(req: IncomingMessage, body: string): Promise<{ json: unknown; headers: Record<string, string> }> {
    const databaseUrl = databaseOf(req.headers["neon-connection-string"] as string | undefined, allowed);
    const raw = req.headers["neon-raw-text-output"] === "true";
    const defaultArrayMode = req.headers["neon-array-mode"] === "true";
    const isolationHeader = req.headers["neon-batch-isolation-level"] as string | undefined;
    const isolation = isolationHeader === undefined ? undefined : ISOLATION_LEVELS[isolationHeader];
    if (isolationHeader !== undefined && !isolation) throw new HttpError(400, "invalid isolation level");
    const readOnly = req.headers["neon-batch-read-only"] === "true";
    const deferrable = req.headers["neon-batch-deferrable"] === "true";

    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      throw new HttpError(400, "request body is not valid JSON");
    }
    const batch = Array.isArray((payload as { queries?: unknown })?.queries)
      ? (payload as { queries: unknown[] }).queries.map(parseQueryData)
      : undefined;
    const single = batch ? undefined : parseQueryData(payload);

    const pool = poolFor(databaseUrl);
    const backend = await pool.acquire();
    try {
      const run = async (q: QueryData) => {
        totals.queries += 1;
        return shape(await extendedQuery(backend.client, q.query, q.params), q.arrayMode ?? defaultArrayMode, raw);
      };
      if (single) return { json: await run(single), headers: {} };

      const modes = [isolation && `ISOLATION LEVEL ${isolation}`, readOnly && "READ ONLY", deferrable && "DEFERRABLE"].filter(Boolean);
      await backend.client.query(`START TRANSACTION${modes.length ? ` ${modes.join(", ")}` : ""}`);
      const results = [];
      try {
        for (const q of batch!) results.push(await run(q));
        await backend.client.query("COMMIT");
      } catch (error) {
        await backend.client.query("ROLLBACK").catch(() => (backend.broken = true));
        throw error;
      }
      const headers: Record<string, string> = {};
      if (readOnly) headers["neon-batch-read-only"] = "true";
      if (deferrable) headers["neon-batch-deferrable"] = "true";
      if (isolationHeader) headers["neon-batch-isolation-level"] = isolationHeader;
      return { json: { results }, headers };
    } catch (error) {
      // A connection-level failure, or a FATAL/PANIC error (e.g. pg_terminate_backend): the backend is gone.
      const severity = error instanceof Error && "severity" in error ? String((error as { severity?: unknown }).severity) : null;
      if (severity === null || severity === "FATAL" || severity === "PANIC") backend.broken = true;
      throw error;
    } finally {
      pool.release(backend);
    }
  }

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(body);
  };

  const http = createServer(async (req, res) => {
    const rtt = req.method === "POST" ? rttControl(req.url) : undefined;
    if (rtt !== undefined) {
      rttMs = rtt;
      return send(res, 200, "{}");
    }
    if (req.url === "/stats" && req.method === "GET") {
      const open = [...pools.values()].reduce((n, p) => n + p.open, 0);
      const busy = [...pools.values()].reduce((n, p) => n + p.busy, 0);
      return send(res, 200, JSON.stringify({ ...totals, open, busy }));
    }
    if (req.url === "/connections/drop" && req.method === "POST") {
      const dropped = openSockets.size;
      // Synchronously, before the sockets go: the next request must get a fresh backend, not wait on a close event.
      for (const pool of pools.values()) pool.forgetIdle();
      for (const socket of openSockets) socket.destroy();
      return send(res, 200, JSON.stringify({ dropped }));
    }
    if (req.url === "/stats/reset" && req.method === "POST") {
      totals.requests = totals.queries = totals.connections = 0;
      return send(res, 200, "{}");
    }
    if (req.method !== "POST" || new URL(req.url ?? "/", "http://endpoint").pathname !== "/sql") {
      return send(res, 404, JSON.stringify({ message: "not found" }));
    }
    totals.requests += 1;
    try {
      const body = await readBody(req);
      if (rttMs > 0) await new Promise((r) => setTimeout(r, rttMs));
      const { json, headers } = await execute(req, body);
      const text = JSON.stringify(json);
      if (Buffer.byteLength(text) > MAX_RESPONSE_BYTES)
        throw new HttpError(507, `response is too large (max is ${MAX_RESPONSE_BYTES} bytes)`);
      send(res, 200, text, headers);
    } catch (error) {
      const { status, body } = errorBody(error);
      if (status >= 500) log(`sql endpoint: ${body.message}`);
      send(res, status, JSON.stringify(body));
    }
  });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (http.address() as { port: number }).port;

  return {
    port,
    url: `http://127.0.0.1:${port}/sql`,
    stats: () => ({ ...totals, open: [...pools.values()].reduce((n, p) => n + p.open, 0) }),
    reset: () => {
      totals.requests = totals.queries = totals.connections = 0;
    },
    setRttMs: (ms) => {
      rttMs = Math.max(0, ms);
    },
    close: async () => {
      await Promise.all([...pools.values()].map((p) => p.close()));
      pools.clear();
      http.closeAllConnections?.();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
