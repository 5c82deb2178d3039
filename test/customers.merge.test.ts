/**
 * Staff-side customer privacy: merging duplicate records (and attaching
 * unlinked anonymous bookings), and staff-role users seeing only the
 * customers they served or added.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { quoteSchema } from "../src/tenancy/naming";
import { call, countRoundTrips, json, sql, useTenants, type TestTenant } from "./harness";
import { client, count, fields, tokenFor, type Client, type Reply } from "./catalogue-helpers";
import { daysAhead, postJson, seedCatalogue, slotsOn, type ApiSlot, type Catalogue } from "./fixtures/booking";

const t = useTenants();
const tag = () => crypto.randomUUID().slice(0, 8);

interface World {
  cat: Catalogue;
  slots: ApiSlot[];
}

async function world(tenant: TestTenant): Promise<World> {
  const cat = await seedCatalogue(tenant, { durationMin: 30 });
  const slots = [
    ...(await slotsOn(tenant.domain, cat.serviceId, daysAhead(30), cat.staffA.id)),
    ...(await slotsOn(tenant.domain, cat.serviceId, daysAhead(31), cat.staffA.id)),
  ];
  return { cat, slots };
}

/** A public booking on staff A's calendar; returns its id and the customer it was linked to (or null). */
async function book(tenant: TestTenant, w: World, customer: Record<string, string>, staff: "staffA" | "staffB" = "staffA") {
  const slot = w.slots.shift()!;
  const res = await postJson(tenant.domain, "/api/public/bookings", {
    service_id: w.cat.serviceId,
    staff_id: w.cat[staff].id,
    start: slot.start,
    customer,
  });
  if (res.status !== 201) throw new Error(`booking ${res.status}: ${await res.text()}`);
  const { booking } = (await res.json()) as { booking: { id: string } };
  const [row] = await sql<{ customer_id: string | null }>(
    `SELECT customer_id FROM ${quoteSchema(tenant.schemaName)}.bookings WHERE id = $1`,
    [booking.id],
  );
  return { bookingId: booking.id, customerId: row!.customer_id };
}

const events = (tenant: TestTenant, bookingId: string) =>
  sql<{ action: string; actor_type: string; actor_id: string; before: any; after: any }>(
    `SELECT action, actor_type, actor_id, before, after FROM ${quoteSchema(tenant.schemaName)}.booking_events WHERE booking_id = $1 ORDER BY id`,
    [bookingId],
  );

