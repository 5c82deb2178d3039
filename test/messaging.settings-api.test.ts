/**
 * Issue 14's business settings on GET/PATCH /api/settings (customer channel,
 * daily agenda time, sites allowed to embed the booking page) and each
 * member's own alerts on GET/PUT /api/auth/me/alerts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { deriveEventNotifications } from "../src/notify/events";
import { quoteSchema } from "../src/tenancy/naming";
import { member } from "./auth-fixtures";
import { type Client, client, fields, tokenFor } from "./catalogue-helpers";
import { call, PLATFORM_HOST, sql, useTenants, withDb } from "./harness";
import { addBooking, addCustomer, addEvent, outbox, seedWorld } from "./notify-helpers";

const tenants = useTenants();
const framed = { headers: { "sec-fetch-dest": "iframe" } };

const settingsRow = async (schemaName: string) =>
  (
    await sql<{ phone_channel: string; agenda_time: string; embed_origins: string[] }>(
      `SELECT phone_channel, agenda_time::text, embed_origins FROM ${quoteSchema(schemaName)}.settings WHERE id = 1`,
    )
  )[0];

describe("messaging settings on /api/settings", () => {
  let admin: Client;
  let staff: Client;
  beforeAll(async () => {
    admin = client(tenants.a, await tokenFor(tenants.a, "admin"));
    staff = client(tenants.a, await tokenFor(tenants.a, "staff"));
  });

  it("reports the defaults: WhatsApp, agenda at 07:30, no embedding site", async () => {
    const res = await staff("GET", "/api/settings");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ phone_channel: "whatsapp", agenda_time: "07:30", embed_origins: [] });
  });

  it("an admin switches to SMS, moves the agenda and lists sites; the booking page may be framed by them at once", async () => {
    expect((await call(tenants.a.domain, "/", framed)).headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const res = await admin("PATCH", "/api/settings", {
      phone_channel: "sms",
      agenda_time: "08:15",
      embed_origins: ["https://Salon.Example/", "https://salon.example", " https://www.salon.example:8443 ", "http://localhost:8080"],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      phone_channel: "sms",
      agenda_time: "08:15",
      embed_origins: ["https://salon.example", "https://www.salon.example:8443", "http://localhost:8080"],
    });
    expect(await settingsRow(tenants.a.schemaName)).toMatchObject({ phone_channel: "sms", agenda_time: "08:15:00" });
    // No cache stands between the setting and the header: the next framed load carries the new list.
    const csp = (await call(tenants.a.domain, "/", framed)).headers.get("content-security-policy")!;
    expect(csp).toContain("frame-ancestors 'self' https://salon.example https://www.salon.example:8443 http://localhost:8080;");

    expect((await admin("PATCH", "/api/settings", { embed_origins: [] })).body.embed_origins).toEqual([]);
    expect((await call(tenants.a.domain, "/", framed)).headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    // The other business is untouched.
    expect(await settingsRow(tenants.b.schemaName)).toMatchObject({ phone_channel: "whatsapp", embed_origins: [] });
  });

  it("refuses a bad origin with 422 naming each entry, and changes nothing (not even the valid fields)", async () => {
    await admin("PATCH", "/api/settings", { phone_channel: "whatsapp", agenda_time: "07:30", embed_origins: ["https://ok.example"] });
    const bad = await admin("PATCH", "/api/settings", {
      phone_channel: "sms",
      embed_origins: [
        "https://ok.example",
        "https://salon.example/booking",
        "https://*.salon.example",
        "*",
        "http://salon.example",
        "javascript:alert(1)",
        "salon.example",
        "https://salon.example?x=1",
        "https://user:pw@salon.example",
        "https://a.example https://b.example",
      ],
    });
    expect(bad.status).toBe(422);
    expect(bad.type).toContain("application/problem+json");
    expect(fields(bad).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `embed_origins.${i}`).sort());
    expect(await settingsRow(tenants.a.schemaName)).toMatchObject({ phone_channel: "whatsapp", embed_origins: ["https://ok.example"] });

    for (const body of [
      { agenda_time: "25:00" },
      { agenda_time: "7:30" },
      { phone_channel: "telegram" },
      { embed_origins: "https://ok.example" },
      { business_phone: "+212522000000" },
    ]) {
      const res = await admin("PATCH", "/api/settings", body);
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    const tooMany = await admin("PATCH", "/api/settings", { embed_origins: Array.from({ length: 11 }, (_, i) => `https://s${i}.example`) });
    expect(tooMany.status).toBe(422);
    expect(fields(tooMany)).toEqual(["embed_origins"]);
    expect(await settingsRow(tenants.a.schemaName)).toMatchObject({ agenda_time: "07:30:00", embed_origins: ["https://ok.example"] });
  });

  it("keeps staff and other businesses' tokens out", async () => {
    const res = await staff("PATCH", "/api/settings", { phone_channel: "sms" });
    expect(res.status).toBe(403);
    const foreign = client(tenants.b, await tokenFor(tenants.a, "owner"));
    expect((await foreign("PATCH", "/api/settings", { phone_channel: "sms" })).status).toBe(401);
    expect((await client(tenants.a)("GET", "/api/settings")).status).toBe(401);
    expect((await settingsRow(tenants.a.schemaName))!.phone_channel).toBe("whatsapp");
    expect((await settingsRow(tenants.b.schemaName))!.phone_channel).toBe("whatsapp");
  });
});

describe("my alerts on /api/auth/me/alerts", () => {
  const prefs = (schemaName: string) =>
    sql<Record<string, unknown>>(`SELECT * FROM ${quoteSchema(schemaName)}.alert_preferences ORDER BY email`);

  it("starts with every alert by email, then keeps each person's own choices and WhatsApp number", async () => {
    const a = tenants.a;
    const owner = await member(a.id, "owner");
    const me = client(a, await tokenFor(a, "owner", owner.id));
    const first = await me("GET", "/api/auth/me/alerts");
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      email: owner.email.toLowerCase(),
      on_created: true,
      on_cancelled: true,
      on_rescheduled: true,
      daily_agenda: true,
      whatsapp_phone: null,
      staff_member: false,
    });
    const put = await me("PUT", "/api/auth/me/alerts", {
      on_created: false,
      on_cancelled: true,
      on_rescheduled: false,
      daily_agenda: false,
      whatsapp_phone: "06 12 34 56 78",
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ on_created: false, on_rescheduled: false, whatsapp_phone: "+212612345678" });
    expect((await me("GET", "/api/auth/me/alerts")).body).toEqual(put.body);
    const [row] = (await prefs(a.schemaName)).filter((r) => r.email === owner.email.toLowerCase());
    expect(row).toMatchObject({ on_created: false, on_cancelled: true, whatsapp_phone: "+212612345678" });

    // Clearing the number.
    const cleared = await me("PUT", "/api/auth/me/alerts", {
      on_created: true,
      on_cancelled: true,
      on_rescheduled: true,
      daily_agenda: true,
      whatsapp_phone: "",
    });
    expect(cleared.body.whatsapp_phone).toBeNull();
  });

  it("a staff member's choices also cover the email of their staff record, and the alerts follow them", async () => {
    const a = tenants.a;
    const world = await seedWorld(a);
    const user = await member(a.id, "staff");
    const staffEmail = `desk-${crypto.randomUUID().slice(0, 8)}@example.ma`;
    await sql(`UPDATE ${quoteSchema(a.schemaName)}.staff SET user_id = $1, email = $2 WHERE id = $3`, [user.id, staffEmail, world.staffId]);
    const me = client(a, await tokenFor(a, "staff", user.id));
    expect((await me("GET", "/api/auth/me/alerts")).body.staff_member).toBe(true);
    const put = await me("PUT", "/api/auth/me/alerts", { on_created: false, on_cancelled: true, on_rescheduled: true, daily_agenda: true });
    expect(put.status).toBe(200);
    const rows = (await prefs(a.schemaName)).filter((r) => r.email === staffEmail || r.email === user.email.toLowerCase());
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.on_created === false)).toBe(true);

    // A new booking of theirs alerts nobody at the staff email; a cancellation does.
    const { id: customerId } = await addCustomer(a);
    const bookingId = await addBooking(a, world, customerId, new Date(Date.now() + 50 * 3_600_000));
    await addEvent(a, bookingId, "created", null, { status: "confirmed" });
    await addEvent(a, bookingId, "cancelled", { status: "confirmed" }, { status: "cancelled" });
    await withDb((c) => deriveEventNotifications(c, a.schemaName));
    const alerts = await outbox(a, "booking_id = $1 AND recipient = $2", [bookingId, staffEmail]);
    expect(alerts.map((r) => r.kind)).toEqual(["alert_cancelled"]);
  });

  it("refuses a bad number or unknown field with 422 and changes nothing; needs a member's token on the business's host", async () => {
    const a = tenants.a;
    const user = await member(a.id, "admin");
    const me = client(a, await tokenFor(a, "admin", user.id));
    const ok = { on_created: true, on_cancelled: false, on_rescheduled: true, daily_agenda: true, whatsapp_phone: "+212612345678" };
    expect((await me("PUT", "/api/auth/me/alerts", ok)).status).toBe(200);
    for (const body of [
      { ...ok, on_cancelled: true, whatsapp_phone: "0612" },
      { ...ok, on_cancelled: true, whatsapp_phone: "call me" },
      { ...ok, on_cancelled: true, email: "someone@else.ma" },
      { on_created: true },
      { ...ok, on_cancelled: "yes" },
    ]) {
      const res = await me("PUT", "/api/auth/me/alerts", body);
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    const bad = await me("PUT", "/api/auth/me/alerts", { ...ok, whatsapp_phone: "0612" });
    expect(fields(bad)).toEqual(["whatsapp_phone"]);
    expect((await me("GET", "/api/auth/me/alerts")).body).toMatchObject({ on_cancelled: false, whatsapp_phone: "+212612345678" });

    expect((await client(a)("GET", "/api/auth/me/alerts")).status).toBe(401);
    // A token of business A on business B's host, and the platform host.
    expect((await client(tenants.b, await tokenFor(a, "admin", user.id))("GET", "/api/auth/me/alerts")).status).toBe(401);
    const platform = await call(PLATFORM_HOST, "/api/auth/me/alerts", {
      headers: { authorization: `Bearer ${await tokenFor(a, "admin")}` },
    });
    expect(platform.status).toBe(404);
    // B's table holds nothing of A's people.
    expect((await prefs(tenants.b.schemaName)).some((r) => r.email === user.email.toLowerCase())).toBe(false);
  });
});
