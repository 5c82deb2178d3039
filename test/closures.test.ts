import { describe, expect, it } from "vitest";
import { quoteSchema } from "../src/tenancy/naming";
import { client, fields } from "./catalogue-helpers";
import { daysAhead, seedCatalogue, slotsOn, staffToken } from "./fixtures/booking";
import { countRoundTrips, sql, useTenants } from "./harness";

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const ramadan = (staffIds: string[], extra: Record<string, unknown> = {}) => ({
  label: "Ramadan",
  starts_on: "2027-02-07",
  ends_on: "2027-03-14",
  staff_ids: staffIds,
  weekly: EVERY_DAY.map((weekday) => ({ weekday, start: "10:00", end: "16:00" })),
  ...extra,
});
const local = (slots: { local_start: string }[]) => slots.map((s) => s.local_start.slice(11, 16));

describe("business-wide closures", () => {
  const t = useTenants();

  it("an admin closes the business on a date: no slot for anyone, then reopens it", async () => {
    const cat = await seedCatalogue(t.a);
    const admin = client(t.a, await staffToken(t.a, crypto.randomUUID(), "admin"));
    const date = daysAhead(12);
    expect((await slotsOn(t.a.domain, cat.serviceId, date)).length).toBeGreaterThan(0);

    const created = await admin("POST", "/api/closures", { starts_on: date, ends_on: daysAhead(13), label: "Fête du Trône" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ starts_on: date, ends_on: daysAhead(13), label: "Fête du Trône" });
    expect(await slotsOn(t.a.domain, cat.serviceId, date)).toEqual([]);
    expect(await slotsOn(t.a.domain, cat.serviceId, date, cat.staffA.id)).toEqual([]);
    expect((await slotsOn(t.a.domain, cat.serviceId, daysAhead(14))).length).toBeGreaterThan(0);

    const list = await admin("GET", `/api/closures?from=${daysAhead(1)}`);
    expect(list.body.data.map((c: { id: string }) => c.id)).toContain(created.body.id);
    // Closures are the tenant's own: the other business is open.
    const catB = await seedCatalogue(t.b);
    expect((await slotsOn(t.b.domain, catB.serviceId, date)).length).toBeGreaterThan(0);

    expect((await admin("DELETE", `/api/closures/${created.body.id}`)).status).toBe(204);
    expect((await admin("DELETE", `/api/closures/${created.body.id}`)).status).toBe(404);
    expect((await slotsOn(t.a.domain, cat.serviceId, date)).length).toBeGreaterThan(0);
  });

  it("validates the range and keeps writes to admins", async () => {
    const admin = client(t.a, await staffToken(t.a, crypto.randomUUID(), "admin"));
    const staff = client(t.a, await staffToken(t.a, crypto.randomUUID(), "staff"));
    const bad = await admin("POST", "/api/closures", { starts_on: "2027-01-10", ends_on: "2027-01-09" });
    expect(bad.status).toBe(422);
    expect(fields(bad)).toEqual(["ends_on"]);
    expect((await admin("POST", "/api/closures", { starts_on: "2027-01-01", ends_on: "2028-06-01" })).status).toBe(422);
    expect((await admin("POST", "/api/closures", { starts_on: "2027-02-30", ends_on: "2027-03-01" })).status).toBe(422);
    expect((await staff("POST", "/api/closures", { starts_on: "2027-01-10", ends_on: "2027-01-10" })).status).toBe(403);
    expect((await staff("GET", "/api/closures")).status).toBe(200);
    expect((await client(t.a)("GET", "/api/closures")).status).toBe(401);
  });
});

