/**
 * WebSocket → TCP proxy that lets the Neon serverless driver (which speaks the
 * Postgres protocol inside WebSocket frames) reach an ordinary Postgres or the
 * embedded PGlite server. Used by `npm run dev`, the test suite, the CLI and the
 * benchmarks; production talks to Neon directly and never uses this.
 *
 * It also counts connections and "flights" (a burst of client→server bytes that
 * follows server→client bytes): a flight is one database round trip, so tests and
 * benchmarks can assert how many round trips a request costs.
 *
 * With a simulated round-trip time (DB_RTT_MS) each flight, and the WebSocket
 * upgrade itself, reach the database that much later: what a Worker far from
 * the database waits for.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import { WebSocketServer, type WebSocket, type RawData } from "ws";

export interface ProxyStats {
  connections: number;
  flights: number;
  open: number;
}

export interface RunningProxy {
  port: number;
  /** `host:port` the driver's `wsProxy` should point at. */
  address: string;
  stats(): ProxyStats;
  reset(): void;
  /** Simulated round-trip time added to every flight and to the upgrade. */
  setRttMs(ms: number): void;
  close(): Promise<void>;
}

export interface ProxyOptions {
  port?: number;
  /** Allowed `host:port` targets; anything else is refused. */
  allow: string[];
  rttMs?: number;
  log?: (line: string) => void;
}

const TERMINATE = 0x58; // 'X'
const GRACE_MS = 300;

/**
 * Tracks Postgres frontend message boundaries so a Terminate can be recognised
 * exactly (not by guessing at frame contents). The first message(s) of a
 * connection carry no type byte (SSLRequest, StartupMessage).
 */
class FrontendParser {
  private buffer: Buffer = Buffer.alloc(0);
  private untyped = true;

  /** Whether the last chunk held nothing but a Terminate (closing is not a round trip). */
  onlyTerminate = false;

  /** Returns true once a Terminate message has been seen. */
  push(chunk: Buffer): boolean {
    this.onlyTerminate = this.buffer.length === 0 && !this.untyped && chunk.length === 5 && chunk[0] === TERMINATE;
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    let terminated = false;
    for (;;) {
      if (this.untyped) {
        if (this.buffer.length < 8) break;
        const length = this.buffer.readInt32BE(0);
        const code = this.buffer.readInt32BE(4);
        if (this.buffer.length < length) break;
        this.buffer = this.buffer.subarray(length);
        // SSLRequest / GSSENCRequest are followed by another untyped message.
        if (code !== 80877103 && code !== 80877104) this.untyped = false;
        continue;
      }
      if (this.buffer.length < 5) break;
      const type = this.buffer[0];
      const length = 1 + this.buffer.readInt32BE(1);
      if (this.buffer.length < length) break;
      if (type === TERMINATE) terminated = true;
      this.buffer = this.buffer.subarray(length);
    }
    return terminated;
  }
}

/** `POST /control/rtt?ms=35` changes the simulated round-trip time (tests and benchmarks, local only). */
export function rttControl(path: string | undefined): number | undefined {
  const url = new URL(path ?? "/", "http://local");
  if (url.pathname !== "/control/rtt") return undefined;
  const ms = Number(url.searchParams.get("ms"));
  return Number.isFinite(ms) && ms >= 0 ? ms : 0;
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data as ArrayBuffer);
}

