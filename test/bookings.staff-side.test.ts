/**
 * Staff-side booking for the back office (issue 12): `customer_id` (book for an
 * existing record) and `off_grid` (owner/admin: a custom time or a walk-in),
 * and what each booking write costs on the HTTP path (no WebSocket).
 */
import { describe, expect, it } from "vitest";
import { quoteSchema } from "../src/tenancy/naming";
import { call, json, sql, useTenants } from "./harness";
import { daysAhead, postJson, seedCatalogue, settledRoundTrips, slotsOn, staffToken } from "./fixtures/booking";

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const HOUR = 3_600_000;

async function newCustomer(schemaName: string, c: { name: string; email?: string; phone?: string; locale?: string; createdBy?: string }) {
  const [row] = await sql<{ id: string }>(
    `INSERT INTO ${quoteSchema(schemaName)}.customers (name, email, phone, locale, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [c.name, c.email ?? null, c.phone ?? null, c.locale ?? "fr", c.createdBy ?? null],
  );
  return row!.id;
}

describe("staff booking for an existing customer (customer_id)", () => {
  const t = useTenants();

  it("books for the record: contact taken from it unless typed; linked to it; no new record", async () => {
    const cat = await seedCatalogue(t.a);
    const admin = await staffToken(t.a, crypto.randomUUID(), "admin");
    const customerId = await newCustomer(t.a.schemaName, {
      name: "Salma Record",
      email: "salma@record.ma",
      phone: "+212611223344",
      locale: "ar",
    });
    const [s1, , s2] = await slotsOn(t.a.domain, cat.serviceId, daysAhead(20), cat.staffA.id);
    const before = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteSchema(t.a.schemaName)}.customers`);

    const res = await postJson(
      t.a.domain,
      "/api/bookings",
      { service_id: cat.serviceId, staff_id: cat.staffA.id, start: s1!.start, customer_id: customerId },
      auth(admin),
    );
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.warnings).toEqual([]);
    expect(body.booking).toMatchObject({
      customer_id: customerId,
      source: "staff",
      contact: { name: "Salma Record", email: "salma@record.ma", phone: "+212611223344", locale: "ar" },
    });

    // Typed details replace the record's for this booking only; the record is not changed.
    const typed = await postJson(
      t.a.domain,
      "/api/bookings",
      {
        service_id: cat.serviceId,
        staff_id: cat.staffA.id,
        start: s2!.start,
        customer_id: customerId,
        customer: { phone: "0622334455", locale: "en" },
      },
      auth(admin),
    );
    expect(typed.status).toBe(201);
    expect((await json(typed)).booking).toMatchObject({
      customer_id: customerId,
      contact: { name: "Salma Record", email: "salma@record.ma", phone: "+212622334455", locale: "en" },
    });
    const after = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteSchema(t.a.schemaName)}.customers`);
    expect(after[0]!.n).toBe(before[0]!.n);
    const [record] = await sql<{ phone: string }>(`SELECT phone FROM ${quoteSchema(t.a.schemaName)}.customers WHERE id = $1`, [customerId]);
    expect(record!.phone).toBe("+212611223344");
  });

  it("answers 422 naming customer_id for another business's or an unknown id, and customer for neither given", async () => {
    const cat = await seedCatalogue(t.a);
    const admin = await staffToken(t.a, crypto.randomUUID(), "owner");
    const foreign = await newCustomer(t.b.schemaName, { name: "Other Business", email: "other@b.ma" });
    const [slot] = await slotsOn(t.a.domain, cat.serviceId, daysAhead(21), cat.staffA.id);
    const book = (extra: Record<string, unknown>) =>
      postJson(
        t.a.domain,
        "/api/bookings",
        { service_id: cat.serviceId, staff_id: cat.staffA.id, start: slot!.start, ...extra },
        auth(admin),
      );
    for (const customer_id of [foreign, crypto.randomUUID()]) {
      const res = await book({ customer_id });
      expect(res.status, customer_id).toBe(422);
      expect((await json(res)).errors.map((e: { field: string }) => e.field)).toContain("customer_id");
    }
    const neither = await book({});
    expect(neither.status).toBe(422);
    expect((await json(neither)).errors.map((e: { field: string }) => e.field)).toContain("customer");
    const nameless = await book({ customer: { email: "no-name@a.ma" } });
    expect(nameless.status).toBe(422);
    const rows = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteSchema(t.a.schemaName)}.bookings WHERE service_id = $1`, [
      cat.serviceId,
    ]);
    expect(rows[0]!.n).toBe(0);
  });

  it("lets a staff-role user book only customers they added or served, on their own calendar", async () => {
    const cat = await seedCatalogue(t.a);
    const amina = await staffToken(t.a, cat.staffA.userId, "staff");
    const hers = await newCustomer(t.a.schemaName, { name: "Added By Amina", phone: "+212633445566", createdBy: cat.staffA.userId });
    const notHers = await newCustomer(t.a.schemaName, { name: "Someone Else", email: "else@a.ma" });
    const [a1] = await slotsOn(t.a.domain, cat.serviceId, daysAhead(22), cat.staffA.id);
    const [b1] = await slotsOn(t.a.domain, cat.serviceId, daysAhead(22), cat.staffB.id);
    const book = (staffId: string, start: string, customerId: string) =>
      postJson(t.a.domain, "/api/bookings", { service_id: cat.serviceId, staff_id: staffId, start, customer_id: customerId }, auth(amina));

    const refused = await book(cat.staffA.id, a1!.start, notHers);
    expect(refused.status).toBe(422);
    expect((await json(refused)).errors.map((e: { field: string }) => e.field)).toContain("customer_id");
    expect((await book(cat.staffB.id, b1!.start, hers)).status).toBe(403);
    const ok = await book(cat.staffA.id, a1!.start, hers);
    expect(ok.status).toBe(201);
    expect((await json(ok)).booking).toMatchObject({ customer_id: hers, contact: { name: "Added By Amina", phone: "+212633445566" } });
  });
});

