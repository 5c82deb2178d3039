import { beforeAll, describe, expect, it } from "vitest";
import { quoteSchema } from "../src/tenancy/naming";
import { countRoundTrips, sql, useTenants } from "./harness";
import { client, count, fields, tokenFor, type Client } from "./catalogue-helpers";

describe("catalogue: categories, services, resources", () => {
  const t = useTenants();
  let adminA: Client;
  let staffA: Client;
  let anonA: Client;
  let adminB: Client;
  const staffIdsA: string[] = [];
  let staffIdB: string;

  beforeAll(async () => {
    adminA = client(t.a, await tokenFor(t.a, "admin"));
    staffA = client(t.a, await tokenFor(t.a, "staff"));
    anonA = client(t.a);
    adminB = client(t.b, await tokenFor(t.b, "owner"));
    for (const name of ["Amina", "Youssef"]) {
      const res = await adminA("POST", "/api/staff", { display_name: name });
      expect(res.status).toBe(201);
      staffIdsA.push(res.body.id);
    }
    staffIdB = (await adminB("POST", "/api/staff", { display_name: "Other tenant" })).body.id;
  });

  describe("categories", () => {
    it("creates, reads, renames, lists and deletes a category", async () => {
      const created = await adminA("POST", "/api/service-categories", { name: "Hair", position: 2 });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: "Hair", position: 2 });
      expect(created.body.created_at).toMatch(/Z$/);
      const id = created.body.id;
      expect((await staffA("GET", `/api/service-categories/${id}`)).body.name).toBe("Hair");
      const renamed = await adminA("PATCH", `/api/service-categories/${id}`, { name: "Hair & beard" });
      expect(renamed.body).toMatchObject({ id, name: "Hair & beard", position: 2 });
      const list = await staffA("GET", "/api/service-categories?search=beard");
      expect(list.body).toMatchObject({ count: 1, next: null, previous: null });
      expect(list.body.results[0].id).toBe(id);
      expect((await adminA("DELETE", `/api/service-categories/${id}`)).status).toBe(204);
      expect((await adminA("GET", `/api/service-categories/${id}`)).status).toBe(404);
    });

    it("refuses a duplicate name (any letter case) with 409 naming the field", async () => {
      await adminA("POST", "/api/service-categories", { name: "Nails" });
      const dup = await adminA("POST", "/api/service-categories", { name: "NAILS" });
      expect(dup.status).toBe(409);
      expect(dup.type).toBe("application/problem+json");
      expect(fields(dup)).toEqual(["name"]);
    });

    it("lets staff read but not write categories", async () => {
      expect((await staffA("GET", "/api/service-categories")).status).toBe(200);
      const res = await staffA("POST", "/api/service-categories", { name: "Spa" });
      expect(res.status).toBe(403);
      expect(await count(t.a, "service_categories", "name = 'Spa'")).toBe(0);
    });
  });

  describe("services", () => {
    it("creates a service with its staff, defaulting the currency to the tenant's", async () => {
      const cat = (await adminA("POST", "/api/service-categories", { name: "Barber" })).body;
      const res = await adminA("POST", "/api/services", {
        name: "Coupe homme",
        description: "Shampoing inclus",
        category_id: cat.id,
        duration_min: 30,
        price_minor: 8000,
        buffer_after_min: 10,
        staff_ids: staffIdsA,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name: "Coupe homme",
        category_id: cat.id,
        duration_min: 30,
        price_minor: 8000,
        currency: "MAD",
        buffer_before_min: 0,
        buffer_after_min: 10,
        capacity: 1,
        required_resource_type: null,
        is_active: true,
      });
      expect(res.body.staff_ids).toEqual([...staffIdsA].sort());
      const got = await staffA("GET", `/api/services/${res.body.id}`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(res.body);
    });

    it("replaces the staff set on update, in one go", async () => {
      const svc = (await adminA("POST", "/api/services", { name: "Brushing", duration_min: 45, staff_ids: staffIdsA })).body;
      const res = await adminA("PATCH", `/api/services/${svc.id}`, { staff_ids: [staffIdsA[1]], price_minor: 12000 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ staff_ids: [staffIdsA[1]], price_minor: 12000, duration_min: 45 });
      expect(await count(t.a, "service_staff", "service_id = $1", [svc.id])).toBe(1);
      const cleared = await adminA("PATCH", `/api/services/${svc.id}`, { staff_ids: [] });
      expect(cleared.body.staff_ids).toEqual([]);
    });

    it("serialises concurrent staff-set replacements: every request succeeds, one set wins whole", async () => {
      const svc = (await adminA("POST", "/api/services", { name: "Raced", duration_min: 30 })).body;
      const sets = [[staffIdsA[0]], [staffIdsA[1]], staffIdsA, [], [staffIdsA[1], staffIdsA[0]]];
      const replies = await Promise.all(
        Array.from({ length: 10 }, (_, i) => adminA("PATCH", `/api/services/${svc.id}`, { staff_ids: sets[i % sets.length] })),
      );
      expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
      const final = (await adminA("GET", `/api/services/${svc.id}`)).body.staff_ids;
      expect(sets.map((set) => [...set].sort())).toContainEqual(final);
      expect(await count(t.a, "service_staff", "service_id = $1", [svc.id])).toBe(final.length);
    });

    it("writes a service with its staff in one database round trip, over HTTP (no WebSocket)", async () => {
      await adminA("GET", "/api/services?limit=1"); // the host is in the tenant cache from here on
      let id = "";
      const create = await countRoundTrips(async () => {
        const res = await adminA("POST", "/api/services", { name: "One trip", duration_min: 30, staff_ids: staffIdsA });
        expect(res.status).toBe(201);
        id = res.body.id;
      });
      expect(create).toMatchObject({ connections: 0, flights: 1, httpRequests: 1 });
      const update = await countRoundTrips(async () => {
        const res = await adminA("PATCH", `/api/services/${id}`, { staff_ids: [staffIdsA[0]], price_minor: 9000 });
        expect(res.body).toMatchObject({ staff_ids: [staffIdsA[0]], price_minor: 9000 });
      });
      expect(update).toMatchObject({ connections: 0, flights: 1 });
      // A bad reference costs one more round trip, on that path only, to name the field.
      const refused = await countRoundTrips(async () => {
        const res = await adminA("PATCH", `/api/services/${id}`, { staff_ids: [staffIdB] });
        expect(res.status).toBe(422);
        expect(fields(res)).toEqual(["staff_ids.0"]);
      });
      expect(refused).toMatchObject({ connections: 0, flights: 2 });
      expect((await adminA("GET", `/api/services/${id}`)).body.staff_ids).toEqual([staffIdsA[0]]);
    });

    it.each([
      [{ duration_min: 0 }, "duration_min"],
      [{ duration_min: -30 }, "duration_min"],
      [{ duration_min: 12.5 }, "duration_min"],
      [{ price_minor: -1 }, "price_minor"],
      [{ currency: "mad" }, "currency"],
      [{ currency: "EURO" }, "currency"],
      [{ capacity: 0 }, "capacity"],
      [{ buffer_before_min: -5 }, "buffer_before_min"],
      [{ name: "   " }, "name"],
      [{ required_resource_type: "Big Room" }, "required_resource_type"],
      [{ staff_ids: ["not-a-uuid"] }, "staff_ids.0"],
    ])("refuses %j with 422 naming the field and writes nothing", async (patch, field) => {
      const name = `Invalid ${crypto.randomUUID()}`;
      const res = await adminA("POST", "/api/services", { name, duration_min: 30, ...patch });
      expect(res.status).toBe(422);
      expect(res.type).toBe("application/problem+json");
      expect(fields(res)).toContain(field);
      expect(await count(t.a, "services", "name = $1", [name])).toBe(0);
    });

    it("refuses fields a client may not set (id, tenant_id, created_at)", async () => {
      const name = `Mass ${crypto.randomUUID()}`;
      const res = await adminA("POST", "/api/services", {
        name,
        duration_min: 30,
        id: crypto.randomUUID(),
        tenant_id: t.b.id,
        created_at: "2020-01-01T00:00:00Z",
      });
      expect(res.status).toBe(422);
      expect(fields(res).sort()).toEqual(["created_at", "id", "tenant_id"]);
      expect(await count(t.a, "services", "name = $1", [name])).toBe(0);
    });

    it("refuses another tenant's staff id in staff_ids with 422 naming it, writing nothing", async () => {
      const name = `Cross ${crypto.randomUUID()}`;
      const res = await adminA("POST", "/api/services", { name, duration_min: 30, staff_ids: [staffIdsA[0], staffIdB] });
      expect(res.status).toBe(422);
      expect(fields(res)).toEqual(["staff_ids.1"]);
      expect(await count(t.a, "services", "name = $1", [name])).toBe(0);
      expect(await count(t.a, "service_staff", "staff_id = $1", [staffIdB])).toBe(0);
    });

    it("keeps the old staff set when an update names an unknown staff member", async () => {
      const svc = (await adminA("POST", "/api/services", { name: "Keep set", duration_min: 30, staff_ids: [staffIdsA[0]] })).body;
      const res = await adminA("PATCH", `/api/services/${svc.id}`, { staff_ids: [staffIdB], name: "Renamed" });
      expect(res.status).toBe(422);
      const after = (await adminA("GET", `/api/services/${svc.id}`)).body;
      expect(after).toMatchObject({ name: "Keep set", staff_ids: [staffIdsA[0]] });
    });

    it("refuses an unknown category with 422", async () => {
      const res = await adminA("POST", "/api/services", { name: "No cat", duration_min: 30, category_id: crypto.randomUUID() });
      expect(res.status).toBe(422);
      expect(fields(res)).toEqual(["category_id"]);
    });

    it("answers another tenant's service id with 404, never the object", async () => {
      const other = (await adminB("POST", "/api/services", { name: "Tenant B only", duration_min: 60 })).body;
      for (const [method, body] of [["GET"], ["PATCH", { name: "hijack" }], ["DELETE"]] as const) {
        const res = await adminA(method, `/api/services/${other.id}`, body);
        expect(res.status).toBe(404);
        expect(JSON.stringify(res.body)).not.toContain("Tenant B only");
      }
      expect((await adminB("GET", `/api/services/${other.id}`)).body.name).toBe("Tenant B only");
    });

    it("lets the staff role read services but not create, change or delete them", async () => {
      const svc = (await adminA("POST", "/api/services", { name: "Guarded", duration_min: 30 })).body;
      expect((await staffA("GET", "/api/services")).status).toBe(200);
      expect((await staffA("POST", "/api/services", { name: "Nope", duration_min: 30 })).status).toBe(403);
      expect((await staffA("PATCH", `/api/services/${svc.id}`, { name: "Nope" })).status).toBe(403);
      expect((await staffA("DELETE", `/api/services/${svc.id}`)).status).toBe(403);
      expect((await adminA("GET", `/api/services/${svc.id}`)).body.name).toBe("Guarded");
    });

    it("requires a token (401) and one issued for this tenant", async () => {
      const res = await anonA("GET", "/api/services");
      expect(res.status).toBe(401);
      expect(res.type).toBe("application/problem+json");
      expect((await anonA("POST", "/api/services", { name: "x", duration_min: 30 })).status).toBe(401);
      const foreign = client(t.a, await tokenFor(t.b, "owner"));
      expect((await foreign("GET", "/api/services")).status).toBe(401);
    });

    it("searches, filters, orders and paginates", async () => {
      const tag = `zq${Date.now().toString(36)}`;
      const cat = (await adminA("POST", "/api/service-categories", { name: `Cat ${tag}` })).body;
      await adminA("POST", "/api/services", { name: `${tag} alpha`, duration_min: 60, price_minor: 300, category_id: cat.id });
      await adminA("POST", "/api/services", { name: `${tag} beta`, duration_min: 15, price_minor: 100, category_id: cat.id });
      await adminA("POST", "/api/services", {
        name: "gamma",
        description: `about ${tag}`,
        duration_min: 30,
        price_minor: 200,
        is_active: false,
      });

      const all = await staffA("GET", `/api/services?search=${tag}&ordering=-price_minor`);
      expect(all.body.count).toBe(3);
      expect(all.body.results.map((s: any) => s.price_minor)).toEqual([300, 200, 100]);

      const byDuration = await staffA("GET", `/api/services?search=${tag}&ordering=duration_min`);
      expect(byDuration.body.results.map((s: any) => s.duration_min)).toEqual([15, 30, 60]);

      const inactive = await staffA("GET", `/api/services?search=${tag}&is_active=false`);
      expect(inactive.body.results.map((s: any) => s.name)).toEqual(["gamma"]);
      const inCategory = await staffA("GET", `/api/services?category_id=${cat.id}&ordering=name`);
      expect(inCategory.body.results.map((s: any) => s.name)).toEqual([`${tag} alpha`, `${tag} beta`]);

      const page1 = await staffA("GET", `/api/services?search=${tag}&ordering=name&page_size=2`);
      expect(page1.body.count).toBe(3);
      expect(page1.body.results).toHaveLength(2);
      expect(page1.body.previous).toBeNull();
      expect(page1.body.next).toContain("page=2");
      const page2 = await staffA("GET", new URL(page1.body.next).pathname + new URL(page1.body.next).search);
      expect(page2.body.results).toHaveLength(1);
      expect(page2.body.next).toBeNull();
      expect(page2.body.previous).toContain("page=1");

      const byStaff = await staffA("GET", `/api/services?staff_id=${staffIdsA[0]}&search=Keep`);
      expect(byStaff.body.results.map((s: any) => s.name)).toEqual(["Keep set"]);
      const byOtherStaff = await staffA("GET", `/api/services?staff_id=${staffIdsA[1]}&search=Keep`);
      expect(byOtherStaff.body.count).toBe(0);

      expect((await staffA("GET", "/api/services?ordering=tenant_id")).status).toBe(422);
      expect((await staffA("GET", "/api/services?is_active=maybe")).status).toBe(422);
    });

    it("deletes a service never booked, and refuses (409) one with bookings", async () => {
      const free = (await adminA("POST", "/api/services", { name: "Deletable", duration_min: 30, staff_ids: staffIdsA })).body;
      expect((await adminA("DELETE", `/api/services/${free.id}`)).status).toBe(204);
      expect(await count(t.a, "services", "id = $1", [free.id])).toBe(0);
      expect(await count(t.a, "service_staff", "service_id = $1", [free.id])).toBe(0);

      const booked = (await adminA("POST", "/api/services", { name: "Booked", duration_min: 30 })).body;
      const s = quoteSchema(t.a.schemaName);
      const [cust] = await sql<{ id: string }>(`INSERT INTO ${s}.customers (name, email) VALUES ('C', 'c-${booked.id}@x.ma') RETURNING id`);
      await sql(
        `INSERT INTO ${s}.bookings (service_id, staff_id, customer_id, starts_at, ends_at, blocked_from, blocked_until, session_key, price_minor, currency)
         VALUES ($1, $2, $3, '2030-01-01T09:00Z', '2030-01-01T09:30Z', '2030-01-01T09:00Z', '2030-01-01T09:30Z', gen_random_uuid()::text, 0, 'MAD')`,
        [booked.id, staffIdsA[0], cust.id],
      );
      const res = await adminA("DELETE", `/api/services/${booked.id}`);
      expect(res.status).toBe(409);
      expect(res.body.detail).toMatch(/deactivate/);
      expect(await count(t.a, "services", "id = $1", [booked.id])).toBe(1);
    });
  });

  describe("resources", () => {
    it("creates, lists by type, updates and deletes resources", async () => {
      const room = await adminA("POST", "/api/resources", { name: "Cabine 1", type: "room", capacity: 2 });
      expect(room.status).toBe(201);
      expect(room.body).toMatchObject({ name: "Cabine 1", type: "room", capacity: 2, is_active: true });
      await adminA("POST", "/api/resources", { name: "Fauteuil", type: "chair" });
      const rooms = await staffA("GET", "/api/resources?type=room");
      expect(rooms.body.results.map((r: any) => r.name)).toEqual(["Cabine 1"]);
      const upd = await adminA("PATCH", `/api/resources/${room.body.id}`, { is_active: false, capacity: 3 });
      expect(upd.body).toMatchObject({ is_active: false, capacity: 3 });
      expect((await staffA("DELETE", `/api/resources/${room.body.id}`)).status).toBe(403);
      expect((await adminA("DELETE", `/api/resources/${room.body.id}`)).status).toBe(204);
      expect((await adminA("GET", `/api/resources/${room.body.id}`)).status).toBe(404);
    });

    it("refuses a zero capacity or odd type with 422 and writes nothing", async () => {
      const res = await adminA("POST", "/api/resources", { name: "Bad", type: "Room 1", capacity: 0 });
      expect(res.status).toBe(422);
      expect(fields(res).sort()).toEqual(["capacity", "type"]);
      expect(await count(t.a, "resources", "name = 'Bad'")).toBe(0);
    });

    it("answers another tenant's resource id with 404", async () => {
      const other = (await adminB("POST", "/api/resources", { name: "B room", type: "room" })).body;
      expect((await adminA("GET", `/api/resources/${other.id}`)).status).toBe(404);
      expect((await adminA("PATCH", `/api/resources/${other.id}`, { name: "x" })).status).toBe(404);
      expect((await adminA("DELETE", `/api/resources/${other.id}`)).status).toBe(404);
    });
  });

  it("documents the catalogue routes in /api/schema", async () => {
    const res = await anonA("GET", "/api/schema");
    expect(res.status).toBe(200);
    const paths = Object.keys(res.body.paths);
    for (const p of ["/api/services", "/api/services/{id}", "/api/service-categories", "/api/staff/{id}/availability", "/api/resources"]) {
      expect(paths).toContain(p);
    }
    const isActive = res.body.paths["/api/services"].get.parameters.find((p: any) => p.name === "is_active");
    expect(isActive.schema.enum).toEqual(["true", "false"]);
    expect(res.body.components.schemas.ServiceCreate.additionalProperties).toBe(false);
    expect(res.body.components.schemas.ServiceCreate.required).toEqual(["name", "duration_min"]);
    expect(res.body.paths["/api/services"].post.security).toEqual([{ bearerAuth: [] }]);
  });
});
