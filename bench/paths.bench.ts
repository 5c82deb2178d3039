/**
 * Issue 11's table: the old data path (DB_QUERY_PATH=websocket: a WebSocket
 * opened per request, one-shot statements over it) against the new one
 * (DB_QUERY_PATH=http: one HTTP request per statement or batch, pooled warm
 * backends), both through `wrangler dev` on the local Postgres, at 0 ms and
 * 35 ms simulated round-trip time and at concurrency 1 and 8.
 *
 * Requests: /health, the bare `select 1` of each path (src/system/baseline.routes.ts,
 * no tenant lookup), a tenant-resolved one-query request (GET
 * /api/public/categories, tenant from KV), availability (7 days, any staff, 20
 * staff, 2,000 bookings in the tenant), booking creation and the booking page
 * (the time step, `/?service=…&staff=any`). Database round trips per request
 * are counted at the WebSocket proxy (upgrades and flights) and at the HTTP
 * endpoint (requests), not estimated. Ratios are requests/s against the bare
 * `select 1` of the same path in the same cell.
 *
 * Both workers run at once and each measurement is taken in four parts with the
 * paths alternating, so a noisy neighbour on the machine hits both alike.
 */
import { sql } from "drizzle-orm";
import { toDrizzle, withClient, type DbConfig } from "../src/db/client";
import { tenantTables } from "../src/db/schema/tenant";
import { seedDemoCatalogue } from "../src/demo/seed";
import { provisionTenant } from "../src/tenancy/provision";
import type { WranglerDev } from "../infra/wrangler-dev";
import { freshBenchDomain, openBenchDatabase, startBenchWorker, type BenchDatabase } from "./bench-env";
import { request, type SimpleResponse } from "./http";
import { percentile } from "./stats";

const SLUG = "bench-paths";
const SCHEMA = "tenant_bench_paths";
const DOMAIN = freshBenchDomain("bench-paths");
const EXTRA_STAFF = 18; // the demo catalogue has 2: 20 staff in all
const SEEDED_BOOKINGS_DAYS = 100; // one booking per staff member per day, days -50..49: 2,000 bookings
const RTTS = [0, 35];
const CONCURRENCY = [1, 8];
/** Requests per measurement: [rtt 0, rtt 35] × [concurrency 1, concurrency 8]. */
const N = { 0: { 1: 60, 8: 160 }, 35: { 1: 20, 8: 64 } } as Record<number, Record<number, number>>;

type Mode = "old" | "new";
const MODES: Mode[] = ["old", "new"];

interface Kind {
  key: string;
  label: string;
  /** Only on these paths (the WebSocket baseline is the same route on both). */
  modes?: Mode[];
  booking?: boolean;
  send(base: string, i: number): Promise<SimpleResponse>;
}

