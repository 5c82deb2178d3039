/**
 * Races through the Worker: `Promise.all` of `call(...)` really runs the
 * requests concurrently in workerd. On real Postgres they race for the
 * exclusion constraints and the advisory lock; on the embedded database they
 * serialize, and the outcome must be the same.
 */
import { describe, expect, it } from "vitest";
import { quoteSchema } from "../src/tenancy/naming";
import { json, sql, useTenants } from "./harness";
import { daysAhead, postJson, seedCatalogue, settledRoundTrips, slotsOn } from "./fixtures/booking";

describe("booking races", () => {
  const t = useTenants();

  const statuses = (responses: Response[]) => responses.map((r) => r.status).sort();

  it("30 concurrent bookings of the same staff and slot: exactly one 201, 29 409, one row", async () => {
    const cat = await seedCatalogue(t.a);
    const [slot] = await slotsOn(t.a.domain, cat.serviceId, daysAhead(40), cat.staffA.id);
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        postJson(t.a.domain, "/api/public/bookings", {
          service_id: cat.serviceId,
          staff_id: cat.staffA.id,
          start: slot!.start,
          customer: { name: `Racer ${i}`, email: `racer${i}@race.ma` },
        }),
      ),
    );
    const codes = statuses(responses);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(29);
    for (const r of responses.filter((r) => r.status === 409)) expect((await json(r)).reason).toBe("staff_unavailable");
    const [row] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteSchema(t.a.schemaName)}.bookings WHERE service_id = $1`, [
      cat.serviceId,
    ]);
    expect(row!.n).toBe(1);
  });

  it("30 concurrent bookings of one shared room by different staff: exactly one 201, the rest 409", async () => {
    const cat = await seedCatalogue(t.a, { requiresRoom: true });
    await sql(`UPDATE ${quoteSchema(t.a.schemaName)}.resources SET is_active = false WHERE id <> $1 AND type = 'room'`, [cat.roomId]);
    const date = daysAhead(41);
    const [slot] = await slotsOn(t.a.domain, cat.serviceId, date, cat.staffA.id);
    expect(slot!.resource_id).toBe(cat.roomId);
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        postJson(t.a.domain, "/api/public/bookings", {
          service_id: cat.serviceId,
          staff_id: i % 2 ? cat.staffA.id : cat.staffB.id,
          start: slot!.start,
          customer: { name: `Room racer ${i}`, email: `roomracer${i}@race.ma` },
        }),
      ),
    );
    const codes = statuses(responses);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(29);
    const reasons = new Set(await Promise.all(responses.filter((r) => r.status === 409).map(async (r) => (await json(r)).reason)));
    expect(reasons.has("resource_unavailable")).toBe(true);
    const [row] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${quoteSchema(t.a.schemaName)}.bookings WHERE resource_id = $1 AND starts_at = $2`,
      [cat.roomId, slot!.start],
    );
    expect(row!.n).toBe(1);
  });

  it("10 concurrent seats of a group session with capacity 3: never more than 3 seats", async () => {
    const cat = await seedCatalogue(t.a, { capacity: 3 });
    const [slot] = await slotsOn(t.a.domain, cat.serviceId, daysAhead(42), cat.staffA.id);
    expect(slot!.seats_left).toBe(3);
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        postJson(t.a.domain, "/api/public/bookings", {
          service_id: cat.serviceId,
          staff_id: cat.staffA.id,
          start: slot!.start,
          customer: { name: `Seat ${i}`, email: `seat${i}@race.ma` },
        }),
      ),
    );
    const codes = statuses(responses);
    expect(codes.filter((c) => c === 201)).toHaveLength(3);
    expect(codes.filter((c) => c === 409)).toHaveLength(7);
    for (const r of responses.filter((r) => r.status === 409)) expect((await json(r)).reason).toBe("session_full");
    const [row] = await sql<{ n: number }>(
      `SELECT coalesce(sum(seats), 0)::int AS n FROM ${quoteSchema(t.a.schemaName)}.bookings WHERE service_id = $1 AND status <> 'cancelled'`,
      [cat.serviceId],
    );
    expect(row!.n).toBe(3);
    const after = await slotsOn(t.a.domain, cat.serviceId, daysAhead(42), cat.staffA.id);
    expect(after.find((s) => s.start === slot!.start)).toBeUndefined();
  });
});