describe("merging customers", () => {
  let w: World;
  let wb: World;
  let adminUser: string;
  let admin: Client;
  let owner: Client;
  let staff: Client;
  let adminB: Client;

  beforeAll(async () => {
    w = await world(t.a);
    wb = await world(t.b);
    adminUser = crypto.randomUUID();
    admin = client(t.a, await tokenFor(t.a, "admin", adminUser));
    owner = client(t.a, await tokenFor(t.a, "owner"));
    staff = client(t.a, await tokenFor(t.a, "staff"));
    adminB = client(t.b, await tokenFor(t.b, "admin"));
  });

  it("moves the duplicate's bookings and listed unlinked bookings to the survivor, records an event per booking, and deletes the duplicate", async () => {
    const email = `sara.${tag()}@mail.ma`;
    const first = await book(t.a, w, { name: "Sara", email, phone: `+2126${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}` });
    const survivor = first.customerId!;
    // The same person, another phone: a booking that could not be linked safely.
    const unlinked = await book(t.a, w, { name: "Sara", email });
    expect(unlinked.customerId).toBeNull();
    const dup = (await admin("POST", "/api/customers", { name: "Sara (dup)", email: `sara.old.${tag()}@mail.ma` })).body;
    const s = quoteSchema(t.a.schemaName);
    const dupBooking = await book(t.a, w, { name: "Sara", email: dup.email });
    expect(dupBooking.customerId).toBe(dup.id);

    let res!: Reply;
    // The merge and the read of the survivor: one round trip over HTTP, no WebSocket.
    const cost = await countRoundTrips(async () => {
      res = await admin("POST", `/api/customers/${survivor}/merge`, { source_id: dup.id, booking_ids: [unlinked.bookingId] });
    });
    expect(cost).toMatchObject({ connections: 0, flights: 1 });
    expect(res.status).toBe(200);
    expect(res.body.customer.id).toBe(survivor);
    expect(res.body.merged_customer_id).toBe(dup.id);
    expect(res.body.moved_booking_ids.sort()).toEqual([unlinked.bookingId, dupBooking.bookingId].sort());
    expect(await count(t.a, "customers", "id = $1", [dup.id])).toBe(0);
    expect(await count(t.a, "bookings", "customer_id = $1", [survivor])).toBe(3);
    const [merged] = (await events(t.a, dupBooking.bookingId)).filter((e) => e.action === "customer_merged");
    expect(merged).toMatchObject({
      actor_type: "user",
      actor_id: adminUser,
      before: { customer_id: dup.id },
      after: { customer_id: survivor },
    });
    const [attached] = (await events(t.a, unlinked.bookingId)).filter((e) => e.action === "customer_merged");
    expect(attached).toMatchObject({ before: { customer_id: null }, after: { customer_id: survivor } });
    // The bookings keep the contact they were made with.
    const [snap] = await sql<{ contact_email: string }>(`SELECT contact_email FROM ${s}.bookings WHERE id = $1`, [dupBooking.bookingId]);
    expect(snap!.contact_email).toBe(dup.email);
    // Owners may merge too; a booking already on the survivor is not moved again (no event).
    const only = await owner("POST", `/api/customers/${survivor}/merge`, { booking_ids: [first.bookingId] });
    expect(only.status).toBe(200);
    expect(only.body.moved_booking_ids).toEqual([]);
    expect((await events(t.a, first.bookingId)).map((e) => e.action)).toEqual(["created"]);
  });

  it("resolves two opposite merges of one pair racing: one wins, the other is a 404/409 problem, never a 500", async () => {
    for (let round = 0; round < 3; round++) {
      const a = (await admin("POST", "/api/customers", { name: "A", email: `a.${tag()}@mail.ma` })).body;
      const b = (await admin("POST", "/api/customers", { name: "B", email: `b.${tag()}@mail.ma` })).body;
      await book(t.a, w, { name: "A", email: a.email });
      await book(t.a, w, { name: "B", email: b.email });
      const [ab, ba] = await Promise.all([
        admin("POST", `/api/customers/${a.id}/merge`, { source_id: b.id }),
        owner("POST", `/api/customers/${b.id}/merge`, { source_id: a.id }),
      ]);
      const statuses = [ab.status, ba.status].sort();
      expect(statuses[0]).toBe(200);
      expect([404, 409]).toContain(statuses[1]);
      expect(await count(t.a, "customers", "id = ANY($1::uuid[])", [[a.id, b.id]])).toBe(1);
      const survivor = ab.status === 200 ? a.id : b.id;
      expect(await count(t.a, "bookings", "customer_id = $1", [survivor])).toBe(2);
    }
  });

  it.each([
    [{}, "source_id"],
    [{ source_id: "nope" }, "source_id"],
    [{ booking_ids: [] }, "booking_ids"],
    [{ booking_ids: ["x"] }, "booking_ids.0"],
    [{ source_id: "00000000-0000-4000-8000-000000000000", extra: 1 }, "extra"],
  ])("refuses %j with 422 naming the field", async (body, field) => {
    const target = (await admin("POST", "/api/customers", { name: "T", email: `t.${tag()}@mail.ma` })).body;
    const res = await admin("POST", `/api/customers/${target.id}/merge`, body);
    expect(res.status).toBe(422);
    expect(res.type).toBe("application/problem+json");
    expect(fields(res)).toContain(field);
  });

  it("refuses merging a customer into itself (422), unknown or another business's ids (404), and roles below admin (403), writing nothing", async () => {
    const target = (await admin("POST", "/api/customers", { name: "Target", email: `target.${tag()}@mail.ma` })).body;
    const source = (await admin("POST", "/api/customers", { name: "Source", email: `source.${tag()}@mail.ma` })).body;
    const sourceBooking = await book(t.a, w, { name: "Source", email: source.email });
    const foreignCustomer = (await adminB("POST", "/api/customers", { name: "Foreign", email: `foreign.${tag()}@mail.ma` })).body;
    const foreignBooking = await book(t.b, wb, { name: "Foreign", email: `fb.${tag()}@mail.ma` });
    const eventsBefore = await count(t.a, "booking_events");

    const self = await admin("POST", `/api/customers/${target.id}/merge`, { source_id: target.id });
    expect(self.status).toBe(422);
    expect(fields(self)).toEqual(["source_id"]);

    const cases: [Client, string, unknown, number][] = [
      [admin, target.id, { source_id: foreignCustomer.id }, 404],
      [admin, foreignCustomer.id, { source_id: source.id }, 404],
      [admin, target.id, { source_id: source.id, booking_ids: [foreignBooking.bookingId] }, 404],
      [admin, target.id, { booking_ids: [sourceBooking.bookingId, crypto.randomUUID()] }, 404],
      [adminB, target.id, { source_id: source.id }, 404],
      [staff, target.id, { source_id: source.id }, 403],
      [client(t.a), target.id, { source_id: source.id }, 401],
    ];
    for (const [who, id, body, status] of cases) {
      const res = await who("POST", `/api/customers/${id}/merge`, body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), status]);
      expect(res.type).toBe("application/problem+json");
    }
    expect(await count(t.a, "customers", "id = ANY($1::uuid[])", [[target.id, source.id]])).toBe(2);
    expect(await count(t.a, "bookings", "id = $1 AND customer_id = $2", [sourceBooking.bookingId, source.id])).toBe(1);
    expect(await count(t.b, "customers", "id = $1", [foreignCustomer.id])).toBe(1);
    expect(await count(t.b, "bookings", "id = $1 AND customer_id IS NOT NULL", [foreignBooking.bookingId])).toBe(1);
    expect(await count(t.a, "booking_events")).toBe(eventsBefore);
  });
});

