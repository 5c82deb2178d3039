/**
 * Issue 14: WhatsApp/SMS in the outbox, short manage links, two-way replies, STOP.
 * Providers point at the capture sink (infra/mail-capture.ts), which accepts the
 * WhatsApp Cloud API and Twilio-style SMS shapes.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "../src/notify/deliver";
import { deriveEventNotifications } from "../src/notify/events";
import { loadNotifyTenant } from "../src/notify/job";
import { SmsProvider, WhatsAppProvider } from "../src/notify/phone";
import { enqueueDueReminders } from "../src/notify/reminders";
import { quoteSchema } from "../src/tenancy/naming";
import type { TestTenant } from "./harness";
import { call, json, sql, useTenants, withDb } from "./harness";
import { addEvent, captured, captureUrl, failNext, minutes, outbox, seedWorld, TEST_SECRET, type World } from "./notify-helpers";

const tenants = useTenants();
const whatsapp = () => new WhatsAppProvider({ url: captureUrl(), token: "wa-test", phoneNumberId: "100200300" });
const sms = () => new SmsProvider({ url: captureUrl(), accountSid: "AC123", authToken: "sms-test", from: "+212500000000" });
const APP_SECRET = "test-whatsapp-app-secret";

async function deliver(t: TestTenant, now = new Date()) {
  return withDb(async (c) => {
    const tenant = (await loadNotifyTenant(c, t.id))!;
    return deliverDue(c, { tenant, email: null, whatsapp: whatsapp(), sms: sms(), manageSecret: TEST_SECRET, now, appEnv: env.APP_ENV });
  });
}
const derive = (t: TestTenant) => withDb((c) => deriveEventNotifications(c, t.schemaName));
const remind = (t: TestTenant, now: Date) => withDb((c) => enqueueDueReminders(c, t.schemaName, now));

const newPhone = () => `+2126${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
const whatsAppTo = (phone: string) => captured((m) => m.body?.messaging_product === "whatsapp" && m.body.to === phone.slice(1));
const smsTo = (phone: string) => captured((m) => m.body?.To === phone);

let slot = 0;
/** A booking made with only a phone number (no email, no customer record), `hours` from now. */
async function phoneBooking(
  t: TestTenant,
  world: World,
  phone: string,
  hours: number,
  status = "confirmed",
  locale = "fr",
): Promise<string> {
  const id = crypto.randomUUID();
  // Distinct times per booking (staff exclusion constraint).
  const start = new Date(Math.floor(Date.now() / minutes(1)) * minutes(1) + hours * 3_600_000 + ++slot * minutes(61) * 24 * 7);
  const end = new Date(start.getTime() + minutes(60));
  await sql(
    `INSERT INTO ${quoteSchema(t.schemaName)}.bookings
       (id, service_id, staff_id, starts_at, ends_at, blocked_from, blocked_until, session_key, status, price_minor, currency,
        contact_name, contact_phone, contact_locale)
     VALUES ($1::uuid, $2, $3, $4::timestamptz, $5::timestamptz, $4::timestamptz, $5::timestamptz, $1::text, $6, 20000, 'MAD', 'Fatima', $7, $8)`,
    [id, world.serviceId, world.staffId, start.toISOString(), end.toISOString(), status, phone, locale],
  );
  return id;
}

/** A booking at an exact instant (reminder tests need the instant). */
async function phoneBookingAt(t: TestTenant, world: World, phone: string, start: Date): Promise<string> {
  const id = crypto.randomUUID();
  const end = new Date(start.getTime() + minutes(60));
  await sql(
    `INSERT INTO ${quoteSchema(t.schemaName)}.bookings
       (id, service_id, staff_id, starts_at, ends_at, blocked_from, blocked_until, session_key, status, price_minor, currency,
        contact_name, contact_phone, contact_locale)
     VALUES ($1::uuid, $2, $3, $4::timestamptz, $5::timestamptz, $4::timestamptz, $5::timestamptz, $1::text, 'confirmed', 20000, 'MAD', 'Fatima', $6, 'ar')`,
    [id, world.serviceId, world.staffId, start.toISOString(), end.toISOString(), phone],
  );
  return id;
}

