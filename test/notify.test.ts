import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "../src/notify/deliver";
import { deriveEventNotifications } from "../src/notify/events";
import { loadNotifyTenant } from "../src/notify/job";
import { enqueueNotifications } from "../src/notify/outbox";
import { HttpEmailProvider } from "../src/notify/provider";
import { enqueueDueReminders } from "../src/notify/reminders";
import { quoteSchema } from "../src/tenancy/naming";
import type { TestTenant } from "./harness";
import { call, json, sql, useTenants, withDb } from "./harness";
import {
  addBooking,
  addCustomer,
  addEvent,
  adminToken,
  captured,
  decodeIcs,
  emailsTo,
  failNext,
  minutes,
  moveBooking,
  outbox,
  seedWorld,
  setStatus,
  TEST_SECRET,
  type World,
} from "./notify-helpers";

const tenants = useTenants();
const provider = () => new HttpEmailProvider({ url: env.EMAIL_API_URL!, apiKey: "test", from: "BookMe Test <no-reply@bookme.test>" });

async function deliver(t: TestTenant, now = new Date()) {
  return withDb(async (c) => {
    const tenant = (await loadNotifyTenant(c, t.id))!;
    return deliverDue(c, { tenant, email: provider(), manageSecret: TEST_SECRET, now, appEnv: env.APP_ENV });
  });
}

const remind = (t: TestTenant, now: Date) => withDb((c) => enqueueDueReminders(c, t.schemaName, now));
const derive = (t: TestTenant) => withDb((c) => deriveEventNotifications(c, t.schemaName));

