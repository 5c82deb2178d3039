import { beforeAll, describe, expect, it } from "vitest";
import { countRoundTrips, useTenants } from "./harness";
import { client, count, fields, tokenFor, type Client } from "./catalogue-helpers";

describe("staff and their availability", () => {
  const t = useTenants();
  const userId = crypto.randomUUID();
  let adminA: Client;
  let meA: Client; // staff role, linked to `mine`
  let adminB: Client;
  let mine: string;
  let colleague: string;
  let otherTenantStaff: string;

  beforeAll(async () => {
    adminA = client(t.a, await tokenFor(t.a, "admin"));
    meA = client(t.a, await tokenFor(t.a, "staff", userId));
    adminB = client(t.b, await tokenFor(t.b, "admin"));
    mine = (await adminA("POST", "/api/staff", { display_name: "Me", user_id: userId })).body.id;
    colleague = (await adminA("POST", "/api/staff", { display_name: "Colleague" })).body.id;
    otherTenantStaff = (await adminB("POST", "/api/staff", { display_name: "B person" })).body.id;
  });

  describe("staff records", () => {
    it("creates a staff member with normalised contact details and own time zone", async () => {
      const res = await adminA("POST", "/api/staff", {
        display_name: "Salma",
        email: " Salma@Salon.MA ",
        phone: "06 12 34 56 78",
        time_zone: "Europe/Paris",
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        display_name: "Salma",
        email: "salma@salon.ma",
        phone: "+212612345678",
        time_zone: "Europe/Paris",
        user_id: null,
        is_active: true,
      });
      const list = await meA("GET", "/api/staff?search=salma");
      expect(list.body.count).toBe(1);
    });

    it.each([
      [{ time_zone: "Mars/Olympus" }, "time_zone"],
      [{ time_zone: "GMT+1; DROP" }, "time_zone"],
      [{ email: "not-an-email" }, "email"],
      [{ phone: "12345" }, "phone"],
      [{ display_name: "" }, "display_name"],
      [{ user_id: "nope" }, "user_id"],
    ])("refuses %j with 422 naming the field, writing nothing", async (patch, field) => {
      const name = `Bad ${crypto.randomUUID()}`;
      const res = await adminA("POST", "/api/staff", { display_name: name, ...patch });
      expect(res.status).toBe(422);
      expect(fields(res)).toContain(field);
      expect(await count(t.a, "staff", "display_name = $1", [name])).toBe(0);
    });

    it("refuses linking one user to two staff records (409 naming user_id)", async () => {
      const res = await adminA("POST", "/api/staff", { display_name: "Twin", user_id: userId });
      expect(res.status).toBe(409);
      expect(fields(res)).toEqual(["user_id"]);
    });

    it("lets a staff-role user edit their own non-privileged fields only", async () => {
      const ok = await meA("PATCH", `/api/staff/${mine}`, { display_name: "Me again", time_zone: "Africa/Casablanca" });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ display_name: "Me again", time_zone: "Africa/Casablanca" });

      const privileged = await meA("PATCH", `/api/staff/${mine}`, { is_active: false });
      expect(privileged.status).toBe(403);
      const relink = await meA("PATCH", `/api/staff/${mine}`, { user_id: crypto.randomUUID() });
      expect(relink.status).toBe(403);

      const other = await meA("PATCH", `/api/staff/${colleague}`, { display_name: "Hacked" });
      expect(other.status).toBe(403);
      expect((await adminA("GET", `/api/staff/${colleague}`)).body).toMatchObject({ display_name: "Colleague", is_active: true });
      expect((await adminA("GET", `/api/staff/${mine}`)).body.is_active).toBe(true);
    });

    it("keeps staff-role users from creating or deleting staff", async () => {
      expect((await meA("POST", "/api/staff", { display_name: "New" })).status).toBe(403);
      expect((await meA("DELETE", `/api/staff/${colleague}`)).status).toBe(403);
    });

    it("answers another tenant's staff id with 404 for every method", async () => {
      expect((await adminA("GET", `/api/staff/${otherTenantStaff}`)).status).toBe(404);
      expect((await adminA("PATCH", `/api/staff/${otherTenantStaff}`, { display_name: "x" })).status).toBe(404);
      expect((await meA("PATCH", `/api/staff/${otherTenantStaff}`, { display_name: "x" })).status).toBe(404);
      expect((await adminA("DELETE", `/api/staff/${otherTenantStaff}`)).status).toBe(404);
      expect((await adminB("GET", `/api/staff/${otherTenantStaff}`)).body.display_name).toBe("B person");
    });

    it("deactivates and deletes", async () => {
      const temp = (await adminA("POST", "/api/staff", { display_name: "Temp" })).body.id;
      expect((await adminA("PATCH", `/api/staff/${temp}`, { is_active: false })).body.is_active).toBe(false);
      const inactive = await adminA("GET", "/api/staff?is_active=false");
      expect(inactive.body.results.map((s: any) => s.id)).toContain(temp);
      expect((await adminA("DELETE", `/api/staff/${temp}`)).status).toBe(204);
      expect(await count(t.a, "staff", "id = $1", [temp])).toBe(0);
    });
  });

  describe("availability", () => {
    const week = [
      { weekday: 1, start: "09:00", end: "12:00" },
      { weekday: 1, start: "14:00", end: "18:00" },
      { weekday: 2, start: "12:00", end: "24:00" },
    ];

    it("replaces and reads weekly hours with breaks, overrides (incl. day off) and time off", async () => {
      const res = await adminA("PUT", `/api/staff/${colleague}/availability`, {
        weekly: week,
        overrides: [
          { date: "2026-12-24", ranges: [{ start: "10:00", end: "13:00" }] },
          { date: "2026-12-25", ranges: [] },
        ],
        time_off: [{ starts_at: "2027-01-05T08:00:00Z", ends_at: "2027-01-07T18:00:00+01:00", note: "Congé" }],
      });
      expect(res.status).toBe(200);
      expect(res.body.weekly).toEqual(week);
      expect(res.body.overrides).toEqual([
        { date: "2026-12-24", ranges: [{ start: "10:00", end: "13:00" }] },
        { date: "2026-12-25", ranges: [] },
      ]);
      expect(res.body.time_off).toHaveLength(1);
      expect(res.body.time_off[0]).toMatchObject({
        starts_at: "2027-01-05T08:00:00.000Z",
        ends_at: "2027-01-07T17:00:00.000Z",
        note: "Congé",
      });
      expect(await meA("GET", `/api/staff/${colleague}/availability`)).toMatchObject({ status: 200, body: res.body });

      // Sending only weekly keeps overrides and time off.
      const again = await adminA("PUT", `/api/staff/${colleague}/availability`, { weekly: [{ weekday: 3, start: "08:00", end: "16:00" }] });
      expect(again.body.weekly).toEqual([{ weekday: 3, start: "08:00", end: "16:00" }]);
      expect(again.body.overrides).toHaveLength(2);
      expect(again.body.time_off).toHaveLength(1);
    });

    it.each([
      [{ weekly: [{ weekday: 1, start: "12:00", end: "09:00" }] }, "weekly.0.end"],
      [{ weekly: [{ weekday: 1, start: "09:00", end: "09:00" }] }, "weekly.0.end"],
      [{ weekly: [{ weekday: 1, start: "9:00", end: "12:00" }] }, "weekly.0.start"],
      [{ weekly: [{ weekday: 1, start: "09:00", end: "25:00" }] }, "weekly.0.end"],
      [{ weekly: [{ weekday: 8, start: "09:00", end: "12:00" }] }, "weekly.0.weekday"],
      [
        {
          weekly: [
            { weekday: 1, start: "09:00", end: "13:00" },
            { weekday: 1, start: "12:00", end: "18:00" },
          ],
        },
        "weekly.1.start",
      ],
      [{ overrides: [{ date: "2026-02-30", ranges: [] }] }, "overrides.0.date"],
      [
        {
          overrides: [
            {
              date: "2026-03-01",
              ranges: [
                { start: "10:00", end: "12:00" },
                { start: "11:00", end: "13:00" },
              ],
            },
          ],
        },
        "overrides.0.ranges.1.start",
      ],
      [
        {
          overrides: [
            { date: "2026-03-01", ranges: [] },
            { date: "2026-03-01", ranges: [] },
          ],
        },
        "overrides.1.date",
      ],
      [{ time_off: [{ starts_at: "2027-01-05T10:00:00Z", ends_at: "2027-01-05T09:00:00Z" }] }, "time_off.0.ends_at"],
      [{ time_off: [{ starts_at: "2027-01-05 10:00", ends_at: "2027-01-05T11:00:00Z" }] }, "time_off.0.starts_at"],
      [{ weekly: [], staff_id: "x" }, "staff_id"],
    ])("refuses %j with 422 naming the field and keeps the old schedule", async (body, field) => {
      const before = await count(t.a, "staff_availability", "staff_id = $1", [colleague]);
      const res = await adminA("PUT", `/api/staff/${colleague}/availability`, body);
      expect(res.status).toBe(422);
      expect(res.type).toBe("application/problem+json");
      expect(fields(res)).toContain(field);
      expect(await count(t.a, "staff_availability", "staff_id = $1", [colleague])).toBe(before);
    });

    it("lets a staff-role user set their own hours but not a colleague's", async () => {
      const own = await meA("PUT", `/api/staff/${mine}/availability`, { weekly: week });
      expect(own.status).toBe(200);
      const before = await count(t.a, "staff_availability", "staff_id = $1", [colleague]);
      const other = await meA("PUT", `/api/staff/${colleague}/availability`, { weekly: [] });
      expect(other.status).toBe(403);
      expect(await count(t.a, "staff_availability", "staff_id = $1", [colleague])).toBe(before);
    });

    it("answers another tenant's staff id with 404, reading or writing", async () => {
      expect((await adminA("GET", `/api/staff/${otherTenantStaff}/availability`)).status).toBe(404);
      expect((await adminA("PUT", `/api/staff/${otherTenantStaff}/availability`, { weekly: week })).status).toBe(404);
      expect((await meA("PUT", `/api/staff/${otherTenantStaff}/availability`, { weekly: week })).status).toBe(404);
      expect(await count(t.b, "staff_availability", "staff_id = $1", [otherTenantStaff])).toBe(0);
    });

    it("adds and removes single periods of time off, with the same ownership rules", async () => {
      const added = await meA("POST", `/api/staff/${mine}/time-off`, {
        starts_at: "2027-02-01T09:00:00Z",
        ends_at: "2027-02-01T12:00:00Z",
        note: "Doctor",
      });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ starts_at: "2027-02-01T09:00:00.000Z", ends_at: "2027-02-01T12:00:00.000Z", note: "Doctor" });
      const schedule = (await meA("GET", `/api/staff/${mine}/availability`)).body;
      expect(schedule.time_off.map((p: any) => p.id)).toContain(added.body.id);

      const backwards = await meA("POST", `/api/staff/${mine}/time-off`, {
        starts_at: "2027-02-01T12:00:00Z",
        ends_at: "2027-02-01T09:00:00Z",
      });
      expect(backwards.status).toBe(422);
      expect(fields(backwards)).toEqual(["ends_at"]);
      expect(
        (await meA("POST", `/api/staff/${colleague}/time-off`, { starts_at: "2027-02-01T09:00:00Z", ends_at: "2027-02-01T10:00:00Z" }))
          .status,
      ).toBe(403);
      expect(
        (
          await adminA("POST", `/api/staff/${otherTenantStaff}/time-off`, {
            starts_at: "2027-02-01T09:00:00Z",
            ends_at: "2027-02-01T10:00:00Z",
          })
        ).status,
      ).toBe(404);
      expect(await count(t.a, "staff_availability", "kind = 'time_off' and staff_id = $1", [mine])).toBe(1);

      // Another staff member's time-off id under my staff id is not found; a colleague cannot remove mine.
      expect((await meA("DELETE", `/api/staff/${colleague}/time-off/${added.body.id}`)).status).toBe(403);
      expect((await adminA("DELETE", `/api/staff/${colleague}/time-off/${added.body.id}`)).status).toBe(404);
      expect((await meA("DELETE", `/api/staff/${mine}/time-off/${added.body.id}`)).status).toBe(204);
      expect(await count(t.a, "staff_availability", "id = $1", [added.body.id])).toBe(0);
    });

    it("reads and writes a schedule in one database round trip each, over HTTP (no WebSocket)", async () => {
      await meA("GET", `/api/staff/${mine}/availability`); // the host is in the tenant cache from here on
      const costs = [];
      let timeOffId = "";
      costs.push(
        await countRoundTrips(async () => expect((await meA("PUT", `/api/staff/${mine}/availability`, { weekly: week })).status).toBe(200)),
      );
      costs.push(await countRoundTrips(async () => expect((await meA("GET", `/api/staff/${mine}/availability`)).status).toBe(200)));
      costs.push(
        await countRoundTrips(async () => {
          const res = await meA("POST", `/api/staff/${mine}/time-off`, {
            starts_at: "2027-03-01T09:00:00Z",
            ends_at: "2027-03-01T10:00:00Z",
          });
          expect(res.status).toBe(201);
          timeOffId = res.body.id;
        }),
      );
      costs.push(
        await countRoundTrips(async () => expect((await meA("DELETE", `/api/staff/${mine}/time-off/${timeOffId}`)).status).toBe(204)),
      );
      // Refused writes are judged from the same round trip, and write nothing.
      costs.push(
        await countRoundTrips(async () =>
          expect((await meA("PUT", `/api/staff/${colleague}/availability`, { weekly: [] })).status).toBe(403),
        ),
      );
      for (const cost of costs) expect(cost).toMatchObject({ connections: 0, flights: 1 });
    });

    it("needs a token", async () => {
      expect((await client(t.a)("GET", `/api/staff/${mine}/availability`)).status).toBe(401);
      expect((await client(t.a)("PUT", `/api/staff/${mine}/availability`, { weekly: [] })).status).toBe(401);
    });
  });
});