function localDate(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

async function cleanup(db: DbConfig): Promise<void> {
  await withClient(db, async (c) => {
    const d = toDrizzle(c);
    await d.execute(sql`drop schema if exists ${sql.identifier(SCHEMA)} cascade`);
    await d.execute(sql`delete from tenants where slug = ${SLUG}`);
  });
}

/** The tenant: demo catalogue, 20 staff on "Coupe femme", 2,000 bookings around today. */
async function seed(bench: BenchDatabase): Promise<{ serviceId: string; staffIds: string[]; bookings: number }> {
  return withClient(bench.db, async (c) => {
    const tenant = await provisionTenant(
      c,
      { slug: SLUG, name: "Bench Paths", domain: DOMAIN, contactEmail: "bench@bookme.test" },
      "bench",
    );
    if (tenant.schemaName !== SCHEMA) throw new Error(`unexpected schema ${tenant.schemaName}`);
    await seedDemoCatalogue(c, tenant);
    const t = tenantTables(tenant.schemaName);
    const db = toDrizzle(c);
    const [service] = await db
      .select({ id: t.services.id, priceMinor: t.services.priceMinor, currency: t.services.currency })
      .from(t.services)
      .where(sql`${t.services.name} = ${"Coupe femme"}`);
    const extra = await db
      .insert(t.staff)
      .values(Array.from({ length: EXTRA_STAFF }, (_, i) => ({ displayName: `Staff ${i + 3}` })))
      .returning({ id: t.staff.id });
    await db.insert(t.serviceStaff).values(extra.map((s) => ({ serviceId: service.id, staffId: s.id })));
    await db.insert(t.staffAvailability).values(
      extra.flatMap((s) =>
        [1, 2, 3, 4, 5, 6].flatMap((weekday) => [
          { staffId: s.id, kind: "weekly" as const, weekday, startTime: "09:00", endTime: "13:00" },
          { staffId: s.id, kind: "weekly" as const, weekday, startTime: "14:00", endTime: "19:00" },
        ]),
      ),
    );
    const staff = await db
      .select({ id: t.serviceStaff.staffId })
      .from(t.serviceStaff)
      .where(sql`${t.serviceStaff.serviceId} = ${service.id}`);
    const today = Date.parse(`${localDate(0)}T10:00:00Z`);
    const rows = staff.flatMap((s, k) =>
      Array.from({ length: SEEDED_BOOKINGS_DAYS }, (_, d) => {
        const id = crypto.randomUUID();
        const start = new Date(today + (d - SEEDED_BOOKINGS_DAYS / 2) * 86_400_000 + (k % 4) * 3_600_000);
        const end = new Date(start.getTime() + 45 * 60_000);
        const blockedUntil = new Date(end.getTime() + 15 * 60_000);
        return {
          id,
          serviceId: service.id,
          staffId: s.id,
          contactName: `Seeded ${k}-${d}`,
          contactEmail: `seeded-${k}-${d}@bench.bookme.test`,
          contactLocale: "fr",
          startsAt: start,
          endsAt: end,
          blockedFrom: start,
          blockedUntil,
          sessionKey: id,
          status: "confirmed" as const,
          priceMinor: service.priceMinor,
          currency: service.currency,
        };
      }),
    );
    for (let i = 0; i < rows.length; i += 500) await db.insert(t.bookings).values(rows.slice(i, i + 500));
    return { serviceId: service.id, staffIds: staff.map((s) => s.id), bookings: rows.length };
  });
}

const progress = (line: string) => console.log(`[bench] paths: ${line}`);
const settle = () => new Promise((r) => setTimeout(r, 300));

interface Cost {
  status: number;
  connections: number;
  flights: number;
  http: number;
}

interface Measured {
  n: number;
  rps: number;
  p50: number;
  p99: number;
  statuses: Record<number, number>;
  ok: boolean;
}

interface Sample {
  latencies: number[];
  seconds: number;
  statuses: Record<number, number>;
}

async function sample(n: number, concurrency: number, send: (i: number) => Promise<SimpleResponse>, into?: Sample): Promise<Sample> {
  const out = into ?? { latencies: [], seconds: 0, statuses: {} };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t0 = performance.now();
        let status = 0;
        try {
          status = (await send(i)).status;
        } catch {
          status = 0;
        }
        out.latencies.push(performance.now() - t0);
        out.statuses[status] = (out.statuses[status] ?? 0) + 1;
      }
    }),
  );
  out.seconds += (performance.now() - started) / 1000;
  return out;
}