describe("idempotent retries racing", () => {
  const t = useTenants();

  it("8 concurrent requests with one Idempotency-Key and body: one booking, every answer carries its id", async () => {
    const cat = await seedCatalogue(t.a);
    const [slot] = await slotsOn(t.a.domain, cat.serviceId, daysAhead(45), cat.staffA.id);
    const body = {
      service_id: cat.serviceId,
      staff_id: cat.staffA.id,
      start: slot!.start,
      customer: { name: "Retry", email: "retry@race.ma" },
    };
    const headers = { "idempotency-key": `race-${crypto.randomUUID()}` };
    const responses = await Promise.all(Array.from({ length: 8 }, () => postJson(t.a.domain, "/api/public/bookings", body, headers)));
    const codes = responses.map((r) => r.status).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 200)).toHaveLength(7);
    const ids = new Set(await Promise.all(responses.map(async (r) => (await json(r)).booking.id)));
    expect(ids.size).toBe(1);
    const [row] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteSchema(t.a.schemaName)}.bookings WHERE service_id = $1`, [
      cat.serviceId,
    ]);
    expect(row!.n).toBe(1);
  });
});

describe("group seats and creation cost", () => {
  const t = useTenants();

  it("stores customer text with quotes and backslashes intact on the locked path (bind parameters)", async () => {
    const cat = await seedCatalogue(t.a, { capacity: 4 });
    const [slot] = await slotsOn(t.a.domain, cat.serviceId, daysAhead(43), cat.staffA.id);
    const name = 'O\'Brien \\ "Zed"; DROP TABLE x; --';
    const res = await postJson(t.a.domain, "/api/public/bookings", {
      service_id: cat.serviceId,
      staff_id: cat.staffA.id,
      start: slot!.start,
      customer: { name, email: "quote@race.ma" },
      notes: "it's $1 \\n",
    });
    expect(res.status).toBe(201);
    const booking = (await json(res)).booking;
    expect(booking.notes).toBe("it's $1 \\n");
    expect(booking.contact.name).toBe(name);
    const s = quoteSchema(t.a.schemaName);
    const [row] = await sql<{ name: string; contact_name: string }>(
      `SELECT c.name, b.contact_name FROM ${s}.bookings b JOIN ${s}.customers c ON c.id = b.customer_id WHERE b.id = $1`,
      [booking.id],
    );
    expect(row).toEqual({ name, contact_name: name });
    const after = await slotsOn(t.a.domain, cat.serviceId, daysAhead(43), cat.staffA.id);
    expect(after.find((s) => s.start === slot!.start)!.seats_left).toBe(3);
  });

  it("creates a booking in two HTTP round trips (the load, then locks + the one write statement as one batch), no connection", async () => {
    const cat = await seedCatalogue(t.a);
    const slots = await slotsOn(t.a.domain, cat.serviceId, daysAhead(44), cat.staffA.id);
    const stats = await settledRoundTrips(async () => {
      const res = await postJson(t.a.domain, "/api/public/bookings", {
        service_id: cat.serviceId,
        staff_id: cat.staffA.id,
        start: slots[0]!.start,
        customer: { name: "Cost", email: "cost@race.ma" },
      });
      expect(res.status).toBe(201);
    });
    console.log(`[round trips] booking create: ${JSON.stringify(stats)}`);
    expect(stats).toEqual({ connections: 0, flights: 2, httpRequests: 2 });
  });
});
