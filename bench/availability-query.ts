/**
 * The availability statement itself (src/bookings/slot-input.service.ts), measured
 * in Postgres: `measureAvailabilityQuery(databaseUrl)` provisions a tenant
 * holding 20,000 bookings, warms one backend, and reports
 * - the execution time Postgres reports (`EXPLAIN (ANALYZE, FORMAT JSON)`,
 *   median of 20) of the load for 20 staff × 7 days, and for 100 staff × 31 days;
 * - the size of the result for 100 staff × 31 days: the row as Postgres sends
 *   it (text of its columns) and the body of the SQL-over-HTTP answer.
 *
 * The tenant (Europe/Paris): 100 active staff working Mon–Sat 09:00–13:00 and
 * 14:00–19:00; service "Coupe" (30 min, 5 + 5 min buffers) performed by 20 of
 * them, service "Consultation" (30 min) by all 100. The 20 staff hold 1,000
 * bookings each (20,000 in all, ~3% cancelled): 8 a working day from 60 days
 * ago to ~86 days ahead, so every measured window is fully booked; each of
 * them also has a half-day of time off every other week.
 *
 * Run directly: `node --import tsx bench/availability-query.ts [databaseUrl]`
 * (default BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/bookme_bench).
 */
import "../infra/node-driver";
import { eq, type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { Temporal } from "temporal-polyfill";
import { pathToFileURL } from "node:url";
import { startLocalDatabase } from "../infra/local-database";
import { availabilityStatement } from "../src/bookings/slot-input.service";
import { type DbConfig, rowsOf, toDrizzle, withClient } from "../src/db/client";
import { migrateShared } from "../src/db/migrations/migrator";
import { tenants } from "../src/db/schema/public";
import { tenantTables } from "../src/db/schema/tenant";
import type { TenantContext } from "../src/domain/tenant";
import { provisionTenant } from "../src/tenancy/provision";

const SLUG = "bench-availability-query";
const DOMAIN = "bench-availability-query.bookme.test";
const ZONE = "Europe/Paris";
const STAFF = 100;
const BUSY_STAFF = 20;
const BOOKINGS_PER_BUSY_STAFF = 1000;
const PER_DAY = 8;
const FIRST_DAY_OFFSET = -60;
const RUNS = 20;

export interface AvailabilityQueryNumbers {
  /** Bookings the tenant holds. */
  bookings: number;
  /** Median `Execution Time` (ms) of the load for 20 staff × 7 days, warm backend. */
  executionMs20x7: number;
  /** Median planning time (ms) of the same statement. */
  planningMs20x7: number;
  /** Median `Execution Time` (ms) of the load for 100 staff × 31 days. */
  executionMs100x31: number;
  /** Bytes of the result row as Postgres sends it (text of each column), 100 staff × 31 days. */
  resultBytes100x31: number;
  /** Bytes of the SQL-over-HTTP answer's body carrying that row. */
  httpBodyBytes100x31: number;
  /** Busy blocks (bookings and time off) in that result. */
  busyBlocks100x31: number;
}

function localDate(offsetDays: number): string {
  return Temporal.Now.plainDateISO(ZONE).add({ days: offsetDays }).toString();
}

function instant(date: Temporal.PlainDate, minute: number): Date {
  return new Date(
    date.toPlainDateTime({ hour: Math.floor(minute / 60), minute: minute % 60 }).toZonedDateTime(ZONE, { disambiguation: "compatible" })
      .epochMilliseconds,
  );
}

/** Drops a previous run's tenant and provisions a fresh one with the catalogue and bookings above. */
async function provision(db: DbConfig): Promise<{ tenant: TenantContext; coupe: string; consultation: string; bookings: number }> {
  return withClient(db, async (c) => {
    const d = toDrizzle(c);
    const [old] = await d.select({ schemaName: tenants.schemaName }).from(tenants).where(eq(tenants.slug, SLUG));
    if (old) {
      await d.execute(sql`DROP SCHEMA IF EXISTS ${sql.identifier(old.schemaName)} CASCADE`);
      await d.delete(tenants).where(eq(tenants.slug, SLUG));
    }
    const tenant = await provisionTenant(
      c,
      { slug: SLUG, name: "Bench availability query", domain: DOMAIN, contactEmail: "bench@bookme.test", timeZone: ZONE },
      "bench",
    );
    const t = tenantTables(tenant.schemaName);
    const [coupe, consultation] = await d
      .insert(t.services)
      .values([
        { name: "Coupe", durationMin: 30, bufferBeforeMin: 5, bufferAfterMin: 5, priceMinor: 15000 },
        { name: "Consultation", durationMin: 30, priceMinor: 20000 },
      ])
      .returning({ id: t.services.id });
    const staff = await d
      .insert(t.staff)
      .values(Array.from({ length: STAFF }, (_, i) => ({ displayName: `Staff ${String(i + 1).padStart(3, "0")}` })))
      .returning({ id: t.staff.id });
    await d
      .insert(t.serviceStaff)
      .values([
        ...staff.slice(0, BUSY_STAFF).map((s) => ({ serviceId: coupe!.id, staffId: s.id })),
        ...staff.map((s) => ({ serviceId: consultation!.id, staffId: s.id })),
      ]);
    await d.insert(t.staffAvailability).values(
      staff.flatMap((s) =>
        [1, 2, 3, 4, 5, 6].flatMap((weekday) => [
          { staffId: s.id, kind: "weekly" as const, weekday, startTime: "09:00", endTime: "13:00" },
          { staffId: s.id, kind: "weekly" as const, weekday, startTime: "14:00", endTime: "19:00" },
        ]),
      ),
    );

    // 8 bookings a working day: 40-minute blocked periods (5 + 30 + 5), never overlapping.
    const starts = [9 * 60 + 5, 9 * 60 + 50, 10 * 60 + 35, 11 * 60 + 20, 14 * 60 + 5, 14 * 60 + 50, 15 * 60 + 35, 16 * 60 + 20];
    const today = Temporal.Now.plainDateISO(ZONE);
    const rows: (typeof t.bookings.$inferInsert)[] = [];
    const timeOff: (typeof t.staffAvailability.$inferInsert)[] = [];
    staff.slice(0, BUSY_STAFF).forEach((s, si) => {
      let made = 0;
      for (let day = FIRST_DAY_OFFSET; made < BOOKINGS_PER_BUSY_STAFF; day++) {
        const date = today.add({ days: day });
        if (date.dayOfWeek === 7) continue;
        if ((day + si) % 14 === 0) {
          // Half a day off every other week: the afternoon has no bookings.
          timeOff.push({ staffId: s.id, kind: "time_off", startsAt: instant(date, 14 * 60), endsAt: instant(date, 19 * 60) });
        }
        for (let k = 0; k < PER_DAY && made < BOOKINGS_PER_BUSY_STAFF; k++) {
          if ((day + si) % 14 === 0 && starts[k]! >= 14 * 60) continue;
          const start = starts[k]! + ((si + day) % 3) * 5;
          const id = crypto.randomUUID();
          rows.push({
            id,
            serviceId: coupe!.id,
            staffId: s.id,
            contactName: `Client ${made}`,
            startsAt: instant(date, start),
            endsAt: instant(date, start + 30),
            blockedFrom: instant(date, start - 5),
            blockedUntil: instant(date, start + 35),
            sessionKey: id,
            status: (made * 7 + si) % 33 === 0 ? "cancelled" : "confirmed",
            priceMinor: 15000,
            currency: "MAD",
          });
          made++;
        }
      }
    });
    for (let k = 0; k < rows.length; k += 2000) await d.insert(t.bookings).values(rows.slice(k, k + 2000));
    if (timeOff.length) await d.insert(t.staffAvailability).values(timeOff);
    await d.execute(sql`ANALYZE ${t.bookings}`);
    await d.execute(sql`ANALYZE ${t.staffAvailability}`);
    return { tenant, coupe: coupe!.id, consultation: consultation!.id, bookings: rows.length };
  });
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Median execution and planning time (ms) of `statement` over RUNS runs, after warming the backend. */
async function explainMedian(d: ReturnType<typeof toDrizzle>, statement: SQL): Promise<{ execution: number; planning: number }> {
  const explain = sql`EXPLAIN (ANALYZE, FORMAT JSON) ${statement}`;
  for (let i = 0; i < 5; i++) await d.execute(explain); // warm: catalog caches, buffers, plan
  const execution: number[] = [];
  const planning: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const [row] = await rowsOf<{ "QUERY PLAN": [{ "Execution Time": number; "Planning Time": number }] }>(d, explain);
    execution.push(row!["QUERY PLAN"][0]["Execution Time"]);
    planning.push(row!["QUERY PLAN"][0]["Planning Time"]);
  }
  return { execution: median(execution), planning: median(planning) };
}

export async function measureAvailabilityQuery(databaseUrl: string): Promise<AvailabilityQueryNumbers> {
  const local = await startLocalDatabase({ databaseUrl, rttMs: 0 });
  try {
    // The database is created when missing (as bench/bench-env.ts does).
    const name = new URL(databaseUrl).pathname.slice(1);
    const maintenance = new URL(local.databaseUrl);
    maintenance.pathname = "/postgres";
    await withClient({ databaseUrl: maintenance.toString(), proxy: local.proxyAddress }, async (c) => {
      const d = toDrizzle(c);
      const found = await rowsOf(d, sql`SELECT 1 FROM pg_database WHERE datname = ${name}`);
      if (!found.length) await d.execute(sql`CREATE DATABASE ${sql.identifier(name)}`);
    });
    const db: DbConfig = { databaseUrl: local.databaseUrl, proxy: local.proxyAddress, httpEndpoint: local.httpEndpoint };
    await withClient(db, (c) => migrateShared(c));
    const { tenant, coupe, consultation, bookings } = await provision(db);
    const week = availabilityStatement(tenant, { serviceId: coupe, from: localDate(1), to: localDate(7) });
    const month = availabilityStatement(tenant, { serviceId: consultation, from: localDate(1), to: localDate(31) });

    const { w, m, resultBytes, busyBlocks } = await withClient(db, async (c) => {
      const d = toDrizzle(c);
      const w = await explainMedian(d, week.query);
      const m = await explainMedian(d, month.query);
      const [size] = await rowsOf<{ bytes: number }>(
        d,
        sql`SELECT (coalesce(octet_length(q.settings::text), 0) + coalesce(octet_length(q.service::text), 0)
                  + coalesce(octet_length(q.staff::text), 0) + coalesce(octet_length(q.resources::text), 0)
                  + coalesce(octet_length(q.idempotent::text), 0))::int AS bytes
              FROM (${month.query}) q`,
      );
      const [row] = await rowsOf<unknown>(d, month.query);
      const input = month.decode(row);
      const busyBlocks = input.staff.reduce((n, s) => n + s.busy.length, 0);
      return { w, m, resultBytes: size!.bytes, busyBlocks };
    });

    // The same row as the SQL-over-HTTP endpoint answers it (what a Worker downloads).
    const query = new PgDialect().sqlToQuery(month.query);
    const res = await fetch(local.httpEndpoint, {
      method: "POST",
      headers: { "content-type": "application/json", "neon-connection-string": local.databaseUrl, "neon-array-mode": "true" },
      body: JSON.stringify({ query: query.sql, params: query.params }),
    });
    const body = await res.text();
    if (!res.ok) throw new Error(`HTTP endpoint answered ${res.status}: ${body.slice(0, 200)}`);

    return {
      bookings,
      executionMs20x7: w.execution,
      planningMs20x7: w.planning,
      executionMs100x31: m.execution,
      resultBytes100x31: resultBytes,
      httpBodyBytes100x31: Buffer.byteLength(body),
      busyBlocks100x31: busyBlocks,
    };
  } finally {
    await local.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = process.argv[2] ?? process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/bookme_bench";
  const n = await measureAvailabilityQuery(url);
  console.log(`tenant: ${n.bookings} bookings, ${STAFF} staff (${BUSY_STAFF} of them booked)`);
  console.log(
    `20 staff × 7 days: execution ${n.executionMs20x7.toFixed(2)} ms (median of ${RUNS}), planning ${n.planningMs20x7.toFixed(2)} ms`,
  );
  console.log(`100 staff × 31 days: execution ${n.executionMs100x31.toFixed(2)} ms (median of ${RUNS})`);
  console.log(
    `100 staff × 31 days result: ${(n.resultBytes100x31 / 1024).toFixed(1)} KiB as Postgres sends it, ${(n.httpBodyBytes100x31 / 1024).toFixed(1)} KiB HTTP body, ${n.busyBlocks100x31} busy blocks`,
  );
}