export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const allowed = new Set(options.allow.map((a) => a.toLowerCase()));
  const log = options.log ?? (() => {});
  const totals = { connections: 0, flights: 0 };
  const live = new Set<{ ws: WebSocket; tcp: Socket }>();
  let rttMs = Math.max(0, options.rttMs ?? 0);

  // Plain HTTP on the same port (local only): GET /stats, POST /stats/reset,
  // POST /control/rtt?ms= (simulated distance), and POST /connections/drop, which
  // cuts every open connection the way a database restart does (the outage tests
  // use it where pg_terminate_backend cannot reach a backend, i.e. on PGlite).
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const rtt = req.method === "POST" ? rttControl(req.url) : undefined;
    if (rtt !== undefined) {
      rttMs = rtt;
      res.end("ok");
    } else if (req.url === "/stats" && req.method === "GET") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ...totals, open: live.size }));
    } else if (req.url === "/stats/reset" && req.method === "POST") {
      totals.connections = 0;
      totals.flights = 0;
      res.end("ok");
    } else if (req.url === "/connections/drop" && req.method === "POST") {
      const dropped = live.size;
      for (const { ws, tcp } of live) {
        tcp.destroy();
        ws.terminate();
      }
      res.end(String(dropped));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  const wss = new WebSocketServer({ noServer: true });

  http.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://proxy");
    const target = (url.searchParams.get("address") ?? "").toLowerCase();
    if (url.pathname !== "/v1" || !allowed.has(target)) {
      log(`refused target ${target || "(none)"}`);
      socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    const upgrade = () => wss.handleUpgrade(req, socket, head, (ws) => bridge(ws, target));
    if (rttMs > 0) setTimeout(upgrade, rttMs);
    else upgrade();
  });

  function bridge(ws: WebSocket, target: string) {
    const [host, portText] = target.split(/:(?=\d+$)/);
    const tcp = connect({ host, port: Number(portText) });
    tcp.setNoDelay(true);
    const pair = { ws, tcp };
    live.add(pair);
    totals.connections += 1;
    const parser = new FrontendParser();
    let lastFromClient = false;
    let closed = false;

    const finish = () => {
      if (closed) return;
      closed = true;
      live.delete(pair);
      tcp.destroy();
      if (ws.readyState === ws.OPEN) ws.close();
      // workerd sometimes never completes the close handshake; don't wait 30 s.
      setTimeout(() => ws.terminate(), GRACE_MS).unref();
    };

    // Chunks of a delayed flight wait here, in order, until its timer fires.
    let held: Buffer[] = [];
    let holding: NodeJS.Timeout | undefined;
    let endAfterHeld = false;
    const hangUp = () => {
      // The driver relies on the server hanging up after Terminate; PGlite's
      // socket server does not, so half-close and bound the wait.
      tcp.end();
      setTimeout(finish, GRACE_MS).unref();
    };
    const release = () => {
      holding = undefined;
      for (const chunk of held) tcp.write(chunk);
      held = [];
      if (endAfterHeld) hangUp();
    };

    ws.on("message", (data) => {
      const chunk = toBuffer(data);
      const terminated = parser.push(chunk);
      const newFlight = !lastFromClient && !parser.onlyTerminate;
      if (newFlight) totals.flights += 1;
      lastFromClient = true;
      if (holding || (newFlight && rttMs > 0)) {
        held.push(chunk);
        holding ??= setTimeout(release, rttMs);
        if (terminated) endAfterHeld = true;
        return;
      }
      tcp.write(chunk);
      if (terminated) hangUp();
    });
    tcp.on("data", (chunk) => {
      lastFromClient = false;
      if (ws.readyState === ws.OPEN) ws.send(chunk);
    });
    tcp.on("close", () => {
      clearTimeout(holding);
      finish();
    });
    tcp.on("error", (err) => {
      log(`tcp ${target}: ${err.message}`);
      finish();
    });
    ws.on("close", finish);
    ws.on("error", finish);
  }

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (http.address() as { port: number }).port;

  return {
    port,
    address: `127.0.0.1:${port}`,
    stats: () => ({ ...totals, open: live.size }),
    reset: () => {
      totals.connections = 0;
      totals.flights = 0;
    },
    setRttMs: (ms) => {
      rttMs = Math.max(0, ms);
    },
    close: async () => {
      for (const { ws, tcp } of live) {
        tcp.destroy();
        ws.terminate();
      }
      live.clear();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
