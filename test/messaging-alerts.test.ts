/** Issue 14: business alerts (owner/admins and the booking's staff member) and the daily staff agenda. */
import { env } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueDueAgendas } from "../src/notify/alerts";
import { deliverDue } from "../src/notify/deliver";
import { deriveEventNotifications } from "../src/notify/events";
import { loadNotifyTenant } from "../src/notify/job";
import { WhatsAppProvider } from "../src/notify/phone";
import { HttpEmailProvider } from "../src/notify/provider";
import { quoteSchema } from "../src/tenancy/naming";
import type { TestTenant } from "./harness";
import { createTenant, dropTenant, sql, useTenants, withDb } from "./harness";
import { addEvent, captured, captureUrl, emailsTo, minutes, outbox, seedWorld, TEST_SECRET } from "./notify-helpers";

const tenants = useTenants();
const email = () => new HttpEmailProvider({ url: env.EMAIL_API_URL!, apiKey: "test", from: "BookMe Test <no-reply@bookme.test>" });
const whatsapp = () => new WhatsAppProvider({ url: captureUrl(), token: "wa-test", phoneNumberId: "100200300" });

async function deliver(t: TestTenant, now = new Date()) {
  return withDb(async (c) => {
    const tenant = (await loadNotifyTenant(c, t.id))!;
    return deliverDue(c, { tenant, email: email(), whatsapp: whatsapp(), manageSecret: TEST_SECRET, now, appEnv: env.APP_ENV });
  });
}
const rand = () => crypto.randomUUID().slice(0, 8);

async function addMember(t: TestTenant, role: "owner" | "admin" | "staff"): Promise<string> {
  const address = `${role}-${rand()}@alerts.test`;
  const [u] = await sql<{ id: string }>(`INSERT INTO users (email, display_name) VALUES ($1, 'Member') RETURNING id`, [address]);
  await sql(`INSERT INTO tenant_memberships (user_id, tenant_id, role) VALUES ($1, $2, $3)`, [u!.id, t.id, role]);
  return address;
}

