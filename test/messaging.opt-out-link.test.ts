/**
 * Issue 14: "a STOP reply or a link". The manage page (reached through the
 * short link of every WhatsApp/SMS) stops messages to the booking's phone with
 * a POST carrying the manage token, honoured by the same opt-out the STOP
 * reply writes; "send me messages again" lifts only what the link did.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { managePath, signManageToken } from "../src/bookings/manage-token";
import { deliverDue } from "../src/notify/deliver";
import { deriveEventNotifications } from "../src/notify/events";
import { loadNotifyTenant } from "../src/notify/job";
import { WhatsAppProvider } from "../src/notify/phone";
import { enqueueDueReminders } from "../src/notify/reminders";
import { quoteSchema } from "../src/tenancy/naming";
import { call, sql, type TestTenant, useTenants, withDb } from "./harness";
import { addEvent, captured, captureUrl, minutes, outbox, seedWorld, TEST_SECRET, type World } from "./notify-helpers";

const tenants = useTenants();
const whatsapp = () => new WhatsAppProvider({ url: captureUrl(), token: "wa-test", phoneNumberId: "100200300" });
const newPhone = () => `+2126${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
const whatsAppTo = (phone: string) => captured((m) => m.body?.messaging_product === "whatsapp" && m.body.to === phone.slice(1));

let slot = 0;
/** A phone-only booking at `start` and its manage token. */
async function phoneBooking(t: TestTenant, world: World, phone: string, start: Date) {
  const id = crypto.randomUUID();
  const at = new Date(start.getTime() + ++slot * minutes(61) * 24 * 7);
  const end = new Date(at.getTime() + minutes(60));
  await sql(
    `INSERT INTO ${quoteSchema(t.schemaName)}.bookings
       (id, service_id, staff_id, starts_at, ends_at, blocked_from, blocked_until, session_key, status, price_minor, currency,
        contact_name, contact_phone, contact_locale)
     VALUES ($1::uuid, $2, $3, $4::timestamptz, $5::timestamptz, $4::timestamptz, $5::timestamptz, $1::text, 'confirmed', 20000, 'MAD', 'Fatima', $6, 'fr')`,
    [id, world.serviceId, world.staffId, at.toISOString(), end.toISOString(), phone],
  );
  const { token } = await signManageToken(TEST_SECRET, { tenantId: t.id, bookingId: id, version: 1, endsAtMs: end.getTime() });
  return { id, token, start: at };
}

const post = (t: TestTenant, path: string, fields: Record<string, string> = {}) =>
  call(t.domain, path, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    body: new URLSearchParams(fields).toString(),
  });
const page = async (t: TestTenant, path: string) => (await call(t.domain, path, { headers: { accept: "text/html" } })).text();
const optOuts = (t: TestTenant, phone: string) =>
  sql<{ source: string }>(`SELECT source FROM ${quoteSchema(t.schemaName)}.message_opt_outs WHERE phone = $1`, [phone]);

async function deliver(t: TestTenant, now = new Date()) {
  return withDb(async (c) => {
    const tenant = (await loadNotifyTenant(c, t.id))!;
    return deliverDue(c, { tenant, email: null, whatsapp: whatsapp(), manageSecret: TEST_SECRET, now, appEnv: env.APP_ENV });
  });
}