describe("reminders", () => {
  let world: World;
  const T0 = new Date(Math.floor(Date.now() / minutes(1)) * minutes(1));
  const at = (h: number) => new Date(T0.getTime() + h * 3_600_000);

  beforeAll(async () => {
    world = await seedWorld(tenants.a);
  });

  it("sends each reminder exactly once across repeated, late and concurrent ticks; none when cancelled; the new time's when moved", async () => {
    const a = tenants.a;
    const s = quoteSchema(a.schemaName);
    const c1 = await addCustomer(a, "fr");
    const c2 = await addCustomer(a, "en");
    const c3 = await addCustomer(a, "ar");
    await addBooking(a, world, c1.id, at(30));
    const b2 = await addBooking(a, world, c2.id, at(32), "cancelled");
    const b3 = await addBooking(a, world, c3.id, at(34));
    await sql(`INSERT INTO ${s}.job_cursors (job, until) VALUES ('reminders', $1)`, [T0.toISOString()]);

    // Tick at T0+11h: the 24 h instants of b1 (T0+6h) and b3 (T0+10h) are due; b2 is cancelled.
    expect(await remind(a, at(11))).toBe(2);
    // The same tick again, and a rerun over the very same window: no-ops.
    expect(await remind(a, at(11))).toBe(0);
    await sql(`UPDATE ${s}.job_cursors SET until = $1 WHERE job = 'reminders'`, [T0.toISOString()]);
    expect(await remind(a, at(11))).toBe(0);

    // b3 moves to T0+40h before its reminder goes out: the old one is skipped, not sent.
    await moveBooking(a, b3, at(40));
    const first = await deliver(a, at(11));
    expect(first).toMatchObject({ claimed: 2, sent: 1, skipped: 1 });
    const [old] = await outbox(a, `booking_id = $1`, [b3]);
    expect(old).toMatchObject({ status: "skipped", attempts: 0, last_error: "booking was moved" });

    // No tick for 18 hours; the late one catches up: b1's 2 h instant (T0+28h) and b3's new 24 h instant (T0+16h).
    expect(await remind(a, at(29))).toBe(2);
    expect(await deliver(a, at(29))).toMatchObject({ sent: 2 });

    // Two ticks at once over the same window: b3's new 2 h instant (T0+38h) is enqueued once.
    const both = await Promise.all([remind(a, at(39)), remind(a, at(39))]);
    expect(both[0] + both[1]).toBe(1);
    expect(await deliver(a, at(39))).toMatchObject({ sent: 1 });
    expect(await deliver(a, at(39))).toMatchObject({ claimed: 0 });

    const m1 = await emailsTo(c1.email);
    expect(m1).toHaveLength(2);
    expect(m1.every((m) => m.body.subject.startsWith("Rappel"))).toBe(true);
    expect(await emailsTo(c2.email)).toHaveLength(0);
    const m3 = await emailsTo(c3.email);
    expect(m3).toHaveLength(2);
    for (const m of m3) {
      expect(m.body.subject).toMatch(/^تذكير/);
      expect(decodeIcs(m)).toContain(
        `DTSTART:${at(40)
          .toISOString()
          .replace(/[-:]/g, "")
          .replace(/\.\d{3}/, "")}`,
      );
    }
    const keys = (await outbox(a, `kind = 'reminder' AND status = 'sent'`)).map((r) => r.dedupe_key);
    expect(new Set(keys).size).toBe(4);
    expect(keys.filter((k) => k.startsWith(`reminder:${b3}:`)).every((k) => k.endsWith(`:${at(40).getTime() / 1000}`))).toBe(true);
    expect(keys.some((k) => k.includes(b2))).toBe(false);
  });

  it("skips a reminder whose booking was cancelled after it was enqueued", async () => {
    const a = tenants.a;
    const cust = await addCustomer(a, "en");
    const b = await addBooking(a, world, cust.id, at(60));
    await sql(`UPDATE ${quoteSchema(a.schemaName)}.job_cursors SET until = $1 WHERE job = 'reminders'`, [at(35).toISOString()]);
    expect(await remind(a, at(37))).toBe(1);
    await setStatus(a, b, "cancelled");
    expect(await deliver(a, at(37))).toMatchObject({ skipped: 1, sent: 0 });
    expect(await emailsTo(cust.email)).toHaveLength(0);
    const [row] = await outbox(a, `booking_id = $1`, [b]);
    expect(row).toMatchObject({ status: "skipped", last_error: "booking is cancelled" });
  });

  it("uses the tenant's own offsets and starts a first run one hour back", async () => {
    const a = tenants.a;
    const s = quoteSchema(a.schemaName);
    await sql(`DELETE FROM ${s}.job_cursors WHERE job = 'reminders'`);
    await sql(
      `INSERT INTO ${s}.settings (id, reminder_offsets_min) VALUES (1, '{30}') ON CONFLICT (id) DO UPDATE SET reminder_offsets_min = '{30}'`,
    );
    try {
      const cust = await addCustomer(a, "en");
      // Due 30 min before: in the first run's window (now-1h, now] only if it starts within the next 30 min.
      const soon = await addBooking(a, world, cust.id, new Date(at(100).getTime() + minutes(20)));
      const later = await addBooking(a, world, cust.id, at(102));
      expect(await remind(a, at(100))).toBe(1);
      const rows = await outbox(a, `kind = 'reminder' AND booking_id IN ($1, $2)`, [soon, later]);
      expect(rows.map((r) => r.booking_id)).toEqual([soon]);
      expect(rows[0]!.dedupe_key).toMatch(/:30:\d+$/);
    } finally {
      await sql(`UPDATE ${s}.settings SET reminder_offsets_min = '{1440,120}'`);
    }
  });
});