function summary(s: Sample): Measured {
  const n = s.latencies.length;
  const ok = Object.keys(s.statuses).every((k) => Number(k) >= 200 && Number(k) < 300);
  return { n, rps: n / s.seconds, p50: percentile(s.latencies, 50), p99: percentile(s.latencies, 99), statuses: s.statuses, ok };
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const statusText = (s: Record<number, number>) =>
  Object.entries(s)
    .map(([k, v]) => `${k}×${v}`)
    .join(" ");

export async function run(): Promise<string> {
  const startedAt = Date.now();
  const bench = await openBenchDatabase();
  const workers: Partial<Record<Mode, WranglerDev>> = {};
  try {
    await cleanup(bench.db);
    const { serviceId, staffIds, bookings } = await seed(bench);
    progress(`seeded ${bookings} bookings; starting both workers`);
    const [oldWorker, newWorker] = await Promise.all([
      startBenchWorker(bench, 0, { DB_QUERY_PATH: "websocket", BENCH_BASELINES: "on" }),
      startBenchWorker(bench, 1, { DB_QUERY_PATH: "http", BENCH_BASELINES: "on" }),
    ]);
    workers.old = oldWorker;
    workers.new = newWorker;
    const base: Record<Mode, string> = { old: oldWorker.url, new: newWorker.url };
    for (const mode of MODES) {
      const res = await request(base[mode], DOMAIN, "/api/tenant"); // puts the host in this worker's KV
      if (res.status !== 200) throw new Error(`${mode}: /api/tenant answered ${res.status} ${res.body.slice(0, 300)}`);
    }

    // Slots for booking creation: 31 days of availability of each staff member (an
    // any-staff answer offers one staff member per time), keeping per staff member only
    // slots that cannot collide (each starts after the previous one's end plus the buffer).
    const slots: { start: string; end: string; staff_id: string }[] = [];
    for (const staffId of staffIds) {
      const res = await request(
        base.new,
        DOMAIN,
        `/api/public/availability?service_id=${serviceId}&staff_id=${staffId}&from=${localDate(1)}&to=${localDate(31)}`,
      );
      if (res.status !== 200) continue;
      let lastEnd = 0;
      for (const slot of (JSON.parse(res.body) as { slots: typeof slots }).slots) {
        const start = Date.parse(slot.start);
        if (start < lastEnd) continue;
        lastEnd = Date.parse(slot.end) + 15 * 60_000;
        slots.push({ ...slot, staff_id: slot.staff_id ?? staffId });
      }
    }
    // Spread consecutive creations over staff and days.
    slots.sort((a, b) => (a.start.slice(11) + a.start + a.staff_id).localeCompare(b.start.slice(11) + b.start + b.staff_id));
    let nextSlot = 0;
    const run_ = Date.now().toString(36);

    const week = `/api/public/availability?service_id=${serviceId}&from=${localDate(1)}&to=${localDate(7)}`;
    const html = { accept: "text/html", "accept-language": "fr" };
    const kinds: Kind[] = [
      { key: "health", label: "`GET /health` (no tenant, no database)", send: (b) => request(b, DOMAIN, "/health") },
      {
        key: "bare",
        label: "bare `select 1` on the request's query handle (`/ops/baseline/http`)",
        send: (b) => request(b, DOMAIN, "/ops/baseline/http"),
      },
      {
        key: "bare-ws",
        label: "bare `select 1` over a per-request WebSocket (`/ops/baseline/websocket`)",
        modes: ["new"],
        send: (b) => request(b, DOMAIN, "/ops/baseline/websocket"),
      },
      {
        key: "tenant",
        label: "tenant-resolved one-query request (`GET /api/public/categories`, tenant from KV)",
        send: (b) => request(b, DOMAIN, "/api/public/categories"),
      },
      {
        key: "availability",
        label: "availability, 7 days, any staff (20 staff, 2,000 bookings)",
        send: (b) => request(b, DOMAIN, week),
      },
      {
        key: "booking",
        label: "booking creation (`POST /api/public/bookings`)",
        booking: true,
        send: (b) => {
          const i = nextSlot++;
          const slot = slots[i];
          if (!slot) return Promise.resolve({ status: 599, body: "out of bench slots" });
          return request(b, DOMAIN, "/api/public/bookings", {
            method: "POST",
            // One simulated client per booking: the per-address limit is not what this measures.
            headers: { "idempotency-key": `bench-${run_}-${i}`, "cf-connecting-ip": `2001:db8:${i.toString(16)}::1` },
            body: JSON.stringify({
              service_id: serviceId,
              staff_id: slot.staff_id,
              start: slot.start,
              customer: { name: `Client ${i}`, email: `client${run_}${i}@bench.bookme.test`, locale: "fr" },
            }),
          });
        },
      },
      {
        key: "page",
        label: "booking page, time step (`/?service=…&staff=any`, 14 days)",
        send: (b) => request(b, DOMAIN, `/?service=${serviceId}&staff=any`, { headers: html }),
      },
    ];
    const kindsOf = (mode: Mode) => kinds.filter((k) => !k.modes || k.modes.includes(mode));

    progress(`${slots.length} slots for booking creation; counting round trips`);
    // Round trips per request, counted at 0 ms RTT.
    const costs: Record<Mode, Record<string, Cost>> = { old: {}, new: {} };
    bench.local.setRttMs(0);
    for (const mode of MODES) {
      for (const kind of kindsOf(mode)) {
        await kind.send(base[mode], 0); // warm: first-use costs of the isolate are not the request's
        await settle();
        bench.local.proxy.reset();
        bench.local.http.reset();
        const res = await kind.send(base[mode], 0);
        await settle();
        const ws = bench.local.proxy.stats();
        const http = bench.local.http.stats();
        costs[mode][kind.key] = { status: res.status, connections: ws.connections, flights: ws.flights, http: http.requests };
      }
    }

    // Throughput and latency.
    const results: Record<string, Measured> = {};
    const cell = (mode: Mode, rtt: number, c: number, key: string) => `${mode}/${rtt}/${c}/${key}`;
    for (const rtt of RTTS) {
      bench.local.setRttMs(rtt);
      for (const c of CONCURRENCY) {
        progress(`${rtt} ms RTT, concurrency ${c}`);
        for (const kind of kinds) {
          const modes = MODES.filter((m) => !kind.modes || kind.modes.includes(m));
          const n = N[rtt][c];
          const samples = new Map<Mode, Sample>();
          for (const mode of modes) await sample(kind.booking ? 2 : Math.min(2 * c, 8), c, (i) => kind.send(base[mode], i)); // warm-up
          // Four parts, alternating the paths, so a burst of load from elsewhere hits both alike.
          for (const part of [0, 1, 2, 3]) {
            for (const mode of part % 2 ? [...modes].reverse() : modes) {
              samples.set(mode, await sample(n / 4, c, (i) => kind.send(base[mode], i), samples.get(mode)));
            }
          }
          for (const [mode, s] of samples) results[cell(mode, rtt, c, kind.key)] = summary(s);
        }
      }
    }
    bench.local.setRttMs(0);

    // Report.
    const out: string[] = [
      "## Data paths: old (WebSocket per request) against new (HTTP), issue 11",
      "",
      `Both through \`wrangler dev\` (minified bundle) on the local Postgres; tenant with 20 staff on the service and ${bookings.toLocaleString("en")} bookings; ` +
        "old = `DB_QUERY_PATH=websocket` (one-shot statements over a WebSocket opened per request), new = `DB_QUERY_PATH=http` (default). " +
        "Simulated round-trip time is added by the WebSocket proxy (to the upgrade and each flight) and by the HTTP endpoint (to each request). " +
        `Each measurement is four parts with the paths alternating (old, new, new, old, …); ${slots.length} non-colliding slots were available for booking creation. Bench section took ${((Date.now() - startedAt) / 1000).toFixed(0)} s.`,
      "",
      "### Database round trips per request (counted at 0 ms RTT)",
      "",
      "Counted at the WebSocket proxy (upgrades = connections opened, flights = client→server bursts: start-up/auth and each query) and at the HTTP SQL endpoint (requests); round trips = upgrades + flights + HTTP requests.",
      "",
      "| request | old: WS upgrades / flights / HTTP | old round trips | new: WS upgrades / flights / HTTP | new round trips |",
      "| --- | ---: | ---: | ---: | ---: |",
    ];
    for (const kind of kinds) {
      const col = (mode: Mode) => {
        const k = costs[mode][kind.key];
        if (!k) return ["—", "—"];
        const bad = k.status < 200 || k.status >= 300 ? ` (status ${k.status})` : "";
        return [`${k.connections} / ${k.flights} / ${k.http}${bad}`, String(k.connections + k.flights + k.http)];
      };
      out.push(`| ${kind.label} | ${col("old").join(" | ")} | ${col("new").join(" | ")} |`);
    }
    out.push("");

    const goals: string[] = [];
    for (const rtt of RTTS) {
      for (const c of CONCURRENCY) {
        out.push(
          `### ${rtt} ms simulated RTT, concurrency ${c}`,
          "",
          "× bare = requests/s ÷ requests/s of the bare `select 1` of the same path in this cell (the goals' measure); " +
            "p50 × bare = bare `select 1` p50 ÷ this p50 (less sensitive to bursts of load from elsewhere on the machine).",
          "",
          "| request | path | n | req/s | p50 ms | p99 ms | × bare | p50 × bare | statuses |",
          "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        );
        for (const kind of kinds) {
          for (const mode of MODES) {
            const r = results[cell(mode, rtt, c, kind.key)];
            if (!r) continue;
            const bare = results[cell(mode, rtt, c, "bare")];
            const related = bare && kind.key !== "bare" && kind.key !== "health";
            const ratio = related ? `${(r.rps / bare.rps).toFixed(2)}×` : "";
            const p50Ratio = related ? `${(bare.p50 / r.p50).toFixed(2)}×` : "";
            const flag = r.ok ? "" : " ⚠";
            out.push(
              `| ${kind.label} | ${mode} | ${r.n} | ${r.rps.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ratio} | ${p50Ratio} | ${statusText(r.statuses)}${flag} |`,
            );
          }
        }
        out.push("");
        for (const mode of MODES) {
          const bare = results[cell(mode, rtt, c, "bare")];
          for (const [key, goal] of [
            ["tenant", 0.9],
            ["availability", 0.7],
            ["booking", 0.6],
          ] as const) {
            const r = results[cell(mode, rtt, c, key)];
            if (!r || !bare) continue;
            const ratio = r.rps / bare.rps;
            goals.push(
              `| ${key} ≥ ${goal}× bare \`select 1\` | ${mode} | ${rtt} ms | ${c} | ${ratio.toFixed(2)}×${r.ok ? "" : " (errors)"} | ${(bare.p50 / r.p50).toFixed(2)}× | ${ratio >= goal && r.ok ? "met" : "not met"} |`,
            );
          }
        }
      }
    }
    for (const mode of MODES) {
      const r = results[cell(mode, 35, 1, "availability")];
      if (r)
        goals.push(
          `| availability p50 < 60 ms at 35 ms RTT | ${mode} | 35 ms | 1 | ${ms(r.p50)} ms | | ${r.p50 < 60 && r.ok ? "met" : "not met"} |`,
        );
      for (const [key, want] of [
        ["availability", 1],
        ["booking", 1],
      ] as const) {
        const k = costs[mode][key];
        if (!k) continue;
        const trips = k.connections + k.flights + k.http;
        goals.push(`| ${key}: ${want} round trip | ${mode} | 0 ms | 1 | ${trips} | | ${trips === want ? "met" : "not met"} |`);
      }
    }
    out.push(
      "### Issue 11 goals",
      "",
      "| goal | path | RTT | concurrency | measured | p50 × bare | |",
      "| --- | --- | --- | ---: | ---: | ---: | --- |",
      ...goals,
      "",
    );
    return out.join("\n");
  } finally {
    await Promise.all(Object.values(workers).map((w) => w?.stop()));
    await cleanup(bench.db).catch(() => {});
    await bench.stop();
  }
}