describe("the opt-out link on the manage page", () => {
  let world: World;
  beforeAll(async () => {
    world = await seedWorld(tenants.a);
  });

  it("a customer who used the opt-out link gets no reminder, and a message already queued is not sent", async () => {
    const a = tenants.a;
    const s = quoteSchema(a.schemaName);
    const phone = newPhone();
    const T0 = new Date(Math.floor(Date.now() / minutes(1)) * minutes(1));
    const booking = await phoneBooking(a, world, phone, new Date(T0.getTime() + 30 * 3_600_000));
    await addEvent(a, booking.id, "created", null, { status: "confirmed" });
    await withDb((c) => deriveEventNotifications(c, a.schemaName)); // the confirmation waits in the outbox

    const before = await page(a, managePath(booking.token));
    expect(before).toContain(`action="${managePath(booking.token)}/messages/stop"`);
    const res = await post(a, `${managePath(booking.token)}/messages/stop`, { lang: "en" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${managePath(booking.token)}?stopped=1&lang=en`);
    expect(await optOuts(a, phone)).toEqual([{ source: "link" }]);
    const after = await page(a, `${managePath(booking.token)}?stopped=1&lang=en`);
    expect(after).toContain("no more WhatsApp or SMS messages will be sent to");
    expect(after).toContain(`action="${managePath(booking.token)}/messages/resume"`);

    await deliver(a);
    expect(await outbox(a, "booking_id = $1", [booking.id])).toMatchObject([{ status: "skipped", last_error: "recipient opted out" }]);
    // The reminder a day before: not even written.
    await sql(`INSERT INTO ${s}.job_cursors (job, until) VALUES ('reminders', $1) ON CONFLICT (job) DO UPDATE SET until = $1`, [
      T0.toISOString(),
    ]);
    const dayBefore = new Date(booking.start.getTime() - 23 * 3_600_000);
    await withDb((c) => enqueueDueReminders(c, a.schemaName, dayBefore));
    await deliver(a, dayBefore);
    expect(await outbox(a, "booking_id = $1 AND kind = 'reminder'", [booking.id])).toHaveLength(0);
    expect(await whatsAppTo(phone)).toHaveLength(0);

    // Control: without the opt-out the same scan writes that reminder.
    await sql(`DELETE FROM ${s}.message_opt_outs WHERE phone = $1`, [phone]);
    await sql(`UPDATE ${s}.job_cursors SET until = $1 WHERE job = 'reminders'`, [T0.toISOString()]);
    await withDb((c) => enqueueDueReminders(c, a.schemaName, dayBefore));
    expect(await outbox(a, "booking_id = $1 AND kind = 'reminder'", [booking.id])).toHaveLength(1);
    await sql(`DELETE FROM ${s}.notifications WHERE booking_id = $1 AND kind = 'reminder'`, [booking.id]);
  });

  it("the opt-out needs the manage token, and a GET (a link previewer) changes nothing", async () => {
    const a = tenants.a;
    const phone = newPhone();
    const booking = await phoneBooking(a, world, phone, new Date(Date.now() + 40 * 3_600_000));
    const forged = `${booking.token.slice(0, -4)}AAAA`;
    expect((await post(a, `${managePath(forged)}/messages/stop`)).status).toBe(404);
    expect((await post(a, "/manage/not-a-token/messages/stop")).status).toBe(404);
    // The same token on another business's host grants nothing there.
    expect((await post(tenants.b, `${managePath(booking.token)}/messages/stop`)).status).toBe(404);
    expect((await call(a.domain, `${managePath(booking.token)}/messages/stop`, { redirect: "manual" })).status).toBe(404);
    // A token whose version was revoked (the booking moved) no longer opts anyone out.
    await sql(`UPDATE ${quoteSchema(a.schemaName)}.bookings SET manage_token_version = 2 WHERE id = $1`, [booking.id]);
    expect((await post(a, `${managePath(booking.token)}/messages/stop`)).status).toBe(404);
    expect(await optOuts(a, phone)).toEqual([]);
  });

  it("opting out is idempotent, and 'send me messages again' lifts only the link's opt-out", async () => {
    const a = tenants.a;
    const phone = newPhone();
    const booking = await phoneBooking(a, world, phone, new Date(Date.now() + 60 * 3_600_000));
    const stop = `${managePath(booking.token)}/messages/stop`;
    expect((await post(a, stop)).status).toBe(303);
    expect((await post(a, stop)).status).toBe(303);
    expect(await optOuts(a, phone)).toEqual([{ source: "link" }]);

    const resumed = await post(a, `${managePath(booking.token)}/messages/resume`, { lang: "fr" });
    expect(resumed.headers.get("location")).toBe(`${managePath(booking.token)}?resumed=1&lang=fr`);
    expect(await optOuts(a, phone)).toEqual([]);
    expect(await page(a, `${managePath(booking.token)}?resumed=1`)).toContain("vous recevrez à nouveau les messages");

    // A STOP sent from the phone itself stays: the link cannot undo it, and stopping again keeps its source.
    await sql(`INSERT INTO ${quoteSchema(a.schemaName)}.message_opt_outs (phone, source) VALUES ($1, 'whatsapp_stop')`, [phone]);
    expect((await post(a, stop)).status).toBe(303);
    const refused = await post(a, `${managePath(booking.token)}/messages/resume`);
    expect(refused.headers.get("location")).not.toContain("resumed=1");
    expect(await optOuts(a, phone)).toEqual([{ source: "whatsapp_stop" }]);
    const html = await page(a, managePath(booking.token));
    expect(html).toContain("a répondu STOP");
    expect(html).not.toContain("/messages/resume");
  });

  it("a booking without a phone shows no such action, in any language", async () => {
    const a = tenants.a;
    const booking = await phoneBooking(a, world, newPhone(), new Date(Date.now() + 70 * 3_600_000));
    await sql(`UPDATE ${quoteSchema(a.schemaName)}.bookings SET contact_phone = NULL, contact_email = 'x@example.ma' WHERE id = $1`, [
      booking.id,
    ]);
    for (const lang of ["fr", "ar", "en"]) {
      expect(await page(a, `${managePath(booking.token)}?lang=${lang}`)).not.toContain("/messages/stop");
    }
    expect((await post(a, `${managePath(booking.token)}/messages/stop`)).status).toBe(303);
  });
});