describe("staff booking at a custom time (off_grid)", () => {
  const t = useTenants();

  it("accepts an owner's or admin's start off the grid, outside working hours or in the past, with warnings", async () => {
    const cat = await seedCatalogue(t.a);
    const admin = await staffToken(t.a, crypto.randomUUID(), "admin");
    const [first] = await slotsOn(t.a.domain, cat.serviceId, daysAhead(25), cat.staffA.id); // 09:00 local
    const at = (ms: number) => new Date(ms).toISOString();
    const book = (start: string, extra: Record<string, unknown> = {}) =>
      postJson(
        t.a.domain,
        "/api/bookings",
        {
          service_id: cat.serviceId,
          staff_id: cat.staffA.id,
          start,
          customer: { name: "Walk In", phone: "0644556677" },
          off_grid: true,
          ...extra,
        },
        auth(admin),
      );
    const base = Date.parse(first!.start);

    // 10:07: inside working hours, off the 30-minute grid.
    const offGrid = await book(at(base + HOUR + 7 * 60_000));
    expect(offGrid.status).toBe(201);
    const og = await json(offGrid);
    expect(og.warnings).toEqual([]);
    expect(og.booking.local_start.slice(11)).toBe("10:07");
    expect(Date.parse(og.booking.end) - Date.parse(og.booking.start)).toBe(HOUR);

    // 06:00: before the working day.
    const early = await book(at(base - 3 * HOUR));
    expect(early.status).toBe(201);
    expect((await json(early)).warnings).toEqual(["outside_working_hours"]);

    // A walk-in an hour ago (recorded afterwards).
    const past = await book(at(Math.floor((Date.now() - HOUR) / 60_000) * 60_000));
    expect(past.status).toBe(201);
    expect((await json(past)).warnings).toContain("in_the_past");

    // The slot itself stays refused to an ordinary request (not a slot) but fine off-grid.
    const plain = await postJson(
      t.a.domain,
      "/api/bookings",
      {
        service_id: cat.serviceId,
        staff_id: cat.staffA.id,
        start: at(base + 3 * HOUR + 7 * 60_000),
        customer: { name: "Plain", phone: "0655667788" },
      },
      auth(admin),
    );
    expect(plain.status).toBe(422);
  });

  it("refuses off_grid to the staff role (403), without staff_id (422), and over another booking (409)", async () => {
    const cat = await seedCatalogue(t.a);
    const owner = await staffToken(t.a, crypto.randomUUID(), "owner");
    const amina = await staffToken(t.a, cat.staffA.userId, "staff");
    const [slot] = await slotsOn(t.a.domain, cat.serviceId, daysAhead(26), cat.staffA.id);
    const body = (extra: Record<string, unknown>) => ({
      service_id: cat.serviceId,
      staff_id: cat.staffA.id,
      start: slot!.start,
      customer: { name: "Overlap", email: "overlap@a.ma" },
      off_grid: true,
      ...extra,
    });
    expect((await postJson(t.a.domain, "/api/bookings", body({}), auth(amina))).status).toBe(403);
    const noStaff = await postJson(t.a.domain, "/api/bookings", body({ staff_id: undefined }), auth(owner));
    expect(noStaff.status).toBe(422);
    expect((await json(noStaff)).errors.map((e: { field: string }) => e.field)).toContain("staff_id");

    expect((await postJson(t.a.domain, "/api/bookings", body({ off_grid: false }), auth(owner))).status).toBe(201);
    // 15 minutes into that booking: the exclusion constraint refuses it.
    const clash = await postJson(
      t.a.domain,
      "/api/bookings",
      body({ start: new Date(Date.parse(slot!.start) + 15 * 60_000).toISOString() }),
      auth(owner),
    );
    expect(clash.status).toBe(409);
    expect((await json(clash)).reason).toBe("staff_unavailable");
    // An unknown service is still refused.
    expect((await postJson(t.a.domain, "/api/bookings", body({ service_id: crypto.randomUUID() }), auth(owner))).status).toBe(422);
  });

  it("documents customer_id, off_grid and warnings in the OpenAPI description", async () => {
    const doc = await json(await call("localhost", "/api/schema"));
    const resolve = (schema: { $ref?: string }) => (schema.$ref ? doc.components.schemas[schema.$ref.split("/").at(-1)!] : schema);
    const op = doc.paths["/api/bookings"].post;
    const request = resolve(op.requestBody.content["application/json"].schema);
    expect(Object.keys(request.properties)).toEqual(expect.arrayContaining(["customer", "customer_id", "off_grid"]));
    expect(request.required).toEqual(["service_id", "start"]);
    const created = resolve(op.responses["201"].content["application/json"].schema);
    expect(Object.keys(created.properties)).toContain("warnings");
  });
});

