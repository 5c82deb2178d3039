/** /admin/settings/integrations: webhook endpoints (secret once, test delivery, deliveries) and the notifications log with retry. */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { deliverDue } from "../src/notify/deliver";
import { loadNotifyTenant } from "../src/notify/job";
import { quoteSchema } from "../src/tenancy/naming";
import { adminSession, get, HTML, type Jar, postForm } from "./admin-auth-helpers";
import { member } from "./auth-fixtures";
import { call, json, sql, type TestTenant, useTenants, withDb } from "./harness";
import { adminToken, captured, captureUrl, outbox } from "./notify-helpers";

const BASE = "/admin/settings/integrations";
const t = useTenants();

async function deliver(tenant: TestTenant, fetch?: typeof globalThis.fetch) {
  return withDb(async (c) => deliverDue(c, { tenant: (await loadNotifyTenant(c, tenant.id))!, email: null, appEnv: env.APP_ENV, fetch }));
}
const gone: typeof fetch = async () => new Response("endpoint removed", { status: 410 });

async function session(tenant: TestTenant, role: "admin" | "owner" | "staff" = "admin") {
  const user = await member(tenant.id, role);
  return adminSession(tenant.domain, user.email);
}

const endpoints = (tenant: TestTenant) =>
  sql<{ id: string; url: string; secret: string; events: string[]; is_active: boolean }>(
    `SELECT id, url, secret, events, is_active FROM ${quoteSchema(tenant.schemaName)}.webhook_endpoints ORDER BY created_at`,
  );

/** Adds an endpoint through the form; returns its id and the page that followed (the one showing the secret). */
async function addThroughForm(tenant: TestTenant, jar: Jar, csrf: string, url: string, events: string[] = []) {
  const body = new URLSearchParams({ _csrf: csrf, url });
  for (const e of events) body.append("events", e);
  const res = jar.take(
    await call(tenant.domain, `${BASE}/webhooks`, {
      method: "POST",
      redirect: "manual",
      headers: { ...HTML, "content-type": "application/x-www-form-urlencoded", cookie: jar.header(), "cf-connecting-ip": jar.address },
      body: body.toString(),
    }),
  );
  expect(res.status).toBe(303);
  const location = res.headers.get("location")!;
  const id = /webhooks\/([0-9a-f-]{36})\?done=created$/.exec(location)![1]!;
  return { id, location };
}