async function hubSignature(raw: string, secret = APP_SECRET): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(raw)));
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function inboundPayload(from: string, id: string, text: string) {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "WABA",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { phone_number_id: "100200300" },
              messages: [{ from: from.slice(1), id, timestamp: "1796000000", type: "text", text: { body: text } }],
            },
          },
        ],
      },
    ],
  });
}

async function postInbound(t: TestTenant, raw: string, signature?: string) {
  return call(t.domain, "/webhooks/whatsapp", {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": signature ?? (await hubSignature(raw)) },
    body: raw,
  });
}

const eventsOf = (t: TestTenant, bookingId: string, action: string) =>
  sql<{ id: string }>(`SELECT id FROM ${quoteSchema(t.schemaName)}.booking_events WHERE booking_id = $1 AND action = $2`, [
    bookingId,
    action,
  ]);

describe("WhatsApp and SMS in the outbox", () => {
  let world: World;
  beforeAll(async () => {
    world = await seedWorld(tenants.a);
  });

  it("a phone-only booking gets a WhatsApp confirmation with a short link that opens the manage page", async () => {
    const a = tenants.a;
    const phone = newPhone();
    const id = await phoneBooking(a, world, phone, 48);
    await addEvent(a, id, "created", null, { status: "confirmed" });
    await derive(a);
    expect(await derive(a)).toMatchObject({ emails: 0 });
    const rows = await outbox(a, "booking_id = $1", [id]);
    expect(rows).toMatchObject([{ channel: "whatsapp", kind: "booking_confirmation", status: "pending" }]);

    expect(await deliver(a)).toMatchObject({ sent: 1 });
    const [msg, ...more] = await whatsAppTo(phone);
    expect(more).toHaveLength(0);
    expect(msg!.path).toBe("/100200300/messages");
    expect(msg!.headers.authorization).toBe("Bearer wa-test");
    expect(msg!.body).toMatchObject({ type: "template", template: { name: "bookme_booking_confirmation", language: { code: "fr" } } });
    const params = msg!.body.template.components[0].parameters.map((p: { text: string }) => p.text) as string[];
    const link = params.at(-1)!;
    expect(link).toMatch(new RegExp(`^https://${a.domain.replace(/\./g, "\\.")}/m/[A-Za-z0-9_-]{16}$`));
    // Stored hashed only.
    const code = link.split("/m/")[1]!;
    const stored = await sql<{ code_hash: string }>(
      `SELECT code_hash FROM ${quoteSchema(a.schemaName)}.short_links WHERE booking_id = $1`,
      [id],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.code_hash).not.toContain(code);

    const redirect = await call(a.domain, `/m/${code}`, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get("location")!;
    expect(location).toMatch(/^\/manage\//);
    const page = await call(a.domain, location);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Coupe &amp; brushing");

    // Unknown code, and a code of another tenant's host: the invalid-link page.
    expect((await call(a.domain, "/m/AAAAAAAAAAAAAAAA", { redirect: "manual" })).status).toBe(404);
    expect((await call(tenants.b.domain, `/m/${code}`, { redirect: "manual" })).status).toBe(404);

    // Rescheduling revokes the link.
    await sql(
      `UPDATE ${quoteSchema(a.schemaName)}.bookings SET starts_at = starts_at + interval '1 day', ends_at = ends_at + interval '1 day',
              blocked_from = blocked_from + interval '1 day', blocked_until = blocked_until + interval '1 day',
              manage_token_version = manage_token_version + 1 WHERE id = $1`,
      [id],
    );
    expect((await call(a.domain, `/m/${code}`, { redirect: "manual" })).status).toBe(404);
  });

  it("reminders go out once, on SMS where the business prefers it", async () => {
    const b = tenants.b;
    const worldB = await seedWorld(b);
    const s = quoteSchema(b.schemaName);
    await sql(`INSERT INTO ${s}.settings (id, phone_channel) VALUES (1, 'sms') ON CONFLICT (id) DO UPDATE SET phone_channel = 'sms'`);
    const T0 = new Date(Math.floor(Date.now() / minutes(1)) * minutes(1));
    const at = (h: number) => new Date(T0.getTime() + h * 3_600_000);
    const phone = newPhone();
    const id = await phoneBookingAt(b, worldB, phone, at(30));
    await sql(`INSERT INTO ${s}.job_cursors (job, until) VALUES ('reminders', $1) ON CONFLICT (job) DO UPDATE SET until = $1`, [
      T0.toISOString(),
    ]);
    expect(await remind(b, at(11))).toBe(1);
    expect(await remind(b, at(11))).toBe(0);
    const rows = await outbox(b, "booking_id = $1", [id]);
    expect(rows).toMatchObject([{ channel: "sms", kind: "reminder" }]);
    expect(await deliver(b, at(11))).toMatchObject({ sent: 1 });
    expect(await deliver(b, at(11))).toMatchObject({ claimed: 0 });
    const got = await smsTo(phone);
    expect(got).toHaveLength(1);
    expect(got[0]!.path).toBe("/2010-04-01/Accounts/AC123/Messages.json");
    expect(got[0]!.headers["content-type"]).toContain("application/x-www-form-urlencoded");
    expect(got[0]!.body.From).toBe("+212500000000");
    expect(got[0]!.body.Body).toContain("تذكير");
    expect(got[0]!.body.Body).toMatch(/\/m\/[A-Za-z0-9_-]{16}/);
    expect(await whatsAppTo(phone)).toHaveLength(0);
    await sql(`UPDATE ${s}.settings SET phone_channel = 'whatsapp' WHERE id = 1`);
  });

  it("a provider 500 is retried with backoff and the message is delivered once", async () => {
    const a = tenants.a;
    const phone = newPhone();
    const id = await phoneBooking(a, world, phone, 72);
    await addEvent(a, id, "created", null, { status: "confirmed" });
    await derive(a);
    await failNext(1, 500);
    const now = new Date();
    expect(await deliver(a, now)).toMatchObject({ claimed: 1, retrying: 1 });
    const [row] = await outbox(a, "booking_id = $1", [id]);
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row!.last_error).toContain("HTTP 500");
    // Not due before its backoff.
    expect(await deliver(a, now)).toMatchObject({ claimed: 0 });
    expect(await deliver(a, new Date(now.getTime() + minutes(2)))).toMatchObject({ sent: 1 });
    expect(await deliver(a, new Date(now.getTime() + minutes(20)))).toMatchObject({ claimed: 0 });
    expect(await whatsAppTo(phone)).toHaveLength(1);
    const attempts = await sql<{ ok: boolean; http_status: number }>(
      `SELECT ok, http_status FROM ${quoteSchema(a.schemaName)}.notification_attempts WHERE notification_id = $1 ORDER BY attempt`,
      [row!.id],
    );
    expect(attempts).toMatchObject([
      { ok: false, http_status: 500 },
      { ok: true, http_status: 200 },
    ]);
  });

  it("without provider keys phone messages stay pending and visible", async () => {
    const a = tenants.a;
    const phone = newPhone();
    const id = await phoneBooking(a, world, phone, 96);
    await addEvent(a, id, "created", null, { status: "confirmed" });
    await derive(a);
    await withDb(async (c) => {
      const tenant = (await loadNotifyTenant(c, a.id))!;
      return deliverDue(c, { tenant, email: null, manageSecret: TEST_SECRET });
    });
    expect(await outbox(a, "booking_id = $1", [id])).toMatchObject([{ channel: "whatsapp", status: "pending", attempts: 0 }]);
    await deliver(a); // leave nothing due for the next tests
  });
});

describe("two-way WhatsApp replies", () => {
  let world: World;
  beforeAll(async () => {
    world = await seedWorld(tenants.a);
    // "Call the business" uses the profile's contact phone (PATCH /api/business).
    await sql(
      `INSERT INTO tenant_config (tenant_id, settings) VALUES ($1, '{"contactPhone":"+212522000000"}'::jsonb)
       ON CONFLICT (tenant_id) DO UPDATE SET settings = tenant_config.settings || EXCLUDED.settings`,
      [tenants.a.id],
    );
  });

  it("answers Meta's verify-token handshake only with the right token", async () => {
    const ok = await call(tenants.a.domain, "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=42");
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("42");
    const bad = await call(tenants.a.domain, "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=42");
    expect(bad.status).toBe(403);
  });

  it("reply 2 delivered three times cancels once; a bad signature is refused", async () => {
    const a = tenants.a;
    const phone = newPhone();
    const id = await phoneBooking(a, world, phone, 30, "confirmed", "en");
    const raw = inboundPayload(phone, `wamid.${crypto.randomUUID()}`, "2");

    const forged = await postInbound(a, raw, await hubSignature(raw, "wrong-secret"));
    expect(forged.status).toBe(401);
    expect((await postInbound(a, raw, "sha256=zz")).status).toBe(401);
    const [still] = await sql<{ status: string }>(`SELECT status FROM ${quoteSchema(a.schemaName)}.bookings WHERE id = $1`, [id]);
    expect(still!.status).toBe("confirmed");

    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await postInbound(a, raw);
      expect(res.status).toBe(200);
      outcomes.push(...(await json<{ outcomes: string[] }>(res)).outcomes);
    }
    expect(outcomes).toEqual(["cancelled", "duplicate", "duplicate"]);
    const [after] = await sql<{ status: string }>(`SELECT status FROM ${quoteSchema(a.schemaName)}.bookings WHERE id = $1`, [id]);
    expect(after!.status).toBe("cancelled");
    expect(await eventsOf(a, id, "cancelled")).toHaveLength(1);
    // One reply, plus the cancellation message derived from the event.
    await derive(a);
    await deliver(a);
    const sent = await whatsAppTo(phone);
    const replies = sent.filter((m) => m.body.type === "text");
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body.text.body).toBe("Your booking is cancelled.");
    expect(sent.filter((m) => m.body.template?.name === "bookme_booking_cancellation")).toHaveLength(1);
  });

  it("reply 1 confirms a pending booking; 2 after the cut-off tells to call the business; other text gets help", async () => {
    const a = tenants.a;
    const phone = newPhone();
    const id = await phoneBooking(a, world, phone, 0.5, "pending");
    // The booking starts in ~30 minutes of slot offset at least; force it inside the 120-minute cut-off.
    await sql(
      `UPDATE ${quoteSchema(a.schemaName)}.bookings SET starts_at = now() + interval '30 minutes', ends_at = now() + interval '90 minutes',
              blocked_from = now() + interval '30 minutes', blocked_until = now() + interval '90 minutes' WHERE id = $1`,
      [id],
    );
    const say = async (text: string) =>
      (await json<{ outcomes: string[] }>(await postInbound(a, inboundPayload(phone, `wamid.${crypto.randomUUID()}`, text)))).outcomes[0];
    expect(await say("1")).toBe("confirmed");
    const [row] = await sql<{ status: string }>(`SELECT status FROM ${quoteSchema(a.schemaName)}.bookings WHERE id = $1`, [id]);
    expect(row!.status).toBe("confirmed");
    expect(await eventsOf(a, id, "confirmed")).toHaveLength(1);
    expect(await say("2")).toBe("too_late");
    expect(await say("bonjour")).toBe("help");
    await deliver(a);
    const texts = (await whatsAppTo(phone)).filter((m) => m.body.type === "text").map((m) => m.body.text.body as string);
    expect(texts).toContain("Il est trop tard pour annuler en ligne. Merci d'appeler le +212522000000.");
    expect(texts.some((t) => t.startsWith("Répondez 1"))).toBe(true);
  });

  it("a customer who replied STOP gets its acknowledgement and nothing more", async () => {
    const a = tenants.a;
    const phone = newPhone();
    const id = await phoneBooking(a, world, phone, 50);
    await addEvent(a, id, "created", null, { status: "confirmed" });
    await derive(a); // a confirmation waiting in the outbox
    const res = await postInbound(a, inboundPayload(phone, `wamid.${crypto.randomUUID()}`, "STOP"));
    expect((await json<{ outcomes: string[] }>(res)).outcomes).toEqual(["stopped"]);
    // The pending confirmation is skipped; a later change enqueues nothing for this phone.
    await deliver(a);
    expect(await outbox(a, "booking_id = $1", [id])).toMatchObject([{ status: "skipped", last_error: "recipient opted out" }]);
    await addEvent(a, id, "rescheduled", { starts_at: "x" }, { status: "confirmed" });
    await derive(a);
    expect(await outbox(a, "booking_id = $1", [id])).toHaveLength(1);
    await deliver(a);
    // The only message that reached the phone: the acknowledgement of the STOP, once.
    const sent = await whatsAppTo(phone);
    expect(sent.map((m) => m.body.text?.body)).toEqual(["Vous ne recevrez plus de messages de notre part."]);
  });
});