describe("booking writes on the HTTP path", () => {
  const t = useTenants();

  it("costs two round trips to create (staff side), one per transition, three to reschedule (read, load, locked update), one per payment; never a connection", async () => {
    const cat = await seedCatalogue(t.a);
    const admin = await staffToken(t.a, crypto.randomUUID(), "owner");
    const [s1, , , s2] = await slotsOn(t.a.domain, cat.serviceId, daysAhead(27), cat.staffA.id);
    let id = "";
    const create = await settledRoundTrips(async () => {
      const res = await postJson(
        t.a.domain,
        "/api/bookings",
        {
          service_id: cat.serviceId,
          staff_id: cat.staffA.id,
          start: s1!.start,
          customer: { name: "Trips", email: "trips@a.ma" },
          status: "pending",
        },
        auth(admin),
      );
      expect(res.status).toBe(201);
      id = (await json(res)).booking.id;
    });
    const confirm = await settledRoundTrips(async () =>
      expect((await postJson(t.a.domain, `/api/bookings/${id}/confirm`, {}, auth(admin))).status).toBe(200),
    );
    const move = await settledRoundTrips(async () =>
      expect((await postJson(t.a.domain, `/api/bookings/${id}/reschedule`, { start: s2!.start }, auth(admin))).status).toBe(200),
    );
    const pay = await settledRoundTrips(async () =>
      expect(
        (await postJson(t.a.domain, `/api/bookings/${id}/payments`, { kind: "payment", method: "cash", amount_minor: 5000 }, auth(admin)))
          .status,
      ).toBe(201),
    );
    const detail = await settledRoundTrips(async () =>
      expect((await call(t.a.domain, `/api/bookings/${id}`, { headers: auth(admin) })).status).toBe(200),
    );
    console.log(
      `[round trips] staff create ${JSON.stringify(create)}; confirm ${JSON.stringify(confirm)}; reschedule ${JSON.stringify(move)}; payment ${JSON.stringify(pay)}; detail ${JSON.stringify(detail)}`,
    );
    expect(create).toEqual({ connections: 0, flights: 2, httpRequests: 2 });
    expect(confirm).toEqual({ connections: 0, flights: 1, httpRequests: 1 });
    // The lookup of the booking, the load, then the locked update.
    expect(move).toEqual({ connections: 0, flights: 3, httpRequests: 3 });
    expect(pay).toEqual({ connections: 0, flights: 1, httpRequests: 1 });
    expect(detail).toEqual({ connections: 0, flights: 1, httpRequests: 1 });
  });
});