describe("seasonal hours (Ramadan on the Casablanca clock)", () => {
  const t = useTenants();

  it("replaces the weekly hours of the chosen staff on its dates, across both clock changes", async () => {
    const cat = await seedCatalogue(t.a, { weekly: { start: "09:00", end: "18:00" } });
    const admin = client(t.a, await staffToken(t.a, crypto.randomUUID(), "admin"));
    const created = await admin("POST", "/api/seasonal-hours", ramadan([cat.staffA.id]));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ label: "Ramadan", starts_on: "2027-02-07", ends_on: "2027-03-14", staff_ids: [cat.staffA.id] });

    // The day before: weekly hours 09:00-18:00 at +01 (09:00 local = 08:00 UTC).
    const before = await slotsOn(t.a.domain, cat.serviceId, "2027-02-06", cat.staffA.id);
    expect(local(before)[0]).toBe("09:00");
    expect(before[0]!.start).toBe("2027-02-06T08:00:00.000Z");
    // The day Morocco goes back to +00 (03:00 → 02:00): Ramadan hours 10:00-16:00, 10:00 local = 10:00 UTC.
    const first = await slotsOn(t.a.domain, cat.serviceId, "2027-02-07", cat.staffA.id);
    expect(local(first)[0]).toBe("10:00");
    expect(local(first).at(-1)).toBe("15:00");
    expect(first[0]!.start).toBe("2027-02-07T10:00:00.000Z");
    // Mid-Ramadan, the other staff member keeps the weekly hours.
    expect(local(await slotsOn(t.a.domain, cat.serviceId, "2027-02-24", cat.staffB.id))[0]).toBe("09:00");
    expect(local(await slotsOn(t.a.domain, cat.serviceId, "2027-02-24", cat.staffA.id))[0]).toBe("10:00");
    // The last day, clocks forward again (02:00 → 03:00): still Ramadan hours, now at +01.
    const last = await slotsOn(t.a.domain, cat.serviceId, "2027-03-14", cat.staffA.id);
    expect(local(last)[0]).toBe("10:00");
    expect(last[0]!.start).toBe("2027-03-14T09:00:00.000Z");
    expect(local(await slotsOn(t.a.domain, cat.serviceId, "2027-03-15", cat.staffA.id))[0]).toBe("09:00");

    // A closure inside Ramadan still closes the day; the staff member's own override still wins.
    await admin("POST", "/api/closures", { starts_on: "2027-02-20", ends_on: "2027-02-20" });
    expect(await slotsOn(t.a.domain, cat.serviceId, "2027-02-20", cat.staffA.id)).toEqual([]);
    const put = await admin("PUT", `/api/staff/${cat.staffA.id}/availability`, {
      overrides: [{ date: "2027-02-21", ranges: [{ start: "20:00", end: "23:00" }] }],
    });
    expect(put.status).toBe(200);
    expect(local(await slotsOn(t.a.domain, cat.serviceId, "2027-02-21", cat.staffA.id))).toEqual([
      "20:00",
      "20:30",
      "21:00",
      "21:30",
      "22:00",
    ]);
  });

  it("availability stays one HTTP round trip with closures and seasons", async () => {
    const cat = await seedCatalogue(t.a);
    const admin = client(t.a, await staffToken(t.a, crypto.randomUUID(), "admin"));
    await admin("POST", "/api/seasonal-hours", ramadan([cat.staffA.id, cat.staffB.id]));
    await slotsOn(t.a.domain, cat.serviceId, "2027-02-10");
    const stats = await countRoundTrips(() => slotsOn(t.a.domain, cat.serviceId, "2027-02-10"));
    expect(stats.connections).toBe(0);
    expect(stats.flights).toBe(1);
  });

  it("previews the upcoming bookings outside the new hours, then replaces and deletes the season", async () => {
    const cat = await seedCatalogue(t.b, { weekly: { start: "09:00", end: "18:00" } });
    const admin = client(t.b, await staffToken(t.b, crypto.randomUUID(), "admin"));
    const s = quoteSchema(t.b.schemaName);
    const [cust] = await sql<{ id: string }>(`INSERT INTO ${s}.customers (name, email) VALUES ('Salma', 'salma@example.ma') RETURNING id`);
    const book = async (staffId: string, startsAt: string, endsAt: string, status = "confirmed") =>
      (
        await sql<{ id: string }>(
          `INSERT INTO ${s}.bookings (service_id, staff_id, customer_id, starts_at, ends_at, blocked_from, blocked_until, status, price_minor, currency, session_key)
           VALUES ($1, $2, $3, $4, $5, $4, $5, $6, 20000, 'MAD', gen_random_uuid()::text) RETURNING id`,
          [cat.serviceId, staffId, cust!.id, startsAt, endsAt, status],
        )
      )[0]!.id;
    // 2027-02-10 is at +00: 09:00 local is 09:00Z (outside 10-16), 11:00 is inside, 15:30-16:30 runs past 16:00.
    const early = await book(cat.staffA.id, "2027-02-10T09:00:00Z", "2027-02-10T10:00:00.000Z");
    await book(cat.staffA.id, "2027-02-10T11:00:00Z", "2027-02-10T12:00:00.000Z");
    const late = await book(cat.staffA.id, "2027-02-11T15:30:00Z", "2027-02-11T16:30:00Z");
    await book(cat.staffA.id, "2027-02-12T08:00:00Z", "2027-02-12T09:00:00Z", "cancelled");
    await book(cat.staffB.id, "2027-02-10T09:00:00Z", "2027-02-10T10:00:00.000Z");
    const after = await book(cat.staffA.id, "2027-03-20T08:00:00Z", "2027-03-20T09:00:00.000Z");

    const preview = await admin("POST", "/api/seasonal-hours/preview", ramadan([cat.staffA.id]));
    expect(preview.status).toBe(200);
    expect(preview.body.affected.map((b: { id: string }) => b.id)).toEqual([early, late]);
    expect(preview.body.affected[0]).toMatchObject({ staff_name: "Amina", customer_name: "Salma", starts_at: "2027-02-10T09:00:00.000Z" });
    expect(preview.body.affected.map((b: { id: string }) => b.id)).not.toContain(after);

    const created = await admin("POST", "/api/seasonal-hours", ramadan([cat.staffA.id]));
    const replaced = await admin("PUT", `/api/seasonal-hours/${created.body.id}`, ramadan([cat.staffB.id], { label: "Ramadan 1448" }));
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ label: "Ramadan 1448", staff_ids: [cat.staffB.id] });
    expect((await admin("GET", `/api/seasonal-hours/${created.body.id}`)).body.staff_ids).toEqual([cat.staffB.id]);
    expect(local(await slotsOn(t.b.domain, cat.serviceId, "2027-02-24", cat.staffA.id))[0]).toBe("09:00");
    expect(local(await slotsOn(t.b.domain, cat.serviceId, "2027-02-24", cat.staffB.id))[0]).toBe("10:00");
    expect((await admin("GET", "/api/seasonal-hours")).body.data).toHaveLength(1);

    const unknown = await admin("POST", "/api/seasonal-hours", ramadan([crypto.randomUUID()]));
    expect(unknown.status).toBe(422);
    expect(fields(unknown)).toEqual(["staff_ids"]);
    const overlap = await admin(
      "POST",
      "/api/seasonal-hours",
      ramadan([cat.staffA.id], {
        weekly: [
          { weekday: 1, start: "10:00", end: "12:00" },
          { weekday: 1, start: "11:00", end: "13:00" },
        ],
      }),
    );
    expect(overlap.status).toBe(422);
    const staff = client(t.b, await staffToken(t.b, crypto.randomUUID(), "staff"));
    expect((await staff("POST", "/api/seasonal-hours", ramadan([cat.staffA.id]))).status).toBe(403);

    expect((await admin("DELETE", `/api/seasonal-hours/${created.body.id}`)).status).toBe(204);
    expect((await admin("GET", `/api/seasonal-hours/${created.body.id}`)).status).toBe(404);
    expect(local(await slotsOn(t.b.domain, cat.serviceId, "2027-02-24", cat.staffB.id))[0]).toBe("09:00");
  });
});
