/**
 * The driver's HTTP path (`neon()`, drizzle `neon-http`) against the local
 * SQL-over-HTTP endpoint, on whichever database the run uses. What is written
 * over HTTP is checked over the WebSocket path, so a claim like "nothing was
 * written" is not taken from the path under test.
 */
import { env } from "cloudflare:test";
import { NeonDbError } from "@neondatabase/serverless";
import { eq, sql as dsql } from "drizzle-orm";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpDrizzle, httpSql } from "../src/db/client";
import { DatabaseUnavailableError } from "../src/db/errors";
import { dbConfig, sql as wsSql, uniqueSlug, withDb } from "./harness";

const TABLE = `nhttp_${uniqueSlug("p")}`;
const probes = pgTable(TABLE, {
  id: integer("id").primaryKey(),
  label: text("label").notNull().unique(),
});

const config = dbConfig;
const origin = () => new URL(env.DB_HTTP_ENDPOINT!).origin;

async function endpointStats(): Promise<{ requests: number; queries: number; connections: number; open: number }> {
  return (await fetch(`${origin()}/stats`)).json();
}

async function written(): Promise<{ id: number; label: string }[]> {
  return wsSql(`SELECT id, label FROM "public"."${TABLE}" ORDER BY id`);
}

/** The rejection of `promise`, which must be the driver's NeonDbError. */
async function failure(promise: Promise<unknown>): Promise<NeonDbError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NeonDbError);
  return error as NeonDbError;
}

beforeAll(async () => {
  await wsSql(`CREATE TABLE "public"."${TABLE}" (id int PRIMARY KEY, label text NOT NULL UNIQUE)`);
});

afterAll(async () => {
  await wsSql(`DROP TABLE IF EXISTS "public"."${TABLE}"`);
});

