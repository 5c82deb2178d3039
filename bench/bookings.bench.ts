/**
 * Booking engine through `wrangler dev` on real Postgres: database round trips
 * of the public availability call and of booking creation (counted at the
 * WebSocket proxy and the HTTP endpoint), and requests/s of each under load, next to /health in the same run.
 */
import { withClient } from "../src/db/client";
import { tenantTables } from "../src/db/schema/tenant";
import { toDrizzle } from "../src/db/client";
import { seedDemoCatalogue } from "../src/demo/seed";
import { quoteSchema } from "../src/tenancy/naming";
import { provisionTenant } from "../src/tenancy/provision";
import { freshBenchDomain, openBenchDatabase, startBenchWorker } from "./bench-env";
import { request } from "./http";
import { fmt, load } from "./stats";

const SLUG = "bench-bookings";
const SCHEMA = "tenant_bench_bookings";
const DOMAIN = freshBenchDomain("bench-bookings");
const EXTRA_STAFF = 18; // demo catalogue has 2: 20 staff in all

function localDate(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

async function cleanup(db: Parameters<typeof withClient>[0]) {
  await withClient(db, async (c) => {
    await c.query(`DROP SCHEMA IF EXISTS ${quoteSchema(SCHEMA)} CASCADE`);
    await c.query(`DELETE FROM tenants WHERE slug = $1`, [SLUG]);
  });
}

export async function run(): Promise<string> {
  const bench = await openBenchDatabase();
  await cleanup(bench.db);
  const serviceId = await withClient(bench.db, async (c) => {
    const tenant = await provisionTenant(
      c,
      { slug: SLUG, name: "Bench Bookings", domain: DOMAIN, contactEmail: "bench@bookme.test" },
      "bench",
    );
    await seedDemoCatalogue(c, tenant);
    const t = tenantTables(tenant.schemaName);
    const db = toDrizzle(c);
    const [service] = await db.select({ id: t.services.id, name: t.services.name }).from(t.services);
    const staff = await db
      .insert(t.staff)
      .values(Array.from({ length: EXTRA_STAFF }, (_, i) => ({ displayName: `Staff ${i + 3}` })))
      .returning({ id: t.staff.id });
    await db.insert(t.serviceStaff).values(staff.map((s) => ({ serviceId: service.id, staffId: s.id })));
    await db.insert(t.staffAvailability).values(
      staff.flatMap((s) =>
        [1, 2, 3, 4, 5, 6].flatMap((weekday) => [
          { staffId: s.id, kind: "weekly" as const, weekday, startTime: "09:00", endTime: "13:00" },
          { staffId: s.id, kind: "weekly" as const, weekday, startTime: "14:00", endTime: "19:00" },
        ]),
      ),
    );
    return service.id;
  });

  const worker = await startBenchWorker(bench, 1);
  const { proxy, http } = bench.local;
  const reset = () => {
    proxy.reset();
    http.reset();
  };
  const stats = () => ({ ...proxy.stats(), http: http.stats().requests });
  const settle = () => new Promise((r) => setTimeout(r, 300));
  const week = `/api/public/availability?service_id=${serviceId}&from=${localDate(1)}&to=${localDate(7)}`;
  const month = `/api/public/availability?service_id=${serviceId}&from=${localDate(1)}&to=${localDate(31)}`;
  try {
    await request(worker.url, DOMAIN, "/api/tenant"); // warm the KV entry
    await settle();
    reset();
    const monthRes = await request(worker.url, DOMAIN, month);
    if (monthRes.status !== 200) throw new Error(`availability failed: ${monthRes.status} ${monthRes.body}`);
    await settle();
    const availabilityCost = stats();
    const allSlots = (JSON.parse(monthRes.body) as { slots: { start: string; end: string; staff_id: string }[] }).slots;
    // Keep slots that cannot collide (per staff member, each starts after the
    // previous one's end plus the largest buffer), so every create should succeed.
    const lastEnd = new Map<string, number>();
    const slots = allSlots.filter((slot) => {
      const start = Date.parse(slot.start);
      if (start < (lastEnd.get(slot.staff_id) ?? 0)) return false;
      lastEnd.set(slot.staff_id, Date.parse(slot.end) + 30 * 60_000);
      return true;
    });

    const book = (i: number) => {
      const slot = slots[i];
      return request(worker.url, DOMAIN, "/api/public/bookings", {
        method: "POST",
        // One simulated client per booking: the per-address limit (10 a minute) is not what this measures.
        headers: { "idempotency-key": `bench-${Date.now()}-${i}`, "cf-connecting-ip": `2001:db8:${i.toString(16)}::1` },
        body: JSON.stringify({
          service_id: serviceId,
          staff_id: slot.staff_id,
          start: slot.start,
          customer: { name: `Client ${i}`, email: `client${i}@bench.bookme.test`, locale: "fr" },
        }),
      });
    };
    await settle();
    reset();
    const first = await book(0);
    if (first.status !== 201) throw new Error(`booking failed: ${first.status} ${first.body}`);
    await settle();
    const createCost = stats();

    const health = await load(600, 8, () => request(worker.url, DOMAIN, "/health"));
    const availability = await load(300, 8, () => request(worker.url, DOMAIN, week));
    const creates = Math.min(300, slots.length - 1);
    const booking = await load(creates, 8, (i) => book(i + 1));
    const created = booking.statuses[201] ?? 0;
    if (availability.errors || booking.errors || created !== creates)
      throw new Error(`errors under load: ${JSON.stringify({ availability, booking })}`);

    return [
      "## Booking engine (wrangler dev, real Postgres, 20 staff)",
      "",
      "| call | WebSocket connections | WebSocket flights (incl. connection start-up) | HTTP SQL requests |",
      "| --- | ---: | ---: | ---: |",
      `| GET /api/public/availability, 31 days, any staff (${allSlots.length} slots) | ${availabilityCost.connections} | ${availabilityCost.flights} | ${availabilityCost.http} |`,
      `| POST /api/public/bookings | ${createCost.connections} | ${createCost.flights} | ${createCost.http} |`,
      "",
      "| request (8 concurrent) | n | requests/s | p50 | p99 | statuses |",
      "| --- | ---: | ---: | ---: | ---: | --- |",
      `| GET /health | 600 | ${health.rps.toFixed(0)} | ${fmt(health.p50)} | ${fmt(health.p99)} | ${JSON.stringify(health.statuses)} |`,
      `| GET availability, 7 days, any staff | 300 | ${availability.rps.toFixed(0)} | ${fmt(availability.p50)} | ${fmt(availability.p99)} | ${JSON.stringify(availability.statuses)} |`,
      `| POST booking (non-overlapping slots) | ${creates} | ${booking.rps.toFixed(0)} | ${fmt(booking.p50)} | ${fmt(booking.p99)} | ${JSON.stringify(booking.statuses)} |`,
      "",
      `Availability runs at ${(availability.rps / health.rps).toFixed(2)}× and booking creation at ${(booking.rps / health.rps).toFixed(2)}× the /health rate of the same run; ${created} of ${creates} creates answered 201.`,
      "",
    ].join("\n");
  } finally {
    await worker.stop();
    await cleanup(bench.db).catch(() => {});
    await bench.stop();
  }
}
