/**
 * Database outages answer 503 with Retry-After (problem+json for the API, a
 * "try again in a minute" page for browsers), never 500: a closed port, a
 * backend killed in the middle of a request, a query that does not come back.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { count, sql as drizzleSql } from "drizzle-orm";
import { connect, httpDrizzle, LazyDatabase } from "../src/db/client";
import { DatabaseUnavailableError, isDatabaseUnavailable, pgErrorCode } from "../src/db/errors";
import { tenantTables } from "../src/db/schema/tenant";
import { quoteSchema } from "../src/tenancy/naming";
import { daysAhead, postJson, seedCatalogue, slotsOn } from "./fixtures/booking";
import { call, dbConfig, isEmbedded, json, proxyStats, resetProxyStats, sql, useTenants, withDb } from "./harness";

const HTML = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };
// Nothing listens on port 1: connecting is refused at once, like a database host that is down.
const CLOSED_PORT = "127.0.0.1:1";

/** The app with the database reachable only through a closed port (WebSocket proxy and HTTP endpoint alike). */
async function withDeadDatabase(
  host: string,
  path: string,
  headers: Record<string, string> = {},
  init: RequestInit = {},
): Promise<Response> {
  const app = createApp();
  const ctx = createExecutionContext();
  const dead = { ...env, DB_PROXY: CLOSED_PORT, DB_HTTP_ENDPOINT: `http://${CLOSED_PORT}/sql` };
  const res = await app.fetch(new Request(`http://${host}${path}`, { ...init, headers }), dead, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function expectUnavailableProblem(res: Response) {
  expect(res.status).toBe(503);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  const body = await json(res);
  expect(body).toMatchObject({ status: 503, code: "unavailable" });
  expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/i);
}

async function expectUnavailablePage(res: Response, text: RegExp) {
  expect(res.status).toBe(503);
  expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(await res.text()).toMatch(text);
}

describe("database unreachable (closed port)", () => {
  const t = useTenants();

  it("answers 503 problem+json with Retry-After when the host lookup needs the database", async () => {
    await expectUnavailableProblem(await withDeadDatabase("never-seen-before.bookme.test", "/api/tenant"));
  });

  it("answers 503 problem+json with Retry-After when a handler needs the database", async () => {
    expect((await call(t.a.domain, "/api/tenant")).status).toBe(200); // tenant now cached in KV: only the handler needs the database
    await expectUnavailableProblem(await withDeadDatabase(t.a.domain, "/api/public/services"));
  });

  it("answers 503 to a sign-in, a refresh and a platform login while the database is down", async () => {
    expect((await call(t.a.domain, "/api/tenant")).status).toBe(200);
    const body = (json: unknown) => ({ method: "POST", body: JSON.stringify(json) });
    const headers = { "content-type": "application/json" };
    const login = { email: "nobody@example.ma", password: "Whatever-Pass-1" };
    await expectUnavailableProblem(await withDeadDatabase(t.a.domain, "/api/auth/login", headers, body(login)));
    await expectUnavailableProblem(await withDeadDatabase("localhost", "/api/auth/login", headers, body(login)));
    await expectUnavailableProblem(
      await withDeadDatabase(t.a.domain, "/api/auth/refresh", headers, body({ refresh_token: "a".repeat(43) })),
    );
  });

  it("shows browsers a 'try again in a minute' page in fr, ar and en", async () => {
    expect((await call(t.a.domain, "/api/tenant")).status).toBe(200);
    await expectUnavailablePage(await withDeadDatabase(t.a.domain, "/", HTML), /Réessayez dans une minute/);
    await expectUnavailablePage(await withDeadDatabase(t.a.domain, "/?lang=ar", HTML), /المرجو إعادة المحاولة بعد دقيقة/);
    await expectUnavailablePage(await withDeadDatabase(t.a.domain, "/?lang=en", HTML), /try again in a minute/);
    await expectUnavailablePage(await withDeadDatabase("never-seen-either.bookme.test", "/", HTML), /Réessayez dans une minute/);
  });

  it("keeps /health and the API schema up while the database is down", async () => {
    expect((await withDeadDatabase(t.a.domain, "/health")).status).toBe(200);
    expect((await withDeadDatabase(t.a.domain, "/api/schema")).status).toBe(200);
  });
});

describe("backend killed in the middle of a request", () => {
  const t = useTenants();

  /**
   * Starts `path` while another connection holds a lock on the tenant's
   * services (Postgres) or the single backend (PGlite), then kills the
   * waiting request's backend: pg_terminate_backend on Postgres; on PGlite,
   * which has one backend for all, the proxy drops the connections instead.
   */
  async function killedMidRequest(path: string, headers: Record<string, string> = {}): Promise<Response> {
    // Host cached (the request's first query is the handler's) and a warm pooled backend at the HTTP
    // endpoint, so on PGlite the request's statement is sent and parked, not its connection start-up.
    expect((await call(t.a.domain, "/api/public/services")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 400)); // let that request's connection close
    const holder = await connect(dbConfig());
    try {
      await holder.query("BEGIN");
      await holder.query(`LOCK TABLE ${quoteSchema(t.a.schemaName)}.services IN ACCESS EXCLUSIVE MODE`);
      await resetProxyStats();
      const pending = call(t.a.domain, path, { headers });
      if (isEmbedded()) {
        // PGlite parks the request's query behind the open transaction (an HTTP endpoint backend, or
        // a WebSocket connection for pages not on HTTP yet); cut every connection of both.
        await waitFor(async () => (await proxyStats()).connections >= 1 || (await httpEndpointBusy()) >= 1);
        await new Promise((r) => setTimeout(r, 200));
        // The request's side first: dropping the proxy's connections ends the holder's transaction,
        // which would let a parked statement through.
        await fetch(new URL("/connections/drop", env.DB_HTTP_ENDPOINT!), { method: "POST" });
        await fetch(`http://${env.DB_PROXY}/connections/drop`, { method: "POST" });
      } else {
        const holderPid = (await holder.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
        const waiting = await waitFor(async () => {
          const rows = await sql<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> $1`,
            [holderPid],
          );
          return rows[0]?.pid;
        });
        await sql(`SELECT pg_terminate_backend($1)`, [waiting]);
      }
      return await pending;
    } finally {
      await holder.query("ROLLBACK").catch(() => {});
      // A dropped connection never answers end(): do not wait for it.
      void holder.end().catch(() => {});
    }
  }

  it("answers 503 problem+json with Retry-After on the API", async () => {
    await expectUnavailableProblem(await killedMidRequest("/api/public/services"));
  });

  it("answers the 'try again in a minute' page to a browser", async () => {
    await expectUnavailablePage(await killedMidRequest("/?lang=en", HTML), /try again in a minute/);
  });

  it("serves the next request normally once the database is back", async () => {
    const res = await call(t.a.domain, "/api/public/services");
    expect(res.status).toBe(200);
  });
});

describe("database too slow", () => {
  const t = useTenants();

  it("gives up on a query that does not answer in time with a retryable error", async () => {
    await withDb(async (holder) => {
      await holder.query("BEGIN");
      await holder.query(`LOCK TABLE ${quoteSchema(t.a.schemaName)}.services IN ACCESS EXCLUSIVE MODE`);
      const database = new LazyDatabase({ ...dbConfig(), connectTimeoutMs: 500, queryTimeoutMs: 300 });
      try {
        const client = await database.client().catch((e) => e);
        // PGlite queues the whole connection behind the open transaction; Postgres queues the query.
        const error =
          client instanceof Error
            ? client
            : await client.query(`SELECT count(*) FROM ${quoteSchema(t.a.schemaName)}.services`).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DatabaseUnavailableError);
        expect(isDatabaseUnavailable(error)).toBe(true);
      } finally {
        await holder.query("ROLLBACK").catch(() => {});
        await database.close();
      }
    });
  });

  it("gives up on an HTTP query that does not answer in time with a retryable error", async () => {
    await withDb(async (holder) => {
      await holder.query("BEGIN");
      await holder.query(`LOCK TABLE ${quoteSchema(t.a.schemaName)}.services IN ACCESS EXCLUSIVE MODE`);
      try {
        const db = httpDrizzle(dbConfig(), 300);
        const services = tenantTables(t.a.schemaName).services;
        const error = await db
          .select({ n: count() })
          .from(services)
          .catch((e: unknown) => e);
        // drizzle wraps the driver's error; the outage is its cause.
        expect((error as Error).cause).toBeInstanceOf(DatabaseUnavailableError);
        expect(isDatabaseUnavailable(error)).toBe(true);
      } finally {
        await holder.query("ROLLBACK").catch(() => {});
      }
    });
  });

  it("keeps ordinary Postgres errors as they are on the HTTP path too", async () => {
    const error = await httpDrizzle(dbConfig())
      .execute(drizzleSql`SELECT 1/0`)
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(DatabaseUnavailableError);
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(pgErrorCode(error)).toBe("22012");
  });

  it("keeps ordinary Postgres errors as they are (bad input is not an outage)", async () => {
    const database = new LazyDatabase(dbConfig());
    try {
      const error = await (await database.client()).query("SELECT 1/0").catch((e: unknown) => e);
      expect(error).not.toBeInstanceOf(DatabaseUnavailableError);
      expect(isDatabaseUnavailable(error)).toBe(false);
    } finally {
      await database.close();
    }
  });

  it("recognises outage SQLSTATEs and nothing else", () => {
    for (const code of ["08006", "08001", "57P01", "57P03", "53300", "57014"]) expect(isDatabaseUnavailable({ code })).toBe(true);
    for (const code of ["23505", "23P01", "22P02", "42P01", "40001"]) expect(isDatabaseUnavailable({ code })).toBe(false);
    expect(isDatabaseUnavailable(new Error("wrapped", { cause: { code: "57P01" } }))).toBe(true);
  });
});

describe("32 concurrent bookings of one calendar", () => {
  const t = useTenants();

  const deadlocks = async () =>
    (
      await sql<{ n: number }>(
        `SELECT pg_stat_clear_snapshot(), (SELECT coalesce(sum(deadlocks), 0)::int FROM pg_stat_database WHERE datname = current_database()) AS n`,
      )
    )[0]!.n;

  it("answers each with 201 or 409, never 5xx, without deadlocks between overlapping inserts", async () => {
    const cat = await seedCatalogue(t.a);
    const slots = await slotsOn(t.a.domain, cat.serviceId, daysAhead(45), cat.staffA.id);
    expect(slots.length).toBeGreaterThanOrEqual(8);
    const before = await deadlocks();
    // 60-minute appointments every 30 minutes, each start asked for twice: every insert overlaps others.
    const responses = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        postJson(t.a.domain, "/api/public/bookings", {
          service_id: cat.serviceId,
          staff_id: cat.staffA.id,
          start: slots[i % slots.length]!.start,
          customer: { name: `Crowd ${i}`, email: `crowd${i}@race.ma` },
        }),
      ),
    );
    const codes = responses.map((r) => r.status);
    expect(codes.filter((c) => c !== 201 && c !== 409)).toEqual([]);
    expect(codes.filter((c) => c === 201).length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1_200)); // backends report their statistics at most once a second
    expect(await deadlocks()).toBe(before);
  });
});

async function httpEndpointBusy(): Promise<number> {
  const stats = (await (await fetch(new URL("/stats", env.DB_HTTP_ENDPOINT!))).json()) as { busy?: number };
  return stats.busy ?? 0;
}

async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as T;
    if (Date.now() > deadline) throw new Error("timed out waiting for the request to block");
    await new Promise((r) => setTimeout(r, 50));
  }
}