describe("documentation", () => {
  it("documents the merge endpoint and the public booking's contact (without a customer id) in the OpenAPI schema", async () => {
    const schema = await json(await call("localhost", "/api/schema"));
    const merge = schema.paths["/api/customers/{id}/merge"].post;
    expect(merge.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(merge.responses)).toEqual(expect.arrayContaining(["200", "401", "403", "404", "409", "422"]));
    const publicBooking = schema.components.schemas.PublicBooking;
    expect(publicBooking.properties).toHaveProperty("contact");
    expect(publicBooking.properties).not.toHaveProperty("customer_id");
  });
});

describe("staff-role users and customers", () => {
  let w: World;

  beforeAll(async () => {
    w = await world(t.a);
  });

  it("shows a staff member only the customers they served or added; others read as 404 (admins see all)", async () => {
    const amina = client(t.a, await tokenFor(t.a, "staff", w.cat.staffA.userId));
    const badr = client(t.a, await tokenFor(t.a, "staff", w.cat.staffB.userId));
    const admin = client(t.a, await tokenFor(t.a, "admin"));
    const unlinkedStaff = client(t.a, await tokenFor(t.a, "staff"));
    const marker = `vis${tag()}`;
    const served = await book(t.a, w, { name: `${marker} Served`, email: `${marker}.served@mail.ma` }, "staffA");
    const other = await book(t.a, w, { name: `${marker} Other`, email: `${marker}.other@mail.ma` }, "staffB");
    const added = (await amina("POST", "/api/customers", { name: `${marker} Added`, email: `${marker}.added@mail.ma` })).body;

    const names = async (who: Client) => (await who("GET", `/api/customers?search=${marker}`)).body.results.map((c: any) => c.name).sort();
    expect(await names(amina)).toEqual([`${marker} Added`, `${marker} Served`]);
    expect(await names(badr)).toEqual([`${marker} Other`]);
    expect(await names(unlinkedStaff)).toEqual([]);
    expect(await names(admin)).toEqual([`${marker} Added`, `${marker} Other`, `${marker} Served`]);

    expect((await amina("GET", `/api/customers/${served.customerId}`)).status).toBe(200);
    expect((await amina("GET", `/api/customers/${added.id}`)).status).toBe(200);
    const hidden = await amina("GET", `/api/customers/${other.customerId}`);
    expect(hidden.status).toBe(404);
    expect(hidden.type).toBe("application/problem+json");
    const patch = await amina("PATCH", `/api/customers/${other.customerId}`, { notes: "not mine" });
    expect(patch.status).toBe(404);
    const [row] = await sql<{ notes: string }>(`SELECT notes FROM ${quoteSchema(t.a.schemaName)}.customers WHERE id = $1`, [
      other.customerId,
    ]);
    expect(row!.notes).toBe("");
    expect((await amina("PATCH", `/api/customers/${served.customerId}`, { notes: "mine" })).status).toBe(200);
    expect((await admin("GET", `/api/customers/${other.customerId}`)).status).toBe(200);
  });
});
