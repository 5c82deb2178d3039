/**
 * WhatsApp per business: each business's own sender (Meta phone-number id),
 * set by the platform superuser; outbound from it (or the deployment default);
 * the ONE platform webhook routing replies by the number they were sent to;
 * and the crash window between calling a phone provider and recording it.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "../src/notify/deliver";
import { loadNotifyTenant } from "../src/notify/job";
import { enqueueNotifications, STUCK_AFTER_MINUTES, UNKNOWN_OUTCOME } from "../src/notify/outbox";
import { SmsProvider, WhatsAppProvider } from "../src/notify/phone";
import { HttpEmailProvider } from "../src/notify/provider";
import { quoteSchema } from "../src/tenancy/naming";
import { csrfOf, get, postForm, signInAdmin } from "./admin-auth-helpers";
import { authed, createUser, expectProblem, login, member, type Tokens } from "./auth-fixtures";
import type { TestTenant } from "./harness";
import { call, json, PLATFORM_HOST, sql, useTenants, withDb } from "./harness";
import { captured, captureUrl, emailsTo, minutes, outbox, seedWorld, TEST_SECRET, type World } from "./notify-helpers";

const tenants = useTenants();
const APP_SECRET = "test-whatsapp-app-secret";
const DEFAULT_SENDER = "100200300";
const whatsapp = (phoneNumberId?: string) => new WhatsAppProvider({ url: captureUrl(), token: "wa-test", phoneNumberId });
const sms = () => new SmsProvider({ url: captureUrl(), accountSid: "AC123", authToken: "sms-test", from: "+212500000000" });

/** A phone-number id no other run uses (they are unique across businesses). */
const newSenderId = () => `9${String(Date.now()).slice(-9)}${String(Math.floor(Math.random() * 1e5)).padStart(5, "0")}`;
const newPhone = () => `+2126${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
const whatsAppTo = (phone: string) => captured((m) => m.body?.messaging_product === "whatsapp" && m.body.to === phone.slice(1));

async function deliver(t: TestTenant, options: { whatsapp?: WhatsAppProvider | null; now?: Date; email?: boolean } = {}) {
  return withDb(async (c) => {
    const tenant = (await loadNotifyTenant(c, t.id))!;
    const email = options.email ? new HttpEmailProvider({ url: `${captureUrl()}/emails`, apiKey: "test", from: "t@bookme.test" }) : null;
    return deliverDue(c, {
      tenant,
      email,
      whatsapp: options.whatsapp === undefined ? whatsapp(DEFAULT_SENDER) : options.whatsapp,
      sms: sms(),
      manageSecret: TEST_SECRET,
      now: options.now,
      appEnv: env.APP_ENV,
    });
  });
}

async function setSender(t: TestTenant, id: string | null, number: string | null = null) {
  await sql(`UPDATE tenants SET whatsapp_phone_number_id = $2, whatsapp_display_number = $3 WHERE id = $1`, [t.id, id, number]);
}

let slot = 0;
async function phoneBooking(t: TestTenant, world: World, phone: string, status = "pending"): Promise<string> {
  const id = crypto.randomUUID();
  const start = new Date(Math.floor(Date.now() / minutes(1)) * minutes(1) + 48 * 3_600_000 + ++slot * minutes(61) * 24 * 7);
  const end = new Date(start.getTime() + minutes(60));
  await sql(
    `INSERT INTO ${quoteSchema(t.schemaName)}.bookings
       (id, service_id, staff_id, starts_at, ends_at, blocked_from, blocked_until, session_key, status, price_minor, currency,
        contact_name, contact_phone, contact_locale)
     VALUES ($1::uuid, $2, $3, $4::timestamptz, $5::timestamptz, $4::timestamptz, $5::timestamptz, $1::text, $6, 20000, 'MAD', 'Fatima', $7, 'en')`,
    [id, world.serviceId, world.staffId, start.toISOString(), end.toISOString(), status, phone],
  );
  return id;
}

async function hubSignature(raw: string, secret = APP_SECRET): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(raw)));
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function inbound(phoneNumberId: string, from: string, text: string, id = `wamid.${crypto.randomUUID()}`) {
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
              metadata: { display_phone_number: "212522000000", phone_number_id: phoneNumberId },
              messages: [{ from: from.slice(1), id, timestamp: "1796000000", type: "text", text: { body: text } }],
            },
          },
        ],
      },
    ],
  });
}

async function postWebhook(host: string, raw: string, signature?: string) {
  return call(host, "/webhooks/whatsapp", {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": signature ?? (await hubSignature(raw)) },
    body: raw,
  });
}

const statusOf = async (t: TestTenant, id: string) =>
  (await sql<{ status: string }>(`SELECT status FROM ${quoteSchema(t.schemaName)}.bookings WHERE id = $1`, [id]))[0]!.status;
const inboundRows = (t: TestTenant, from: string) =>
  sql(`SELECT * FROM ${quoteSchema(t.schemaName)}.inbound_messages WHERE from_phone = $1`, [from]);

describe("the platform's one WhatsApp webhook routes each reply to its business", () => {
  let worldA: World;
  let worldB: World;
  let senderA: string;
  let senderB: string;
  beforeAll(async () => {
    worldA = await seedWorld(tenants.a);
    worldB = await seedWorld(tenants.b);
    senderA = newSenderId();
    senderB = newSenderId();
    await setSender(tenants.a, senderA, "+212522000001");
    await setSender(tenants.b, senderB, "+212522000002");
  });

  it("answers Meta's handshake on the platform host", async () => {
    const ok = await call(PLATFORM_HOST, "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=7");
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("7");
    expect((await call(PLATFORM_HOST, "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=x&hub.challenge=7")).status).toBe(403);
  });

  it("a reply to business A's number confirms A's booking and never touches B's", async () => {
    const phone = newPhone();
    // The same customer has a pending booking at both businesses.
    const atA = await phoneBooking(tenants.a, worldA, phone);
    const atB = await phoneBooking(tenants.b, worldB, phone);
    const res = await postWebhook(PLATFORM_HOST, inbound(senderA, phone, "1"));
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ received: 1, outcomes: ["confirmed"] });
    expect(await statusOf(tenants.a, atA)).toBe("confirmed");
    expect(await statusOf(tenants.b, atB)).toBe("pending");
    expect(await inboundRows(tenants.a, phone)).toHaveLength(1);
    expect(await inboundRows(tenants.b, phone)).toHaveLength(0);
    expect(await outbox(tenants.b, "recipient = $1", [phone])).toHaveLength(0);
    // A's answer goes out from A's own number.
    expect(await outbox(tenants.a, "recipient = $1 AND kind = 'reply'", [phone])).toHaveLength(1);
    await deliver(tenants.a);
    const replies = (await whatsAppTo(phone)).filter((m) => m.body.type === "text");
    expect(replies.map((m) => m.path)).toEqual([`/${senderA}/messages`]);
    // And B's number reaches B: one payload carrying both is split between them.
    const twice = JSON.parse(inbound(senderB, phone, "2")) as { entry: { changes: unknown[] }[] };
    twice.entry.push(...(JSON.parse(inbound(senderA, phone, "hello")) as { entry: { changes: unknown[] }[] }).entry);
    const raw = JSON.stringify(twice);
    expect(await json(await postWebhook(PLATFORM_HOST, raw))).toEqual({ received: 2, outcomes: ["cancelled", "help"] });
    expect(await statusOf(tenants.b, atB)).toBe("cancelled");
    expect(await statusOf(tenants.a, atA)).toBe("confirmed");
    // Redelivered: the same message ids are no-ops.
    expect(await json(await postWebhook(PLATFORM_HOST, raw))).toEqual({ received: 2, outcomes: ["duplicate", "duplicate"] });
  });

  it("an unknown phone-number id is ignored (200, logged, nothing written)", async () => {
    const phone = newPhone();
    const atA = await phoneBooking(tenants.a, worldA, phone);
    const res = await postWebhook(PLATFORM_HOST, inbound("5550001112223", phone, "1"));
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ received: 1, outcomes: ["ignored"] });
    expect(await statusOf(tenants.a, atA)).toBe("pending");
    expect(await inboundRows(tenants.a, phone)).toHaveLength(0);
    expect(await inboundRows(tenants.b, phone)).toHaveLength(0);
  });

  it("a suspended business's number is ignored too", async () => {
    const phone = newPhone();
    const atB = await phoneBooking(tenants.b, worldB, phone);
    await sql(`UPDATE tenants SET status = 'suspended' WHERE id = $1`, [tenants.b.id]);
    try {
      expect(await json(await postWebhook(PLATFORM_HOST, inbound(senderB, phone, "2")))).toEqual({ received: 1, outcomes: ["ignored"] });
    } finally {
      await sql(`UPDATE tenants SET status = 'active' WHERE id = $1`, [tenants.b.id]);
    }
    expect(await statusOf(tenants.b, atB)).toBe("pending");
  });

  it("a bad signature is refused on the platform host, nothing read", async () => {
    const phone = newPhone();
    const atA = await phoneBooking(tenants.a, worldA, phone);
    const raw = inbound(senderA, phone, "1");
    expect((await postWebhook(PLATFORM_HOST, raw, await hubSignature(raw, "not-the-app-secret"))).status).toBe(401);
    expect((await postWebhook(PLATFORM_HOST, raw, "")).status).toBe(401);
    // Signed over other bytes.
    expect((await postWebhook(PLATFORM_HOST, raw, await hubSignature(`${raw} `))).status).toBe(401);
    expect(await statusOf(tenants.a, atA)).toBe("pending");
    expect(await inboundRows(tenants.a, phone)).toHaveLength(0);
  });

  it("the per-business host still works, but not for another business's number", async () => {
    const phone = newPhone();
    const atA = await phoneBooking(tenants.a, worldA, phone);
    expect(await json(await postWebhook(tenants.a.domain, inbound(senderB, phone, "1")))).toEqual({ received: 1, outcomes: ["ignored"] });
    expect(await statusOf(tenants.a, atA)).toBe("pending");
    expect(await json(await postWebhook(tenants.a.domain, inbound(senderA, phone, "1")))).toEqual({ received: 1, outcomes: ["confirmed"] });
    expect(await statusOf(tenants.a, atA)).toBe("confirmed");
  });
});

describe("outbound WhatsApp goes out from the business's own sender", () => {
  const enqueueReply = (t: TestTenant, phone: string) =>
    withDb((c) =>
      enqueueNotifications(c, t.schemaName, [
        { channel: "whatsapp", kind: "reply", dedupeKey: `test:${crypto.randomUUID()}`, recipient: phone, payload: { text: "Bonjour" } },
      ]),
    );

  it("a business with its own sender uses it, and the message carries its notification id for tracing", async () => {
    await deliver(tenants.a); // what earlier tests left due
    const sender = newSenderId();
    await setSender(tenants.a, sender);
    const phone = newPhone();
    await enqueueReply(tenants.a, phone);
    expect(await deliver(tenants.a)).toMatchObject({ sent: 1 });
    const [msg] = await whatsAppTo(phone);
    expect(msg!.path).toBe(`/${sender}/messages`);
    const [row] = await outbox(tenants.a, "recipient = $1", [phone]);
    expect(msg!.body.biz_opaque_callback_data).toBe(row!.id);
    await setSender(tenants.a, null);
  });

  it("a business without its own sender uses the deployment default", async () => {
    await setSender(tenants.b, null);
    await deliver(tenants.b); // what earlier tests left due
    const phone = newPhone();
    await enqueueReply(tenants.b, phone);
    expect(await deliver(tenants.b)).toMatchObject({ sent: 1 });
    expect((await whatsAppTo(phone)).map((m) => m.path)).toEqual([`/${DEFAULT_SENDER}/messages`]);
  });

  it("without its own sender and no default, its WhatsApp stays pending and visible, and never falls back to SMS", async () => {
    await setSender(tenants.b, null);
    const phone = newPhone();
    await enqueueReply(tenants.b, phone);
    expect(await deliver(tenants.b, { whatsapp: whatsapp(undefined) })).toMatchObject({ claimed: 0 });
    expect(await outbox(tenants.b, "recipient = $1", [phone])).toMatchObject([{ channel: "whatsapp", status: "pending", attempts: 0 }]);
    expect(await captured((m) => m.body?.To === phone || m.body?.to === phone.slice(1))).toHaveLength(0);
    // Once the superuser gives it a sender, it goes out.
    const sender = newSenderId();
    await setSender(tenants.b, sender);
    expect(await deliver(tenants.b, { whatsapp: whatsapp(undefined) })).toMatchObject({ sent: 1 });
    expect((await whatsAppTo(phone)).map((m) => m.path)).toEqual([`/${sender}/messages`]);
    await setSender(tenants.b, null);
  });
});

describe("the crash window between calling a provider and recording it", () => {
  let admin: Tokens;
  beforeAll(async () => {
    admin = await login(tenants.a.domain, (await member(tenants.a.id, "admin")).email);
  });

  /** A claim left behind: the row is `sending` with its attempt counted, and its lease is over. */
  async function leftSending(t: TestTenant, channel: "whatsapp" | "sms" | "email", recipient: string): Promise<string> {
    await withDb((c) =>
      enqueueNotifications(c, t.schemaName, [
        {
          channel,
          kind: channel === "email" ? "invitation" : "reply",
          dedupeKey: `crash:${crypto.randomUUID()}`,
          recipient,
          payload: channel === "email" ? { inviter_name: "Sara", role: "staff", accept_url: "https://x.test/a" } : { text: "Merci" },
        },
      ]),
    );
    const [row] = await sql<{ id: string }>(
      `UPDATE ${quoteSchema(t.schemaName)}.notifications
          SET status = 'sending', attempts = 1, updated_at = now() - make_interval(mins => $2::int)
        WHERE recipient = $1 RETURNING id`,
      [recipient, STUCK_AFTER_MINUTES + 1],
    );
    return row!.id;
  }

  it("a WhatsApp or SMS left 'sending' is not resent but marked unknown, listed, and sent once when a person retries it", async () => {
    const a = tenants.a;
    const phone = newPhone();
    const smsPhone = newPhone();
    const id = await leftSending(a, "whatsapp", phone);
    const smsId = await leftSending(a, "sms", smsPhone);
    const stats = await deliver(a);
    expect(stats.claimed).toBe(0);
    expect(await whatsAppTo(phone)).toHaveLength(0);
    expect(await captured((m) => m.body?.To === smsPhone)).toHaveLength(0);
    const rows = await outbox(a, "id = ANY($1::uuid[])", [[id, smsId]]);
    expect(rows.map((r) => [r.status, r.attempts, r.last_error])).toEqual([
      ["unknown", 1, UNKNOWN_OUTCOME],
      ["unknown", 1, UNKNOWN_OUTCOME],
    ]);
    // Later ticks leave it alone.
    expect(await deliver(a, { now: new Date(Date.now() + minutes(90)) })).toMatchObject({ claimed: 0 });
    expect(await whatsAppTo(phone)).toHaveLength(0);

    // Visible in the notifications log, with the reason in the attempt log.
    const api = (path: string, init: RequestInit & { json?: unknown } = {}) => call(a.domain, path, authed(admin.access_token, init));
    const listed = await json(await api("/api/notifications?status=unknown&channel=whatsapp"));
    expect(listed.results.map((r: { id: string }) => r.id)).toContain(id);
    const detail = await json(await api(`/api/notifications/${id}`));
    expect(detail).toMatchObject({ status: "unknown", channel: "whatsapp", last_error: UNKNOWN_OUTCOME });
    expect(detail.attempt_log).toMatchObject([{ attempt: 1, ok: false, error: UNKNOWN_OUTCOME }]);

    // A person retries it: pending now, room for one more attempt; then it is sent once.
    const retried = await api(`/api/notifications/${id}/retry`, { method: "POST" });
    expect(retried.status).toBe(200);
    expect(await json(retried)).toMatchObject({ id, status: "pending" });
    expect(await deliver(a)).toMatchObject({ sent: 1 });
    expect(await whatsAppTo(phone)).toHaveLength(1);
    expect((await json(await api(`/api/notifications/${id}`))).attempt_log).toMatchObject([
      { attempt: 1, ok: false },
      { attempt: 2, ok: true },
    ]);
    // Only failed or unknown messages can be retried; another business's id is unknown here; staff may not.
    await expectProblem(await api(`/api/notifications/${id}/retry`, { method: "POST" }), 409);
    const other = await withDb((c) =>
      enqueueNotifications(c, tenants.b.schemaName, [
        { channel: "whatsapp", kind: "reply", dedupeKey: `x:${crypto.randomUUID()}`, recipient: newPhone(), payload: { text: "x" } },
      ]),
    );
    expect(other).toBe(1);
    const [bRow] = await sql<{ id: string }>(
      `SELECT id FROM ${quoteSchema(tenants.b.schemaName)}.notifications ORDER BY created_at DESC LIMIT 1`,
    );
    await sql(`UPDATE ${quoteSchema(tenants.b.schemaName)}.notifications SET status = 'unknown' WHERE id = $1`, [bRow!.id]);
    await expectProblem(await api(`/api/notifications/${bRow!.id}/retry`, { method: "POST" }), 404);
    const staff = await login(a.domain, (await member(a.id, "staff")).email);
    await expectProblem(await call(a.domain, `/api/notifications/${smsId}/retry`, authed(staff.access_token, { method: "POST" })), 403);
    expect((await outbox(a, "id = $1", [smsId]))[0]!.status).toBe("unknown");
  });

  it("an email left 'sending' is resent with the same idempotency key", async () => {
    const a = tenants.a;
    const address = `crash-${crypto.randomUUID().slice(0, 8)}@mail.test`;
    const id = await leftSending(a, "email", address);
    expect(await deliver(a, { email: true })).toMatchObject({ claimed: 1, sent: 1 });
    const [mail, ...more] = await emailsTo(address);
    expect(more).toHaveLength(0);
    expect(mail!.headers["idempotency-key"]).toBe(id);
    expect((await outbox(a, "id = $1", [id]))[0]).toMatchObject({ status: "sent", attempts: 2 });
  });
});

describe("the platform superuser sets a business's sender", () => {
  let su: Tokens;
  beforeAll(async () => {
    su = await login(PLATFORM_HOST, (await createUser({ superuser: true })).email);
  });
  const put = (id: string, body: unknown, token = su.access_token, host = PLATFORM_HOST) =>
    call(host, `/api/platform/tenants/${id}/whatsapp`, authed(token, { method: "PUT", json: body }));
  const senderOf = async (t: TestTenant) =>
    (
      await sql<{ id: string | null; n: string | null }>(
        `SELECT whatsapp_phone_number_id AS id, whatsapp_display_number AS n FROM tenants WHERE id = $1`,
        [t.id],
      )
    )[0]!;

  it("sets, shows, logs and clears it through the API", async () => {
    const sender = newSenderId();
    const res = await put(tenants.a.id, { phone_number_id: sender, display_number: "+212522334455" });
    expect(res.status).toBe(200);
    expect((await json(res)).whatsapp).toEqual({ phone_number_id: sender, display_number: "+212522334455" });
    const detail = await json(await call(PLATFORM_HOST, `/api/platform/tenants/${tenants.a.id}`, authed(su.access_token)));
    expect(detail.whatsapp).toEqual({ phone_number_id: sender, display_number: "+212522334455" });
    const log = await json(await call(PLATFORM_HOST, `/api/platform/tenants/${tenants.a.id}/lifecycle`, authed(su.access_token)));
    expect(log.results[0]).toMatchObject({ event: "whatsapp_sender_changed", detail: { from: null, to: sender } });
    // Another business cannot take the same number: 409, nothing changed.
    const taken = await expectProblem(await put(tenants.b.id, { phone_number_id: sender }), 409);
    expect(taken.errors).toEqual([expect.objectContaining({ field: "phone_number_id" })]);
    expect(await senderOf(tenants.b)).toEqual({ id: null, n: null });
    // Cleared: back to the deployment default.
    expect((await json(await put(tenants.a.id, { phone_number_id: null }))).whatsapp).toEqual({
      phone_number_id: null,
      display_number: null,
    });
    expect(await senderOf(tenants.a)).toEqual({ id: null, n: null });
  });

  it("refuses bad input (nothing changed), unknown businesses, non-superusers and tenant hosts", async () => {
    const sender = newSenderId();
    await put(tenants.a.id, { phone_number_id: sender });
    for (const body of [
      { phone_number_id: "abc" },
      { phone_number_id: "12" },
      { phone_number_id: sender, display_number: "0522334455" },
      { phone_number_id: null, display_number: "+212522334455" },
      { phone_number_id: sender, extra: 1 },
      {},
    ]) {
      await expectProblem(await put(tenants.a.id, body), 422);
    }
    expect(await senderOf(tenants.a)).toEqual({ id: sender, n: null });
    await expectProblem(await put(crypto.randomUUID(), { phone_number_id: newSenderId() }), 404);
    const plain = await login(PLATFORM_HOST, (await createUser()).email);
    await expectProblem(await put(tenants.a.id, { phone_number_id: null }, plain.access_token), 403);
    const owner = await login(tenants.a.domain, (await member(tenants.a.id, "owner")).email);
    await expectProblem(await put(tenants.a.id, { phone_number_id: null }, owner.access_token, tenants.a.domain), 404);
    expect(await senderOf(tenants.a)).toEqual({ id: sender, n: null });
    await setSender(tenants.a, null);
  });

  it("the console shows the sender and edits it (values kept on a refusal, CSRF required)", async () => {
    const user = await createUser({ superuser: true });
    const { jar } = await signInAdmin(PLATFORM_HOST, user.email);
    const path = `/admin/businesses/${tenants.a.id}`;
    const page = await get(PLATFORM_HOST, path, jar);
    expect(page.status).toBe(200);
    const html = await page.text();
    // The console's default language is French.
    expect(html).toContain("Expéditeur WhatsApp");
    expect(html).toContain('<label for="wa-phone_number_id">');
    const csrf = csrfOf(html);
    const target = `${path}/whatsapp`;
    const bad = await postForm(PLATFORM_HOST, target, jar, { _csrf: csrf, phone_number_id: "12ab", display_number: "+212 522 11 22 33" });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain('value="12ab"');
    expect(badHtml).toContain('aria-describedby="wa-phone_number_id-err"');
    expect(await senderOf(tenants.a)).toEqual({ id: null, n: null });
    expect((await postForm(PLATFORM_HOST, target, jar, { phone_number_id: newSenderId() })).status).toBe(403);
    expect(await senderOf(tenants.a)).toEqual({ id: null, n: null });
    const sender = newSenderId();
    const ok = await postForm(PLATFORM_HOST, target, jar, { _csrf: csrf, phone_number_id: sender, display_number: "+212 522 11 22 33" });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe(`${path}?saved=whatsapp#whatsapp`);
    const detail = await json(await call(PLATFORM_HOST, `/api/platform/tenants/${tenants.a.id}`, authed(su.access_token)));
    expect(detail.whatsapp).toEqual({ phone_number_id: sender, display_number: "+212522112233" });
    const after = await (await get(PLATFORM_HOST, `${path}?saved=whatsapp`, jar)).text();
    expect(after).toContain("Expéditeur WhatsApp enregistré.");
    expect(after).toContain(sender);
    // Emptied: back to the default.
    expect((await postForm(PLATFORM_HOST, target, jar, { _csrf: csrf, phone_number_id: "", display_number: "" })).status).toBe(303);
    expect(await senderOf(tenants.a)).toEqual({ id: null, n: null });
  });
});