describe("delivery retries", () => {
  let world: World;
  beforeAll(async () => {
    world = await seedWorld(tenants.b);
  });

  async function confirmationFor(t: TestTenant, hoursAhead: number) {
    const cust = await addCustomer(t, "en");
    const booking = await addBooking(t, world, cust.id, new Date(Date.now() + hoursAhead * 3_600_000));
    await withDb((c) =>
      enqueueNotifications(c, t.schemaName, [
        {
          channel: "email",
          kind: "booking_confirmation",
          dedupeKey: `test:${booking}`,
          bookingId: booking,
          recipient: cust.email,
          locale: "en",
        },
      ]),
    );
    return { cust, booking };
  }

  it("provider answers 500 then 200: one message delivered, two attempts recorded", async () => {
    const b = tenants.b;
    const { cust, booking } = await confirmationFor(b, 50);
    await failNext(1, 500);
    const now = new Date();
    expect(await deliver(b, now)).toMatchObject({ claimed: 1, retrying: 1 });
    expect(await deliver(b, now)).toMatchObject({ claimed: 0 }); // backing off
    expect(await deliver(b, new Date(now.getTime() + minutes(1) + 1000))).toMatchObject({ sent: 1 });
    const [row] = await outbox(b, `booking_id = $1`, [booking]);
    expect(row).toMatchObject({ status: "sent", attempts: 2 });
    expect(row!.provider_message_id).toMatch(/^cap_/);
    const attempts = await sql<{ attempt: number; ok: boolean; http_status: number }>(
      `SELECT attempt, ok, http_status FROM ${quoteSchema(b.schemaName)}.notification_attempts WHERE notification_id = $1 ORDER BY attempt`,
      [row!.id],
    );
    expect(attempts).toEqual([
      { attempt: 1, ok: false, http_status: 500 },
      { attempt: 2, ok: true, http_status: 200 },
    ]);
    const mails = await emailsTo(cust.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.headers.authorization).toBe("Bearer test");
    expect(mails[0]!.headers["idempotency-key"]).toBe(row!.id);
    expect(mails[0]!.body.subject).toMatch(/^Booking confirmed: Coupe & brushing/);
    expect(mails[0]!.body.html).toContain(`https://${b.domain}/manage/`);
  });

  it("provider down for every attempt: marked failed after max attempts, kept, and listed by the API", async () => {
    const b = tenants.b;
    const { cust, booking } = await confirmationFor(b, 52);
    await failNext(5, 503);
    let now = Date.now();
    for (let i = 1; i <= 5; i++) {
      const stats = await deliver(b, new Date(now));
      expect(stats.claimed).toBe(1);
      expect(i < 5 ? stats.retrying : stats.failed).toBe(1);
      now += minutes(61);
    }
    expect(await deliver(b, new Date(now + minutes(600)))).toMatchObject({ claimed: 0 });
    const [row] = await outbox(b, `booking_id = $1`, [booking]);
    expect(row).toMatchObject({ status: "failed", attempts: 5 });
    expect(row!.last_error).toMatch(/HTTP 503/);
    expect(await emailsTo(cust.email)).toHaveLength(0);

    const token = await adminToken(b);
    const res = await call(b.domain, `/api/notifications?status=failed&booking_id=${booking}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const page = await json(res);
    expect(page.count).toBe(1);
    expect(page.results[0]).toMatchObject({ id: row!.id, status: "failed", attempts: 5, kind: "booking_confirmation" });
    const one = await json(await call(b.domain, `/api/notifications/${row!.id}`, { headers: { authorization: `Bearer ${token}` } }));
    expect(one.attempt_log).toHaveLength(5);
    expect(one.attempt_log.every((a: { ok: boolean; http_status: number }) => !a.ok && a.http_status === 503)).toBe(true);
  });

  it("a permanent provider error (422) fails at once, without retrying", async () => {
    const b = tenants.b;
    const { booking } = await confirmationFor(b, 54);
    await failNext(1, 422);
    expect(await deliver(b)).toMatchObject({ failed: 1 });
    const [row] = await outbox(b, `booking_id = $1`, [booking]);
    expect(row).toMatchObject({ status: "failed", attempts: 1 });
  });

  it("reclaims a row stuck in sending (its worker died) after 10 minutes", async () => {
    const b = tenants.b;
    const { cust, booking } = await confirmationFor(b, 56);
    const s = quoteSchema(b.schemaName);
    await sql(`UPDATE ${s}.notifications SET status = 'sending', attempts = 1, updated_at = now() WHERE booking_id = $1`, [booking]);
    expect(await deliver(b)).toMatchObject({ claimed: 0 });
    expect(await deliver(b, new Date(Date.now() + minutes(11)))).toMatchObject({ sent: 1 });
    expect(await emailsTo(cust.email)).toHaveLength(1);
  });

  it("two consumers draining the same tenant at once never send a message twice", async () => {
    const b = tenants.b;
    const tag = crypto.randomUUID().slice(0, 8);
    const rows = Array.from({ length: 20 }, (_, i) => ({
      channel: "email" as const,
      kind: "invitation",
      dedupeKey: `race:${tag}:${i}`,
      recipient: `race-${tag}-${i}@mail.test`,
      locale: "en",
      payload: { inviter_name: "Sara", role: "staff", accept_url: "https://x.test/i" },
    }));
    await withDb((c) => enqueueNotifications(c, b.schemaName, rows));
    const runs = await Promise.all(
      [0, 1, 2].map(() =>
        withDb(async (c) => {
          const tenant = (await loadNotifyTenant(c, b.id))!;
          return deliverDue(c, { tenant, email: provider(), now: new Date(), batchSize: 10, appEnv: env.APP_ENV });
        }),
      ),
    );
    const sent = runs.reduce((n, r) => n + r.sent, 0);
    const mails = await captured((m) => Array.isArray(m.body?.to) && String(m.body.to[0]).startsWith(`race-${tag}-`));
    // Whatever each consumer managed to claim, every row went out exactly once overall.
    const leftover = await withDb(async (c) =>
      deliverDue(c, { tenant: (await loadNotifyTenant(c, b.id))!, email: provider(), batchSize: 50, appEnv: env.APP_ENV }),
    );
    expect(sent + leftover.sent).toBe(20);
    const all = await captured((m) => Array.isArray(m.body?.to) && String(m.body.to[0]).startsWith(`race-${tag}-`));
    expect(all).toHaveLength(20);
    expect(new Set(all.map((m) => m.body.to[0])).size).toBe(20);
    expect(mails.length).toBe(sent);
  });

  it("sends an invitation email through the same outbox, once", async () => {
    const b = tenants.b;
    const to = `invitee-${crypto.randomUUID().slice(0, 8)}@mail.test`;
    const row = {
      channel: "email" as const,
      kind: "invitation",
      dedupeKey: `invitation:${to}`,
      recipient: to,
      locale: "fr",
      payload: { inviter_name: "Sara", role: "admin", accept_url: "https://x.test/invite/abc" },
    };
    expect(await withDb((c) => enqueueNotifications(c, b.schemaName, [row]))).toBe(1);
    expect(await withDb((c) => enqueueNotifications(c, b.schemaName, [row]))).toBe(0);
    expect(await deliver(b)).toMatchObject({ sent: 1 });
    const mails = await emailsTo(to);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body.subject).toBe(`Rejoignez ${b.name} sur BookMe`);
    expect(mails[0]!.body.text).toContain("https://x.test/invite/abc");
    expect(mails[0]!.body.attachments).toEqual([]);
  });

  it("the outbox API is for admins of this tenant only", async () => {
    const b = tenants.b;
    expect((await call(b.domain, `/api/notifications`)).status).toBe(401);
    const staff = await adminToken(b, "staff");
    expect((await call(b.domain, `/api/notifications`, { headers: { authorization: `Bearer ${staff}` } })).status).toBe(403);
    const other = await adminToken(tenants.a);
    expect((await call(b.domain, `/api/notifications`, { headers: { authorization: `Bearer ${other}` } })).status).toBe(401);
    const [row] = await outbox(b);
    const res = await call(tenants.a.domain, `/api/notifications/${row!.id}`, { headers: { authorization: `Bearer ${other}` } });
    expect(res.status).toBe(404);
    const bad = await call(b.domain, `/api/notifications?status=nope`, { headers: { authorization: `Bearer ${await adminToken(b)}` } });
    expect(bad.status).toBe(422);
  });
});

describe("booking events → emails and webhooks", () => {
  let world: World;
  beforeAll(async () => {
    world = await seedWorld(tenants.b);
  });

  const auth = async (t: TestTenant) => ({ authorization: `Bearer ${await adminToken(t)}`, "content-type": "application/json" });

  it("derives one confirmation, cancellation and reschedule email per event, however often it runs", async () => {
    const b = tenants.b;
    await derive(b); // drain what earlier tests left
    const cust = await addCustomer(b, "ar");
    const start = new Date(Date.now() + 80 * 3_600_000);
    const booking = await addBooking(b, world, cust.id, start);
    await addEvent(b, booking, "created", null, { status: "confirmed", starts_at: start.toISOString() });
    const pendingCust = await addCustomer(b, "en");
    const pending = await addBooking(b, world, pendingCust.id, new Date(start.getTime() + 3_600_000 * 3), "pending");
    await addEvent(b, pending, "created", null, { status: "pending" });
    expect(await derive(b)).toMatchObject({ emails: 1 });
    expect(await derive(b)).toMatchObject({ emails: 0, webhooks: 0 });

    const moved = new Date(start.getTime() + 3_600_000 * 5);
    await moveBooking(b, booking, moved);
    await addEvent(b, booking, "rescheduled", { starts_at: start.toISOString() }, { starts_at: moved.toISOString() });
    await setStatus(b, booking, "cancelled");
    await addEvent(b, booking, "cancelled", { status: "confirmed" }, { status: "cancelled" });
    expect(await derive(b)).toMatchObject({ emails: 2 });
    expect(await deliver(b)).toMatchObject({ sent: 3 });

    const mails = await emailsTo(cust.email);
    expect(mails.map((m) => m.body.subject.split(":")[0])).toEqual(["تأكيد الحجز", "تغيير موعد الحجز", "إلغاء الحجز"]);
    expect(mails.every((m) => m.body.html.includes('dir="rtl"'))).toBe(true);
    const [confirm, resched, cancel] = mails.map(decodeIcs);
    expect(confirm).toContain("METHOD:REQUEST");
    expect(confirm).toContain("SEQUENCE:1"); // rendered after the reschedule happened: the calendar sees the latest version
    expect(resched).toContain("SEQUENCE:1");
    expect(cancel).toContain("METHOD:CANCEL");
    expect(cancel).toContain("SEQUENCE:2");
    expect(cancel).toContain(`UID:${booking}@${b.domain}`);
    expect(mails[0]!.body.html).toContain(`https://${b.domain}/manage/`);
    expect(mails[2]!.body.html).not.toContain("/manage/");
    expect(await emailsTo(pendingCust.email)).toHaveLength(0);
  });

  it("delivers signed webhooks that verify with the documented recipe", async () => {
    const b = tenants.b;
    await derive(b);
    const path = `/hooks/${crypto.randomUUID()}`;
    const created = await call(b.domain, "/api/webhooks", {
      method: "POST",
      headers: await auth(b),
      body: JSON.stringify({ url: `${env.EMAIL_API_URL!.replace(/\/emails$/, "")}${path}` }),
    });
    expect(created.status).toBe(201);
    const endpoint = await json(created);
    expect(endpoint.secret).toMatch(/^whsec_/);
    const onlyCancel = await json(
      await call(b.domain, "/api/webhooks", {
        method: "POST",
        headers: await auth(b),
        body: JSON.stringify({ url: `${env.EMAIL_API_URL!.replace(/\/emails$/, "")}${path}-cancel`, events: ["booking.cancelled"] }),
      }),
    );

    const cust = await addCustomer(b, "fr");
    const booking = await addBooking(b, world, cust.id, new Date(Date.now() + 90 * 3_600_000));
    const eventId = await addEvent(b, booking, "created", null, { status: "confirmed" });
    expect(await derive(b)).toEqual({ emails: 1, webhooks: 1, reminders: 0 });
    expect(await derive(b)).toEqual({ emails: 0, webhooks: 0, reminders: 0 });
    expect(await deliver(b)).toMatchObject({ sent: 2 });

    const hooks = await captured((m) => m.path === path);
    expect(hooks).toHaveLength(1);
    const hook = hooks[0]!;
    const [delivery] = await outbox(b, `channel = 'webhook' AND booking_id = $1`, [booking]);
    expect(hook.headers["x-bookme-event"]).toBe("booking.created");
    expect(hook.headers["x-bookme-delivery"]).toBe(delivery!.id);
    expect(JSON.parse(hook.raw)).toMatchObject({
      id: `evt_${eventId}`,
      type: "booking.created",
      data: { booking_id: booking, after: { status: "confirmed" } },
    });

    // The recipe, independently of the signer: HMAC-SHA256(secret, "<t>.<raw body>") in hex, t within 5 minutes.
    const parts = Object.fromEntries(hook.headers["x-bookme-signature"]!.split(",").map((p) => p.split("=") as [string, string]));
    expect(Math.abs(Date.now() / 1000 - Number(parts.t))).toBeLessThan(300);
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(endpoint.secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "verify",
    ]);
    const sig = Uint8Array.from(parts.v1!.match(/../g)!, (h) => parseInt(h, 16));
    expect(await crypto.subtle.verify("HMAC", key, sig, new TextEncoder().encode(`${parts.t}.${hook.raw}`))).toBe(true);
    expect(await crypto.subtle.verify("HMAC", key, sig, new TextEncoder().encode(`${parts.t}.${hook.raw} `))).toBe(false);
    const wrongKey = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(onlyCancel.secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["verify"],
    );
    expect(await crypto.subtle.verify("HMAC", wrongKey, sig, new TextEncoder().encode(`${parts.t}.${hook.raw}`))).toBe(false);

    // The filtered endpoint only hears about cancellations; a removed endpoint's pending deliveries are skipped.
    await setStatus(b, booking, "cancelled");
    await addEvent(b, booking, "cancelled", { status: "confirmed" }, { status: "cancelled" });
    expect(await derive(b)).toEqual({ emails: 1, webhooks: 2, reminders: 0 });
    const del = await call(b.domain, `/api/webhooks/${endpoint.id}`, { method: "DELETE", headers: await auth(b) });
    expect(del.status).toBe(204);
    expect(await deliver(b)).toMatchObject({ sent: 2, skipped: 1 });
    expect(await captured((m) => m.path === `${path}-cancel`)).toHaveLength(1);
    expect(await captured((m) => m.path === path)).toHaveLength(1);
  });

  it("webhook endpoints: admin CRUD, https only, the secret shown once, another tenant's id is 404", async () => {
    const b = tenants.b;
    const headers = await auth(b);
    const bad = await call(b.domain, "/api/webhooks", {
      method: "POST",
      headers,
      body: JSON.stringify({ url: "http://example.com/hook" }),
    });
    expect(bad.status).toBe(422);
    expect((await json(bad)).errors[0].field).toBe("url");
    const badEvent = await call(b.domain, "/api/webhooks", {
      method: "POST",
      headers,
      body: JSON.stringify({ url: "https://example.com/h", events: ["booking.exploded"] }),
    });
    expect(badEvent.status).toBe(422);
    const staff = { ...headers, authorization: `Bearer ${await adminToken(b, "staff")}` };
    expect(
      (await call(b.domain, "/api/webhooks", { method: "POST", headers: staff, body: JSON.stringify({ url: "https://example.com/h" }) }))
        .status,
    ).toBe(403);

    const created = await json(
      await call(b.domain, "/api/webhooks", {
        method: "POST",
        headers,
        body: JSON.stringify({ url: "https://example.com/h", events: ["booking.created"] }),
      }),
    );
    const got = await json(await call(b.domain, `/api/webhooks/${created.id}`, { headers }));
    expect(got).toMatchObject({ id: created.id, url: "https://example.com/h", events: ["booking.created"], is_active: true });
    expect(got.secret).toBeUndefined();
    const list = await json(await call(b.domain, "/api/webhooks?is_active=true", { headers }));
    expect(list.results.some((r: { id: string; secret?: string }) => r.id === created.id && r.secret === undefined)).toBe(true);
    const patched = await call(b.domain, `/api/webhooks/${created.id}`, {
      method: "PATCH",
      headers,
      body: JSON.stringify({ is_active: false, url: "ftp://x" }),
    });
    expect(patched.status).toBe(422);
    const ok = await json(
      await call(b.domain, `/api/webhooks/${created.id}`, { method: "PATCH", headers, body: JSON.stringify({ is_active: false }) }),
    );
    expect(ok.is_active).toBe(false);

    const a = tenants.a;
    const aHeaders = await auth(a);
    expect((await call(a.domain, `/api/webhooks/${created.id}`, { headers: aHeaders })).status).toBe(404);
    expect((await call(a.domain, `/api/webhooks/${created.id}`, { method: "DELETE", headers: aHeaders })).status).toBe(404);
    expect((await call(b.domain, `/api/webhooks/${created.id}`, { method: "DELETE", headers })).status).toBe(204);
    expect((await call(b.domain, `/api/webhooks/${created.id}`, { headers })).status).toBe(404);
  });
});