describe("/admin/settings/integrations", () => {
  it("renders in French, Arabic (right to left) and English", async () => {
    const { jar } = await session(t.a);
    const fr = await get(t.a.domain, `${BASE}?lang=fr`, jar);
    expect(fr.status).toBe(200);
    const frHtml = await fr.text();
    expect(frHtml).toContain("Ajouter une adresse");
    expect(frHtml).toContain('aria-current="page">Intégrations');
    const ar = await (await get(t.a.domain, `${BASE}?lang=ar`, jar)).text();
    expect(ar).toContain('dir="rtl"');
    expect(ar).toContain("سجل الإشعارات");
    const en = await (await get(t.a.domain, `${BASE}/notifications?lang=en`, jar)).text();
    expect(en).toContain("Notifications log");
    expect(en).toContain('<label for="f-status">Status</label>');
  });

  it("adding an endpoint shows its secret once and never again", async () => {
    const { jar, csrf } = await session(t.a, "owner");
    const url = `${captureUrl()}/hooks/${crypto.randomUUID()}`;
    const { id, location } = await addThroughForm(t.a, jar, csrf, url, ["booking.created", "booking.cancelled"]);
    const [stored] = (await endpoints(t.a)).filter((e) => e.id === id);
    expect(stored).toMatchObject({ url, events: ["booking.created", "booking.cancelled"], is_active: true });

    const next = await get(t.a.domain, location, jar);
    expect(next.status).toBe(200);
    expect(next.headers.get("cache-control")).toBe("no-store");
    const html = await next.text();
    expect(html).toContain(`value="${stored!.secret}"`);
    expect(html).toContain("elle n&#39;est affichée que cette fois");

    // Never again: not on a reload of the same page, not on the list, not in the API.
    const again = await (await get(t.a.domain, location, jar)).text();
    expect(again).not.toContain(stored!.secret);
    expect(again).toContain('id="secret-hidden"');
    expect(await (await get(t.a.domain, BASE, jar)).text()).not.toContain(stored!.secret);
    const api = await json(
      await call(t.a.domain, `/api/webhooks/${id}`, { headers: { authorization: `Bearer ${await adminToken(t.a)}` } }),
    );
    expect(api.secret).toBeUndefined();
    expect(api.events).toEqual(["booking.created", "booking.cancelled"]);
  });

  it("a private-network URL is refused with a readable error and nothing stored", async () => {
    const { jar, csrf } = await session(t.b);
    const before = await endpoints(t.b);
    // In production (where the SSRF rule applies) through the Worker itself, as the webhook SSRF tests do.
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`http://${t.b.domain}${BASE}/webhooks?lang=en`, {
        method: "POST",
        redirect: "manual",
        headers: { ...HTML, "content-type": "application/x-www-form-urlencoded", cookie: jar.header(), "cf-connecting-ip": jar.address },
        body: new URLSearchParams({ _csrf: csrf, url: "https://192.168.1.20/hook", events: "booking.created" }).toString(),
      }),
      { ...env, APP_ENV: "production" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('<span class="err" id="new-url-err">Address refused: it must be public, not a private, local or reserved');
    expect(html).toContain('aria-describedby="new-url-hint new-url-err"');
    expect(html).toContain('value="https://192.168.1.20/hook"'); // kept for correction
    expect(html).toMatch(/value="booking\.created" checked/);

    const http = await postForm(t.b.domain, `${BASE}/webhooks`, jar, { _csrf: csrf, url: "http://example.com/hook" });
    expect(http.status).toBe(422);
    expect(await http.text()).toContain("L&#39;adresse doit commencer par https://.");
    const badEvent = await postForm(t.b.domain, `${BASE}/webhooks`, jar, {
      _csrf: csrf,
      url: "https://example.com/hook",
      events: "booking.exploded",
    });
    expect(badEvent.status).toBe(422);
    expect(await badEvent.text()).toContain('id="new-events-err"');
    expect(await endpoints(t.b)).toEqual(before);
  });

  it("a test delivery reaches only that endpoint, signed, and shows in its recent deliveries", async () => {
    const { jar, csrf } = await session(t.a);
    const path = `/hooks/${crypto.randomUUID()}`;
    const target = await addThroughForm(t.a, jar, csrf, `${captureUrl()}${path}`);
    await addThroughForm(t.a, jar, csrf, `${captureUrl()}${path}-other`);
    await deliver(t.a); // nothing else pending

    const res = await postForm(t.a.domain, `${BASE}/webhooks/${target.id}/test`, jar, { _csrf: csrf });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${BASE}/webhooks/${target.id}?done=test`);
    expect(await (await get(t.a.domain, res.headers.get("location")!, jar)).text()).toContain("Test mis en file");
    expect(await deliver(t.a)).toMatchObject({ claimed: 1, sent: 1 });

    const hooks = await captured((m) => m.path === path);
    expect(hooks).toHaveLength(1);
    expect(await captured((m) => m.path === `${path}-other`)).toHaveLength(0);
    const hook = hooks[0]!;
    expect(hook.headers["x-bookme-event"]).toBe("ping");
    const secret = (await endpoints(t.a)).find((e) => e.id === target.id)!.secret;
    const parts = Object.fromEntries(hook.headers["x-bookme-signature"]!.split(",").map((p) => p.split("=") as [string, string]));
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "verify",
    ]);
    const sig = Uint8Array.from(parts.v1!.match(/../g)!, (h) => parseInt(h, 16));
    expect(await crypto.subtle.verify("HMAC", key, sig, new TextEncoder().encode(`${parts.t}.${hook.raw}`))).toBe(true);

    const page = await (await get(t.a.domain, `${BASE}/webhooks/${target.id}?lang=en`, jar)).text();
    expect(page).toMatch(
      /<ul class="items" id="deliveries"><li><div class="top"><b>Test \(ping\)<\/b><span class="badge sent">Sent<\/span>/,
    );
    expect(page).toContain("<dt>HTTP code</dt><dd>200</dd>");
  });

  it("edits an endpoint's events and active flag, then deletes it after confirmation", async () => {
    const { jar, csrf } = await session(t.b);
    const { id } = await addThroughForm(t.b, jar, csrf, "https://example.com/hooks/edit");
    const token = { authorization: `Bearer ${await adminToken(t.b)}` };
    const saved = await postForm(t.b.domain, `${BASE}/webhooks/${id}`, jar, {
      _csrf: csrf,
      url: "https://example.com/hooks/edited",
      events: "booking.no_show",
    });
    expect(saved.status).toBe(303);
    expect(await json(await call(t.b.domain, `/api/webhooks/${id}`, { headers: token }))).toMatchObject({
      url: "https://example.com/hooks/edited",
      events: ["booking.no_show"],
      is_active: false,
    });
    // Paused: the page offers no test, and a direct post is refused.
    const page = await (await get(t.b.domain, `${BASE}/webhooks/${id}`, jar)).text();
    expect(page).not.toContain(`${id}/test`);
    expect((await postForm(t.b.domain, `${BASE}/webhooks/${id}/test`, jar, { _csrf: csrf })).status).toBe(409);

    const confirm = await get(t.b.domain, `${BASE}/webhooks/${id}/delete`, jar);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain("Supprimer cette adresse de webhook ?");
    const deleted = await postForm(t.b.domain, `${BASE}/webhooks/${id}/delete`, jar, { _csrf: csrf });
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get("location")).toBe(`${BASE}?done=deleted`);
    expect((await call(t.b.domain, `/api/webhooks/${id}`, { headers: token })).status).toBe(404);
  });
});

describe("the notifications log", () => {
  it("retry puts a failed message back to pending and the next drain delivers it once", async () => {
    const { jar, csrf } = await session(t.b);
    const path = `/hooks/${crypto.randomUUID()}`;
    const { id: endpointId } = await addThroughForm(t.b, jar, csrf, `${captureUrl()}${path}`);
    expect((await postForm(t.b.domain, `${BASE}/webhooks/${endpointId}/test`, jar, { _csrf: csrf })).status).toBe(303);
    expect(await deliver(t.b, gone)).toMatchObject({ failed: 1 });
    const [failed] = await outbox(t.b, `recipient = $1`, [endpointId]);

    const log = await get(t.b.domain, `${BASE}/notifications?status=failed&channel=webhook`, jar);
    expect(log.status).toBe(200);
    const html = await log.text();
    expect(html).toContain("HTTP 410: endpoint removed");
    expect(html).toContain(`action="${BASE}/notifications/${failed!.id}/retry"`);
    expect(html).toContain(new URL(captureUrl()).host); // a webhook message names its endpoint

    const retry = () =>
      postForm(t.b.domain, `${BASE}/notifications/${failed!.id}/retry`, jar, { _csrf: csrf, status: "failed", channel: "webhook" });
    const first = await retry();
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe(`${BASE}/notifications?status=failed&channel=webhook&done=retried`);
    expect((await retry()).status).toBe(303); // clicked twice: no harm
    const [pending] = await outbox(t.b, `id = $1`, [failed!.id]);
    expect(pending).toMatchObject({ status: "pending", attempts: 1 });

    expect(await deliver(t.b)).toMatchObject({ claimed: 1, sent: 1 });
    expect(await deliver(t.b)).toMatchObject({ claimed: 0 });
    expect(await captured((m) => m.path === path)).toHaveLength(1);
    const attempts = await sql<{ ok: boolean }>(
      `SELECT ok FROM ${quoteSchema(t.b.schemaName)}.notification_attempts WHERE notification_id = $1 ORDER BY id`,
      [failed!.id],
    );
    expect(attempts.map((a) => a.ok)).toEqual([false, true]);

    // Retrying a sent message answers 409 and says why.
    const sent = await postForm(t.b.domain, `${BASE}/notifications/${failed!.id}/retry?lang=en`, jar, { _csrf: csrf });
    expect(sent.status).toBe(409);
    expect(await sent.text()).toContain("This message is “Sent”: only a failed message can be retried.");
  });

  it("shows emails and phone numbers partly hidden, newest first, filtered by channel", async () => {
    const { jar } = await session(t.a);
    const s = quoteSchema(t.a.schemaName);
    await sql(
      `INSERT INTO ${s}.notifications (channel, kind, dedupe_key, recipient, status, last_error, created_at)
       VALUES ('email', 'reminder', $1, 'amina.benali@mail.test', 'sent', null, now() - interval '1 minute'),
              ('whatsapp', 'booking_confirmation', $2, '+212612345678', 'failed', 'HTTP 500: provider down', now())`,
      [`t:${crypto.randomUUID()}`, `t:${crypto.randomUUID()}`],
    );
    const html = await (await get(t.a.domain, `${BASE}/notifications?lang=en`, jar)).text();
    expect(html).not.toContain("amina.benali@mail.test");
    expect(html).not.toContain("612345678");
    expect(html).toContain("a•••@mail.test");
    expect(html).toContain("+212•••••••78");
    expect(html.indexOf("+212•••••••78")).toBeLessThan(html.indexOf("a•••@mail.test"));
    expect(html).toContain("HTTP 500: provider down");
    const emails = await (await get(t.a.domain, `${BASE}/notifications?channel=email&lang=en`, jar)).text();
    expect(emails).toContain("a•••@mail.test");
    expect(emails).not.toContain("+212•••••••78");
    // Unknown filter values are ignored, not an error page.
    expect((await get(t.a.domain, `${BASE}/notifications?status=lost&page=-3`, jar)).status).toBe(200);
  });
});

describe("who may use it", () => {
  it("staff role refused", async () => {
    const { jar, csrf } = await session(t.a, "staff");
    const [endpoint] = await endpoints(t.a);
    for (const path of [BASE, `${BASE}/notifications`, `${BASE}/webhooks/${endpoint!.id}`]) {
      expect((await get(t.a.domain, path, jar)).status, path).toBe(403);
    }
    const before = await endpoints(t.a);
    expect((await postForm(t.a.domain, `${BASE}/webhooks`, jar, { _csrf: csrf, url: "https://example.com/staff" })).status).toBe(403);
    expect((await postForm(t.a.domain, `${BASE}/webhooks/${endpoint!.id}/delete`, jar, { _csrf: csrf })).status).toBe(403);
    expect(await endpoints(t.a)).toEqual(before);
  });

  it("another business's endpoint/notification id 404", async () => {
    const { jar, csrf } = await session(t.a);
    const [theirs] = await endpoints(t.b);
    const [message] = await outbox(t.b, `status = 'sent'`);
    expect((await get(t.a.domain, `${BASE}/webhooks/${theirs!.id}`, jar)).status).toBe(404);
    expect((await get(t.a.domain, `${BASE}/webhooks/${theirs!.id}/delete`, jar)).status).toBe(404);
    expect((await get(t.a.domain, `${BASE}/webhooks/not-an-id`, jar)).status).toBe(404);
    expect((await postForm(t.a.domain, `${BASE}/webhooks/${theirs!.id}/test`, jar, { _csrf: csrf })).status).toBe(404);
    expect((await postForm(t.a.domain, `${BASE}/webhooks/${theirs!.id}/delete`, jar, { _csrf: csrf })).status).toBe(404);
    expect((await postForm(t.a.domain, `${BASE}/notifications/${message!.id}/retry`, jar, { _csrf: csrf })).status).toBe(404);
    expect((await endpoints(t.b)).some((e) => e.id === theirs!.id)).toBe(true);
  });

  it("missing CSRF refused", async () => {
    const { jar } = await session(t.b);
    const before = await endpoints(t.b);
    expect((await postForm(t.b.domain, `${BASE}/webhooks`, jar, { url: "https://example.com/no-csrf" })).status).toBe(403);
    const [endpoint] = before;
    expect((await postForm(t.b.domain, `${BASE}/webhooks/${endpoint!.id}/delete`, jar, { _csrf: "forged" })).status).toBe(403);
    const [message] = await outbox(t.b);
    expect((await postForm(t.b.domain, `${BASE}/notifications/${message!.id}/retry`, jar, {})).status).toBe(403);
    expect(await endpoints(t.b)).toEqual(before);
  });
});
