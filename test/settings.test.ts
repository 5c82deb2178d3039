import { beforeAll, describe, expect, it } from "vitest";
import { quoteSchema } from "../src/tenancy/naming";
import { sql, useTenants } from "./harness";
import { client, fields, tokenFor, type Client } from "./catalogue-helpers";

describe("tenant booking settings", () => {
  const t = useTenants();
  let staffA: Client;
  let adminA: Client;
  let ownerB: Client;

  beforeAll(async () => {
    staffA = client(t.a, await tokenFor(t.a, "staff"));
    adminA = client(t.a, await tokenFor(t.a, "admin"));
    ownerB = client(t.b, await tokenFor(t.b, "owner"));
  });

  const stored = async (tenant = t.a) =>
    (
      await sql<{ slot_interval_min: number; reminder_offsets_min: number[] }>(`SELECT * FROM ${quoteSchema(tenant.schemaName)}.settings`)
    )[0];

  it("shows the defaults with the business's zone, locale and currency", async () => {
    const res = await staffA("GET", "/api/settings");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      slot_interval_min: 15,
      min_notice_min: 60,
      booking_window_days: 60,
      cancellation_cutoff_min: 120,
      reschedule_cutoff_min: 120,
      reminder_offsets_min: [1440, 120],
      time_zone: "Africa/Casablanca",
      currency: "MAD",
    });
  });

  it("lets an admin change some fields, keeping the others; reminders largest first", async () => {
    const res = await adminA("PATCH", "/api/settings", { slot_interval_min: 30, reminder_offsets_min: [60, 2880, 1440] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ slot_interval_min: 30, min_notice_min: 60, reminder_offsets_min: [2880, 1440, 60] });
    expect((await stored()).slot_interval_min).toBe(30);
    // The other tenant is untouched.
    expect((await ownerB("GET", "/api/settings")).body.slot_interval_min).toBe(15);
    expect(await adminA("PATCH", "/api/settings", { reminder_offsets_min: [] })).toMatchObject({
      status: 200,
      body: { reminder_offsets_min: [] },
    });
  });

  it.each([
    [{ slot_interval_min: 0 }, "slot_interval_min"],
    [{ slot_interval_min: 241 }, "slot_interval_min"],
    [{ min_notice_min: -1 }, "min_notice_min"],
    [{ booking_window_days: 0 }, "booking_window_days"],
    [{ cancellation_cutoff_min: 1.5 }, "cancellation_cutoff_min"],
    [{ reminder_offsets_min: [0] }, "reminder_offsets_min.0"],
    [{ reminder_offsets_min: [-60] }, "reminder_offsets_min.0"],
    [{ reminder_offsets_min: [60, 60] }, "reminder_offsets_min"],
    [{ reminder_offsets_min: [1, 2, 3, 4, 5, 6] }, "reminder_offsets_min"],
    [{ time_zone: "Europe/Paris" }, "time_zone"],
  ])("refuses %j with 422 naming the field and changes nothing", async (body, field) => {
    const before = await stored();
    const res = await adminA("PATCH", "/api/settings", body);
    expect(res.status).toBe(422);
    expect(fields(res)).toContain(field);
    expect(await stored()).toEqual(before);
  });

  it("keeps staff from writing and strangers out", async () => {
    expect((await staffA("PATCH", "/api/settings", { slot_interval_min: 5 })).status).toBe(403);
    expect((await client(t.a)("GET", "/api/settings")).status).toBe(401);
    expect((await client(t.a, await tokenFor(t.b, "owner"))("PATCH", "/api/settings", { slot_interval_min: 5 })).status).toBe(401);
    expect((await stored()).slot_interval_min).not.toBe(5);
  });
});