describe("SQL over HTTP: values", () => {
  const TYPES = `SELECT 7::int AS int, 9007199254740993::bigint AS big, 12.50::numeric(6,2) AS num, true AS yes, false AS no,
      'Ça va? "quoted" \\ back'::text AS txt, '0b6f1a3e-53a6-4e5e-8d8c-2b7a1c3f4e5d'::uuid AS id, '2026-03-29'::date AS day,
      '2026-03-29T01:30:00Z'::timestamptz AS at, '1 day 02:30:00'::interval AS span, ARRAY[1, 2, NULL]::int[] AS ints,
      ARRAY['a', 'b,c', NULL, '"q"']::text[] AS texts, '{"a": [1, {"b": null}]}'::json AS doc, '{"k": "v"}'::jsonb AS docb,
      '\\x00ff10'::bytea AS bytes, NULL::text AS nothing, NULL::int AS no_int, NULL::jsonb AS no_json`;

  it("decodes every type the app uses exactly as the WebSocket path does", async () => {
    const [overHttp] = await httpSql(config()).query(TYPES);
    const [overWs] = await withDb(async (c) => (await c.query(TYPES)).rows);
    expect(overHttp).toEqual(overWs);
    expect(overHttp).toMatchObject({
      int: 7,
      big: "9007199254740993",
      num: "12.50",
      yes: true,
      no: false,
      txt: 'Ça va? "quoted" \\ back',
      id: "0b6f1a3e-53a6-4e5e-8d8c-2b7a1c3f4e5d",
      ints: [1, 2, null],
      texts: ["a", "b,c", null, '"q"'],
      doc: { a: [1, { b: null }] },
      docb: { k: "v" },
      nothing: null,
      no_int: null,
      no_json: null,
    });
    expect((overHttp!.at as Date).toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(overHttp!.day).toBeInstanceOf(Date);
    expect(overHttp!.span).toMatchObject({ days: 1, hours: 2, minutes: 30 });
    expect([...(overHttp!.bytes as Uint8Array)]).toEqual([0, 255, 16]);
  });

  it("sends parameters as bind values, never as SQL text: quotes, NULL, arrays, JSON, bytes and dates round-trip", async () => {
    const sql = httpSql(config());
    const hostile = `x'); DROP TABLE "public"."${TABLE}"; --`;
    const [row] = await sql`SELECT ${hostile}::text AS s, ${null}::int AS n, ${[3, 4]}::int[] AS a,
      ${JSON.stringify({ k: [1] })}::jsonb AS j, ${new Uint8Array([1, 2])}::bytea AS b, ${new Date("2026-01-02T03:04:05Z")}::timestamptz AS t`;
    expect(row).toMatchObject({ s: hostile, n: null, a: [3, 4], j: { k: [1] } });
    expect([...(row!.b as Uint8Array)]).toEqual([1, 2]);
    expect((row!.t as Date).toISOString()).toBe("2026-01-02T03:04:05.000Z");
    expect(await written()).toEqual([]); // the table is still there, untouched
  });

  it("returns arrays in array mode and the full result (fields, command, rowCount) when asked", async () => {
    const sql = httpSql(config());
    expect(await sql.query("SELECT 1::int AS a, 'x' AS b UNION ALL SELECT 2, NULL", [], { arrayMode: true })).toEqual([
      [1, "x"],
      [2, null],
    ]);
    const full = await sql.query("SELECT $1::int AS a", [5], { fullResults: true });
    expect(full).toMatchObject({ command: "SELECT", rowCount: 1, rowAsArray: false, rows: [{ a: 5 }] });
    expect(full.fields).toEqual([expect.objectContaining({ name: "a", dataTypeID: 23, format: "text" })]);
    const none = await sql.query(`SELECT id FROM "public"."${TABLE}" WHERE false`, [], { fullResults: true });
    expect(none).toMatchObject({ command: "SELECT", rowCount: 0, rows: [] });
  });
});

describe("SQL over HTTP: transactions", () => {
  it("commits a batch as one transaction in one request", async () => {
    const sql = httpSql(config());
    const before = await endpointStats();
    const [inserted, counted] = await sql.transaction([
      sql`INSERT INTO ${sql.unsafe(`"public"."${TABLE}"`)} (id, label) VALUES (1, 'one'), (2, 'two') RETURNING id`,
      sql`SELECT count(*)::int AS n FROM ${sql.unsafe(`"public"."${TABLE}"`)}`,
    ]);
    const after = await endpointStats();
    expect(inserted).toEqual([{ id: 1 }, { id: 2 }]);
    expect(counted).toEqual([{ n: 2 }]);
    expect(after.requests - before.requests).toBe(1);
    expect(after.queries - before.queries).toBe(2);
    expect(await written()).toEqual([
      { id: 1, label: "one" },
      { id: 2, label: "two" },
    ]);
    await wsSql(`DELETE FROM "public"."${TABLE}"`);
  });

  it("rolls the whole batch back when a later statement fails, and reports the unique violation", async () => {
    const sql = httpSql(config());
    const table = sql.unsafe(`"public"."${TABLE}"`);
    const error = await failure(
      sql.transaction([
        sql`INSERT INTO ${table} (id, label) VALUES (10, 'kept?')`,
        sql`UPDATE ${table} SET label = 'changed' WHERE id = 10`,
        sql`INSERT INTO ${table} (id, label) VALUES (11, 'changed')`,
      ]),
    );
    expect(error.code).toBe("23505");
    expect(error.constraint).toBe(`${TABLE}_label_key`);
    expect(error.detail).toContain("(label)=(changed)");
    expect(error.severity).toBe("ERROR");
    expect(await written()).toEqual([]);
  });

  it("refuses a write in a read-only batch and writes nothing", async () => {
    const sql = httpSql(config());
    const table = sql.unsafe(`"public"."${TABLE}"`);
    const error = await failure(sql.transaction([sql`INSERT INTO ${table} (id, label) VALUES (20, 'ro')`], { readOnly: true }));
    expect(error.code).toBe("25006");
    expect(await written()).toEqual([]);
  });

  it("applies the isolation level, read-only and deferrable options to the batch", async () => {
    const sql = httpSql(config());
    const [[iso], [ro], [def]] = await sql.transaction(
      [
        sql`SELECT current_setting('transaction_isolation') AS v`,
        sql`SELECT current_setting('transaction_read_only') AS v`,
        sql`SELECT current_setting('transaction_deferrable') AS v`,
      ],
      { isolationLevel: "Serializable", readOnly: true, deferrable: true },
    );
    expect([iso!.v, ro!.v, def!.v]).toEqual(["serializable", "on", "on"]);
    const [[plain]] = await sql.transaction([sql`SELECT current_setting('transaction_read_only') AS v`]);
    expect(plain!.v).toBe("off");
  });

  it("never hands on a backend that a single query left inside a transaction", async () => {
    const sql = httpSql(config());
    await sql.query("BEGIN");
    await sql.query(`INSERT INTO "public"."${TABLE}" (id, label) VALUES (30, 'autocommitted')`);
    expect(await written()).toEqual([{ id: 30, label: "autocommitted" }]);
    await wsSql(`DELETE FROM "public"."${TABLE}"`);
  });
});

describe("SQL over HTTP: errors", () => {
  it("reports a syntax error with its SQLSTATE and position", async () => {
    const error = await failure(httpSql(config()).query("SELECT 1 FROM WHERE"));
    expect(error.code).toBe("42601");
    expect(error.position).toBe("15");
    expect(error.message).toContain("syntax error");
  });

  it("refuses several statements in one query, as Neon does", async () => {
    const error = await failure(httpSql(config()).query(`SELECT 1; DELETE FROM "public"."${TABLE}"`));
    expect(error.code).toBe("42601");
    expect(error.message).toContain("multiple commands");
  });

  it("reports a data error from a bind parameter with its SQLSTATE", async () => {
    const error = await failure(httpSql(config()).query("SELECT $1::int AS n", ["not a number"]));
    expect(error.code).toBe("22P02");
  });

  it("refuses a connection string naming a database it does not serve", async () => {
    const url = new URL(env.DATABASE_URL!);
    url.hostname = "10.255.255.1";
    const error = await httpSql({ databaseUrl: url.toString(), httpEndpoint: env.DB_HTTP_ENDPOINT })
      .query("SELECT 1")
      .then(
        () => expect.unreachable("the query should fail"),
        (e: unknown) => e as Error,
      );
    // No SQLSTATE: the app treats it as the database being unreachable (503), keeping the endpoint's reason.
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error.cause as Error).message).toContain("not served by this endpoint");
  });
});