describe("business alerts", () => {
  it("the owner and the staff member get the new-booking alert, each as they chose", async () => {
    const a = tenants.a;
    const s = quoteSchema(a.schemaName);
    const world = await seedWorld(a);
    const owner = await addMember(a, "owner");
    const admin = await addMember(a, "admin");
    const plainStaff = await addMember(a, "staff");
    const staffEmail = `badr-${rand()}@alerts.test`;
    const ownerPhone = `+2126${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
    await sql(`UPDATE ${s}.staff SET email = $2 WHERE id = $1`, [world.staffId, staffEmail]);
    // The owner also wants WhatsApp; the admin does not want new-booking alerts.
    await sql(`INSERT INTO ${s}.alert_preferences (email, whatsapp_phone) VALUES ($1, $2)`, [owner, ownerPhone]);
    await sql(`INSERT INTO ${s}.alert_preferences (email, on_created) VALUES ($1, false)`, [admin]);

    const id = crypto.randomUUID();
    const start = new Date(Math.floor(Date.now() / minutes(1)) * minutes(1) + 3 * 86_400_000);
    await sql(
      `INSERT INTO ${s}.bookings (id, service_id, staff_id, starts_at, ends_at, blocked_from, blocked_until, session_key, status, price_minor,
                                  currency, contact_name, contact_phone)
       VALUES ($1::uuid, $2, $3, $4::timestamptz, $5::timestamptz, $4::timestamptz, $5::timestamptz, $1::text, 'confirmed', 20000, 'MAD', 'Khadija', '+212611111111')`,
      [id, world.serviceId, world.staffId, start.toISOString(), new Date(start.getTime() + minutes(60)).toISOString()],
    );
    await addEvent(a, id, "created", null, { status: "confirmed" });
    await withDb((c) => deriveEventNotifications(c, a.schemaName));
    await withDb((c) => deriveEventNotifications(c, a.schemaName));
    const alerts = await outbox(a, "booking_id = $1 AND kind = 'alert_created'", [id]);
    expect(alerts.map((r) => r.channel).sort()).toEqual(["email", "email", "whatsapp"]);

    await deliver(a);
    const [mail, ...more] = await emailsTo(owner);
    expect(more).toHaveLength(0);
    expect(mail!.body.subject).toContain("Nouveau rendez-vous: Khadija – Coupe & brushing");
    expect(await emailsTo(staffEmail)).toHaveLength(1);
    expect(await emailsTo(admin)).toHaveLength(0);
    expect(await emailsTo(plainStaff)).toHaveLength(0);
    const wa = await captured((m) => m.body?.messaging_product === "whatsapp" && m.body.to === ownerPhone.slice(1));
    expect(wa).toHaveLength(1);
    expect(wa[0]!.body.template.name).toBe("bookme_alert_created");

    // A cancellation alerts again (the admin wants these).
    await sql(`UPDATE ${s}.bookings SET status = 'cancelled' WHERE id = $1`, [id]);
    await addEvent(a, id, "cancelled", { status: "confirmed" }, { status: "cancelled" });
    await withDb((c) => deriveEventNotifications(c, a.schemaName));
    await deliver(a);
    expect((await emailsTo(admin)).map((m) => m.body.subject as string)).toEqual([expect.stringContaining("Rendez-vous annulé")]);
  });

  it("speaks to a staff member in their login's language, else in the business's", async () => {
    const a = tenants.a;
    const s = quoteSchema(a.schemaName);
    const world = await seedWorld(a);
    const staffEmail = `amal-${rand()}@alerts.test`;
    await sql(`UPDATE ${s}.staff SET email = $2, user_id = NULL WHERE id = $1`, [world.staffId, staffEmail]);
    const [business] = await sql<{ locale: string }>(`SELECT locale FROM tenants WHERE id = $1`, [a.id]);
    await sql(`UPDATE tenants SET locale = 'ar' WHERE id = $1`, [a.id]);
    const localeOf = async (bookingId: string) =>
      (await outbox(a, "booking_id = $1 AND kind = 'alert_created' AND recipient = $2", [bookingId, staffEmail])).map((r) => r.locale);
    const book = async () => {
      const id = crypto.randomUUID();
      const start = new Date(Math.floor(Date.now() / minutes(1)) * minutes(1) + 4 * 86_400_000 + Math.floor(Math.random() * 1e6) * 60_000);
      await sql(
        `INSERT INTO ${s}.bookings (id, service_id, staff_id, starts_at, ends_at, blocked_from, blocked_until, session_key, status, price_minor,
                                    currency, contact_name, contact_phone)
         VALUES ($1::uuid, $2, $3, $4::timestamptz, $5::timestamptz, $4::timestamptz, $5::timestamptz, $1::text, 'confirmed', 20000, 'MAD', 'Sanae', '+212622222222')`,
        [id, world.serviceId, world.staffId, start.toISOString(), new Date(start.getTime() + minutes(30)).toISOString()],
      );
      await addEvent(a, id, "created", null, { status: "confirmed" });
      await withDb((c) => deriveEventNotifications(c, a.schemaName));
      return id;
    };
    // No login linked: the business's default language (Arabic here), no longer always French.
    expect(await localeOf(await book())).toEqual(["ar"]);
    await sql(`UPDATE tenants SET locale = $2 WHERE id = $1`, [a.id, business!.locale]);
    // Linked to a login that reads English: English.
    const [u] = await sql<{ id: string }>(`INSERT INTO users (email, display_name, locale) VALUES ($1, 'Amal', 'en') RETURNING id`, [
      `amal-login-${rand()}@alerts.test`,
    ]);
    await sql(`UPDATE ${s}.staff SET user_id = $2 WHERE id = $1`, [world.staffId, u!.id]);
    expect(await localeOf(await book())).toEqual(["en"]);
    await sql(`UPDATE ${s}.staff SET user_id = NULL WHERE id = $1`, [world.staffId]);
  });
});

describe("daily agenda", () => {
  let paris: TestTenant;
  beforeAll(async () => {
    paris = await createTenant({ timeZone: "Europe/Paris" });
  });
  afterAll(async () => {
    if (paris) await dropTenant(paris);
  });

  it("goes out once per staff member per local day, at the business's time, across a DST change day", async () => {
    const s = quoteSchema(paris.schemaName);
    const world = await seedWorld(paris);
    await sql(`UPDATE ${s}.staff SET email = 'badr@agenda.test' WHERE id = $1`, [world.staffId]);
    await sql(`INSERT INTO ${s}.staff (display_name, email) VALUES ('Salma', 'salma@agenda.test'), ('Off', NULL)`);
    await sql(`INSERT INTO ${s}.settings (id, agenda_time) VALUES (1, '08:00') ON CONFLICT (id) DO UPDATE SET agenda_time = '08:00'`);
    // Sunday 25 October 2026: Paris goes from UTC+2 to UTC+1 at 03:00.
    await sql(
      `INSERT INTO ${s}.bookings (service_id, staff_id, starts_at, ends_at, blocked_from, blocked_until, session_key, status, price_minor, currency, contact_name)
       VALUES ($1, $2, '2026-10-25T09:30:00Z', '2026-10-25T10:30:00Z', '2026-10-25T09:30:00Z', '2026-10-25T10:30:00Z', 'agenda-1', 'confirmed', 20000, 'MAD', 'Nadia')`,
      [world.serviceId, world.staffId],
    );
    let total = 0;
    const firstAt: Record<string, string> = {};
    for (let t = Date.parse("2026-10-24T00:00:00Z"); t < Date.parse("2026-10-27T00:00:00Z"); t += minutes(30)) {
      const now = new Date(t);
      const n = await withDb((c) => enqueueDueAgendas(c, paris.schemaName, paris.timeZone, now));
      if (n) firstAt[now.toISOString()] = String(n);
      total += n;
    }
    expect(total).toBe(6); // 2 staff with an email × 3 local days
    // 08:00 local: 06:00Z before the change, 07:00Z on and after the DST Sunday.
    expect(firstAt).toEqual({ "2026-10-24T06:00:00.000Z": "2", "2026-10-25T07:00:00.000Z": "2", "2026-10-26T07:00:00.000Z": "2" });
    const rows = await sql<{ recipient: string; payload: { day: string; items: { time: string; customer: string }[] } }>(
      `SELECT recipient, payload FROM ${s}.notifications WHERE kind = 'agenda' ORDER BY payload->>'day', recipient`,
    );
    expect(rows.map((r) => `${r.payload.day} ${r.recipient}`)).toEqual([
      "2026-10-24 badr@agenda.test",
      "2026-10-24 salma@agenda.test",
      "2026-10-25 badr@agenda.test",
      "2026-10-25 salma@agenda.test",
      "2026-10-26 badr@agenda.test",
      "2026-10-26 salma@agenda.test",
    ]);
    expect(rows[2]!.payload.items).toEqual([{ time: "10:30", service: "Coupe & brushing", customer: "Nadia" }]);
    await deliver(paris);
    const got = await emailsTo("salma@agenda.test");
    expect(got).toHaveLength(3);
    // 144 ticks of the notify job, each one statement: slow on a loaded machine, not a hang.
  }, 120_000);
});
