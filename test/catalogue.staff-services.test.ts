import { beforeAll, describe, expect, it } from "vitest";
import { useTenants } from "./harness";
import { client, count, fields, tokenFor, type Client } from "./catalogue-helpers";

describe("what a staff member performs, and one date's own hours", () => {
  const t = useTenants();
  const userId = crypto.randomUUID();
  let adminA: Client;
  let meA: Client; // staff role, linked to `mine`
  let adminB: Client;
  let mine: string;
  let colleague: string;
  let cut: string;
  let colour: string;
  let otherTenantService: string;
  let otherTenantStaff: string;

  beforeAll(async () => {
    adminA = client(t.a, await tokenFor(t.a, "admin"));
    meA = client(t.a, await tokenFor(t.a, "staff", userId));
    adminB = client(t.b, await tokenFor(t.b, "admin"));
    mine = (await adminA("POST", "/api/staff", { display_name: "Me", user_id: userId })).body.id;
    colleague = (await adminA("POST", "/api/staff", { display_name: "Colleague" })).body.id;
    cut = (await adminA("POST", "/api/services", { name: "Cut", duration_min: 30 })).body.id;
    colour = (await adminA("POST", "/api/services", { name: "Colour", duration_min: 90 })).body.id;
    otherTenantService = (await adminB("POST", "/api/services", { name: "B cut", duration_min: 30 })).body.id;
    otherTenantStaff = (await adminB("POST", "/api/staff", { display_name: "B person" })).body.id;
  });

  describe("service_ids on a staff member", () => {
    it("creates a staff member with their services, which the service then lists", async () => {
      const res = await adminA("POST", "/api/staff", { display_name: "Salma", service_ids: [cut, colour] });
      expect(res.status).toBe(201);
      expect([...res.body.service_ids].sort()).toEqual([cut, colour].sort());
      expect((await adminA("GET", `/api/services/${cut}`)).body.staff_ids).toContain(res.body.id);
      const listed = (await meA("GET", "/api/staff?search=salma")).body.results[0];
      expect([...listed.service_ids].sort()).toEqual([cut, colour].sort());
    });

    it("replaces the set when sent and keeps it when left out", async () => {
      expect((await adminA("PATCH", `/api/staff/${colleague}`, { service_ids: [cut] })).body.service_ids).toEqual([cut]);
      expect((await adminA("PATCH", `/api/staff/${colleague}`, { display_name: "Colleague 2" })).body.service_ids).toEqual([cut]);
      expect((await adminA("PATCH", `/api/staff/${colleague}`, { service_ids: [colour] })).body.service_ids).toEqual([colour]);
      expect((await adminA("GET", `/api/services/${cut}`)).body.staff_ids).not.toContain(colleague);
      expect((await adminA("PATCH", `/api/staff/${colleague}`, { service_ids: [] })).body.service_ids).toEqual([]);
    });

    it("refuses another business's service id (422 naming it) and writes nothing", async () => {
      await adminA("PATCH", `/api/staff/${colleague}`, { service_ids: [cut] });
      const res = await adminA("PATCH", `/api/staff/${colleague}`, { display_name: "Renamed", service_ids: [cut, otherTenantService] });
      expect(res.status).toBe(422);
      expect(fields(res)).toEqual(["service_ids.1"]);
      const after = (await adminA("GET", `/api/staff/${colleague}`)).body;
      expect(after).toMatchObject({ display_name: "Colleague 2", service_ids: [cut] });
      const created = await adminA("POST", "/api/staff", { display_name: "Ghost", service_ids: [otherTenantService] });
      expect(created.status).toBe(422);
      expect(await count(t.a, "staff", "display_name = 'Ghost'")).toBe(0);
      const twice = await adminA("POST", "/api/staff", { display_name: "Twice", service_ids: [cut, cut] });
      expect(twice.status).toBe(422);
      expect(fields(twice)).toEqual(["service_ids"]);
    });

    it("is the admin's to change: a staff-role user cannot change their own services", async () => {
      const res = await meA("PATCH", `/api/staff/${mine}`, { service_ids: [cut] });
      expect(res.status).toBe(403);
      expect(await count(t.a, "service_staff", "staff_id = $1", [mine])).toBe(0);
    });

    it("answers another business's staff id with 404", async () => {
      expect((await adminA("PATCH", `/api/staff/${otherTenantStaff}`, { service_ids: [cut] })).status).toBe(404);
      expect(await count(t.a, "service_staff", "service_id = $1", [cut])).toBeGreaterThan(0);
      expect(await count(t.b, "service_staff", "staff_id = $1", [otherTenantStaff])).toBe(0);
    });
  });

  describe("PUT/DELETE /api/staff/{id}/overrides/{date}", () => {
    it("sets special hours for one date, replaces them, closes the day, removes the override", async () => {
      const path = `/api/staff/${colleague}/overrides/2027-04-02`;
      const set = await adminA("PUT", path, {
        ranges: [
          { start: "14:00", end: "18:00" },
          { start: "10:00", end: "12:00" },
        ],
      });
      expect(set.status).toBe(200);
      expect(set.body).toEqual({
        date: "2027-04-02",
        ranges: [
          { start: "10:00", end: "12:00" },
          { start: "14:00", end: "18:00" },
        ],
      });
      await adminA("PUT", `/api/staff/${colleague}/overrides/2027-04-03`, { ranges: [] });
      const closed = await adminA("PUT", path, { ranges: [] });
      expect(closed.body).toEqual({ date: "2027-04-02", ranges: [] });
      const schedule = (await meA("GET", `/api/staff/${colleague}/availability`)).body;
      expect(schedule.overrides).toEqual([
        { date: "2027-04-02", ranges: [] },
        { date: "2027-04-03", ranges: [] },
      ]);
      expect((await adminA("DELETE", path)).status).toBe(204);
      expect((await adminA("DELETE", path)).status).toBe(404);
      expect((await meA("GET", `/api/staff/${colleague}/availability`)).body.overrides).toEqual([{ date: "2027-04-03", ranges: [] }]);
    });

    it.each([
      [{ ranges: [{ start: "12:00", end: "09:00" }] }, "ranges.0.end"],
      [
        {
          ranges: [
            { start: "09:00", end: "13:00" },
            { start: "12:00", end: "18:00" },
          ],
        },
        "ranges.1.start",
      ],
      [{ ranges: [{ start: "9h", end: "12:00" }] }, "ranges.0.start"],
      [{}, "ranges"],
    ])("refuses %j with 422 naming the field, writing nothing", async (body, field) => {
      const before = await count(t.a, "staff_availability", "staff_id = $1", [colleague]);
      const res = await adminA("PUT", `/api/staff/${colleague}/overrides/2027-05-01`, body);
      expect(res.status).toBe(422);
      expect(fields(res)).toContain(field);
      expect(await count(t.a, "staff_availability", "staff_id = $1", [colleague])).toBe(before);
    });

    it("refuses a date that is not one (422)", async () => {
      const res = await adminA("PUT", `/api/staff/${colleague}/overrides/2027-02-30`, { ranges: [] });
      expect(res.status).toBe(422);
      expect(fields(res)).toContain("date");
    });

    it("lets a staff-role user set their own dates only; another business's staff is 404", async () => {
      expect((await meA("PUT", `/api/staff/${mine}/overrides/2027-06-01`, { ranges: [] })).status).toBe(200);
      expect((await meA("PUT", `/api/staff/${colleague}/overrides/2027-06-01`, { ranges: [] })).status).toBe(403);
      expect((await meA("DELETE", `/api/staff/${colleague}/overrides/2027-04-03`)).status).toBe(403);
      expect(await count(t.a, "staff_availability", "staff_id = $1 and date = '2027-06-01'", [colleague])).toBe(0);
      expect((await adminA("PUT", `/api/staff/${otherTenantStaff}/overrides/2027-06-01`, { ranges: [] })).status).toBe(404);
      expect((await adminA("DELETE", `/api/staff/${otherTenantStaff}/overrides/2027-06-01`)).status).toBe(404);
      expect(await count(t.b, "staff_availability", "staff_id = $1", [otherTenantStaff])).toBe(0);
      expect((await client(t.a)("PUT", `/api/staff/${mine}/overrides/2027-06-01`, { ranges: [] })).status).toBe(401);
    });
  });
});
