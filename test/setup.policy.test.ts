/**
 * Booking policy: "online bookings need approval" (public bookings start
 * pending until staff confirm; staff bookings are unaffected) and the setting
 * on GET/PATCH /api/settings.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { quoteSchema } from "../src/tenancy/naming";
import { json, sql, useTenants } from "./harness";
import { client, fields, tokenFor, type Client } from "./catalogue-helpers";
import { daysAhead, postJson, seedCatalogue, slotsOn } from "./fixtures/booking";

describe("online bookings need approval", () => {
  const t = useTenants();
  let admin: Client;
  let staff: Client;

  beforeAll(async () => {
    admin = client(t.a, await tokenFor(t.a, "admin"));
    staff = client(t.a, await tokenFor(t.a, "staff"));
  });

  const statusOf = async (id: string) =>
    (await sql<{ status: string }>(`SELECT status FROM ${quoteSchema(t.a.schemaName)}.bookings WHERE id = $1`, [id]))[0]?.status;

  async function bookOnline(day: number, n: number) {
    const cat = await seedCatalogue(t.a);
    const slots = await slotsOn(t.a.domain, cat.serviceId, daysAhead(day), cat.staffA.id);
    const res = await postJson(t.a.domain, "/api/public/bookings", {
      service_id: cat.serviceId,
      staff_id: cat.staffA.id,
      start: slots[n]!.start,
      customer: { name: `Approval ${day}-${n}`, email: `approval${day}${n}@example.ma` },
    });
    expect(res.status).toBe(201);
    return { cat, slots, body: await json(res) };
  }

  it("is off by default: online bookings are confirmed at once", async () => {
    expect((await staff("GET", "/api/settings")).body.online_bookings_need_approval).toBe(false);
    const { body } = await bookOnline(6, 0);
    expect(body.booking.status).toBe("confirmed");
    expect(await statusOf(body.booking.id)).toBe("confirmed");
  });

  it("when on, online bookings start pending and staff bookings stay confirmed; staff confirm them", async () => {
    const res = await admin("PATCH", "/api/settings", { online_bookings_need_approval: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ online_bookings_need_approval: true });

    const { cat, slots, body } = await bookOnline(7, 1);
    expect(body.booking.status).toBe("pending");
    expect(await statusOf(body.booking.id)).toBe("pending");

    const byStaff = await admin("POST", "/api/bookings", {
      service_id: cat.serviceId,
      staff_id: cat.staffA.id,
      start: slots[4]!.start,
      customer: { name: "Walk In", phone: "0612345678" },
    });
    expect(byStaff.status).toBe(201);
    expect(byStaff.body.status ?? byStaff.body.booking?.status).toBe("confirmed");

    const confirmed = await admin("POST", `/api/bookings/${body.booking.id}/confirm`);
    expect(confirmed.status).toBe(200);
    expect(await statusOf(body.booking.id)).toBe("confirmed");
  });

  it("refuses a non-boolean and keeps staff from changing it", async () => {
    const bad = await admin("PATCH", "/api/settings", { online_bookings_need_approval: "yes" });
    expect(bad.status).toBe(422);
    expect(fields(bad)).toContain("online_bookings_need_approval");
    expect((await staff("PATCH", "/api/settings", { online_bookings_need_approval: false })).status).toBe(403);
    expect((await admin("PATCH", "/api/settings", { online_bookings_need_approval: false })).body.online_bookings_need_approval).toBe(
      false,
    );
    const { body } = await bookOnline(8, 2);
    expect(body.booking.status).toBe("confirmed");
  });
});