describe("SQL over HTTP: concurrency and drizzle", () => {
  it("answers parallel requests, each with its own parameters, over the pooled backends", async () => {
    const sql = httpSql(config());
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => sql`SELECT ${i}::int AS i, pg_sleep(0.01)::text AS _`));
    expect(answers.map((rows) => rows[0]!.i)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const stats = await endpointStats();
    expect(stats.open).toBeGreaterThanOrEqual(1);
    expect(stats.open).toBeLessThanOrEqual(env.EMBEDDED_DB === "1" ? 1 : 4);
  });

  it("runs drizzle neon-http queries and db.batch as one transaction, rolled back on error", async () => {
    const db = httpDrizzle(config());
    const [first, found] = await db.batch([
      db.insert(probes).values({ id: 40, label: "drizzle" }).returning({ id: probes.id }),
      db.select({ label: probes.label }).from(probes).where(eq(probes.id, 40)),
    ]);
    expect(first).toEqual([{ id: 40 }]);
    expect(found).toEqual([{ label: "drizzle" }]);
    const [{ n }] = (await db.execute<{ n: number }>(dsql`SELECT count(*)::int AS n FROM ${probes}`)).rows as [{ n: number }];
    expect(n).toBe(1);

    const error = await failure(
      db.batch([
        db.update(probes).set({ label: "renamed" }).where(eq(probes.id, 40)),
        db.insert(probes).values({ id: 40, label: "duplicate id" }),
      ]),
    );
    expect(error.code).toBe("23505");
    expect(await written()).toEqual([{ id: 40, label: "drizzle" }]);
    await db.delete(probes);
    expect(await written()).toEqual([]);
  });
});

describe("simulated distance", () => {
  const setRtt = async (ms: number) => {
    await fetch(`${origin()}/control/rtt?ms=${ms}`, { method: "POST" });
    await fetch(`http://${env.DB_PROXY}/control/rtt?ms=${ms}`, { method: "POST" });
  };

  it("delays an HTTP query once and every WebSocket round trip, by DB_RTT_MS", async () => {
    const sql = httpSql(config());
    await sql`SELECT 1`; // warm the pooled backend
    await setRtt(60);
    try {
      let t0 = performance.now();
      await sql`SELECT 1`;
      const http = performance.now() - t0;
      t0 = performance.now();
      await withDb((c) => c.query("SELECT 1"));
      const ws = performance.now() - t0;
      expect(http).toBeGreaterThanOrEqual(55);
      expect(http).toBeLessThan(2 * 60 + 40);
      // The upgrade, the start-up and the query each wait one round trip.
      expect(ws).toBeGreaterThanOrEqual(3 * 55);
    } finally {
      await setRtt(0);
    }
    const t0 = performance.now();
    await sql`SELECT 1`;
    expect(performance.now() - t0).toBeLessThan(55);
  });
});
