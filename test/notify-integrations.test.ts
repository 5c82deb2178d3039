/**
 * The integrations API: a test delivery to one webhook endpoint, an endpoint's
 * delivery history, and retrying a failed outbox message.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { deliverDue } from "../src/notify/deliver";
import { loadNotifyTenant } from "../src/notify/job";
import { quoteSchema } from "../src/tenancy/naming";
import { call, json, sql, type TestTenant, useTenants, withDb } from "./harness";
import { adminToken, captured, captureUrl, outbox } from "./notify-helpers";

const tenants = useTenants();

/** One delivery batch; `fetch` stands in for the receiver when a test needs it to answer something else. */
async function deliver(t: TestTenant, fetch?: typeof globalThis.fetch) {
  return withDb(async (c) => deliverDue(c, { tenant: (await loadNotifyTenant(c, t.id))!, email: null, appEnv: env.APP_ENV, fetch }));
}

const headersFor = async (t: TestTenant, role: "staff" | "admin" | "owner" = "admin") => ({
  authorization: `Bearer ${await adminToken(t, role)}`,
  "content-type": "application/json",
});

async function addEndpoint(t: TestTenant, path: string, extra: Record<string, unknown> = {}) {
  const res = await call(t.domain, "/api/webhooks", {
    method: "POST",
    headers: await headersFor(t),
    body: JSON.stringify({ url: `${captureUrl()}${path}`, ...extra }),
  });
  expect(res.status).toBe(201);
  return json<{ id: string; secret: string }>(res);
}

async function verifies(secret: string, signature: string, raw: string): Promise<boolean> {
  const parts = Object.fromEntries(signature.split(",").map((p) => p.split("=") as [string, string]));
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const sig = Uint8Array.from(parts.v1!.match(/../g)!, (h) => parseInt(h, 16));
  return crypto.subtle.verify("HMAC", key, sig, new TextEncoder().encode(`${parts.t}.${raw}`));
}

const gone: typeof fetch = async () => new Response("endpoint removed", { status: 410 });

describe("webhook test deliveries", () => {
  it("a test delivery reaches only that endpoint, signed, and shows in its deliveries", async () => {
    const a = tenants.a;
    const path = `/hooks/${crypto.randomUUID()}`;
    const target = await addEndpoint(a, path);
    const other = await addEndpoint(a, `${path}-other`);

    const res = await call(a.domain, `/api/webhooks/${target.id}/test`, { method: "POST", headers: await headersFor(a) });
    expect(res.status).toBe(202);
    const queued = await json(res);
    expect(queued).toMatchObject({ channel: "webhook", kind: "webhook:ping", recipient: target.id, status: "pending", attempts: 0 });
    expect(await deliver(a)).toMatchObject({ claimed: 1, sent: 1 });

    const hooks = await captured((m) => m.path === path);
    expect(hooks).toHaveLength(1);
    const hook = hooks[0]!;
    expect(hook.headers["x-bookme-event"]).toBe("ping");
    expect(hook.headers["x-bookme-delivery"]).toBe(queued.id);
    expect(JSON.parse(hook.raw)).toMatchObject({ type: "ping", data: { endpoint_id: target.id, test: true } });
    expect(await verifies(target.secret, hook.headers["x-bookme-signature"]!, hook.raw)).toBe(true);
    expect(await verifies(other.secret, hook.headers["x-bookme-signature"]!, hook.raw)).toBe(false);
    expect(await captured((m) => m.path === `${path}-other`)).toHaveLength(0);

    const page = await json(await call(a.domain, `/api/webhooks/${target.id}/deliveries`, { headers: await headersFor(a) }));
    expect(page).toMatchObject({ count: 1, next: null, previous: null });
    expect(page.results[0]).toMatchObject({
      id: queued.id,
      event: "ping",
      status: "sent",
      attempts: 1,
      http_status: 200,
      last_error: null,
    });
    const none = await json(await call(a.domain, `/api/webhooks/${other.id}/deliveries`, { headers: await headersFor(a) }));
    expect(none).toMatchObject({ count: 0, results: [] });
  });

  it("lists an endpoint's deliveries newest first, paginated, with the latest HTTP status and error", async () => {
    const a = tenants.a;
    const endpoint = await addEndpoint(a, `/hooks/${crypto.randomUUID()}`);
    const headers = await headersFor(a);
    const first = await json(await call(a.domain, `/api/webhooks/${endpoint.id}/test`, { method: "POST", headers }));
    expect(await deliver(a, gone)).toMatchObject({ failed: 1 });
    const second = await json(await call(a.domain, `/api/webhooks/${endpoint.id}/test`, { method: "POST", headers }));

    const page1 = await json(await call(a.domain, `/api/webhooks/${endpoint.id}/deliveries?page_size=1`, { headers }));
    expect(page1.count).toBe(2);
    expect(page1.results.map((r: { id: string }) => r.id)).toEqual([second.id]);
    expect(page1.results[0]).toMatchObject({ status: "pending", attempts: 0, http_status: null });
    expect(page1.next).toContain("page=2");
    const page2 = await json(await call(a.domain, `/api/webhooks/${endpoint.id}/deliveries?page=2&page_size=1`, { headers }));
    expect(page2.results[0]).toMatchObject({
      id: first.id,
      status: "failed",
      attempts: 1,
      http_status: 410,
      last_error: "HTTP 410: endpoint removed",
    });
    const failed = await json(await call(a.domain, `/api/webhooks/${endpoint.id}/deliveries?status=failed`, { headers }));
    expect(failed.results.map((r: { id: string }) => r.id)).toEqual([first.id]);
    expect((await call(a.domain, `/api/webhooks/${endpoint.id}/deliveries?status=lost`, { headers })).status).toBe(422);
    await deliver(a); // leave nothing due for the next test
  });

  it("a paused endpoint gets no test (409), an unknown or another business's endpoint is 404, staff are refused", async () => {
    const a = tenants.a;
    const headers = await headersFor(a);
    const endpoint = await addEndpoint(a, `/hooks/${crypto.randomUUID()}`);
    await call(a.domain, `/api/webhooks/${endpoint.id}`, { method: "PATCH", headers, body: JSON.stringify({ is_active: false }) });
    const paused = await call(a.domain, `/api/webhooks/${endpoint.id}/test`, { method: "POST", headers });
    expect(paused.status).toBe(409);
    expect((await json(paused)).reason).toBe("endpoint_inactive");

    const b = tenants.b;
    const bHeaders = await headersFor(b);
    expect((await call(b.domain, `/api/webhooks/${endpoint.id}/test`, { method: "POST", headers: bHeaders })).status).toBe(404);
    expect((await call(b.domain, `/api/webhooks/${endpoint.id}/deliveries`, { headers: bHeaders })).status).toBe(404);
    const staff = await headersFor(a, "staff");
    expect((await call(a.domain, `/api/webhooks/${endpoint.id}/test`, { method: "POST", headers: staff })).status).toBe(403);
    expect((await call(a.domain, `/api/webhooks/${endpoint.id}/deliveries`, { headers: staff })).status).toBe(403);
    expect(await outbox(a, `recipient = $1`, [endpoint.id])).toEqual([]);
  });
});

describe("retrying a failed message", () => {
  it("retry puts a failed message back to pending and the next drain delivers it once", async () => {
    const b = tenants.b;
    const headers = await headersFor(b);
    const path = `/hooks/${crypto.randomUUID()}`;
    const endpoint = await addEndpoint(b, path);
    const queued = await json(await call(b.domain, `/api/webhooks/${endpoint.id}/test`, { method: "POST", headers }));
    expect(await deliver(b, gone)).toMatchObject({ failed: 1 });
    const [failed] = await outbox(b, `id = $1`, [queued.id]);
    expect(failed).toMatchObject({ status: "failed", attempts: 1, last_error: "HTTP 410: endpoint removed" });

    const retried = await call(b.domain, `/api/notifications/${queued.id}/retry`, { method: "POST", headers });
    expect(retried.status).toBe(200);
    expect(await json(retried)).toMatchObject({ id: queued.id, status: "pending", attempts: 1 });
    // Clicked twice: still one queued message, nothing else changed.
    const again = await call(b.domain, `/api/notifications/${queued.id}/retry`, { method: "POST", headers });
    expect(again.status).toBe(200);
    expect(await json(again)).toMatchObject({ status: "pending", attempts: 1 });

    expect(await deliver(b)).toMatchObject({ claimed: 1, sent: 1 });
    expect(await deliver(b)).toMatchObject({ claimed: 0 });
    expect(await captured((m) => m.path === path)).toHaveLength(1);
    const detail = await json(await call(b.domain, `/api/notifications/${queued.id}`, { headers }));
    expect(detail).toMatchObject({ status: "sent", attempts: 2 });
    expect(detail.attempt_log.map((x: { ok: boolean; http_status: number }) => [x.ok, x.http_status])).toEqual([
      [false, 410],
      [true, 200],
    ]);
  });

  it("retrying a sent message answers 409; another business's id 404; staff refused", async () => {
    const b = tenants.b;
    const headers = await headersFor(b);
    const endpoint = await addEndpoint(b, `/hooks/${crypto.randomUUID()}`);
    const queued = await json(await call(b.domain, `/api/webhooks/${endpoint.id}/test`, { method: "POST", headers }));
    expect(await deliver(b)).toMatchObject({ sent: 1 });
    const sent = await call(b.domain, `/api/notifications/${queued.id}/retry`, { method: "POST", headers });
    expect(sent.status).toBe(409);
    expect(sent.headers.get("content-type")).toBe("application/problem+json");
    expect(await json(sent)).toMatchObject({ reason: "not_retryable", message_status: "sent" });

    const s = quoteSchema(b.schemaName);
    await sql(`UPDATE ${s}.notifications SET status = 'failed' WHERE id = $1`, [queued.id]);
    const a = tenants.a;
    expect((await call(a.domain, `/api/notifications/${queued.id}/retry`, { method: "POST", headers: await headersFor(a) })).status).toBe(
      404,
    );
    expect(
      (await call(b.domain, `/api/notifications/${queued.id}/retry`, { method: "POST", headers: await headersFor(b, "staff") })).status,
    ).toBe(403);
    const [row] = await outbox(b, `id = $1`, [queued.id]);
    expect(row!.status).toBe("failed");
  });

  it("lists WhatsApp and SMS messages too, filtered by channel", async () => {
    const b = tenants.b;
    const s = quoteSchema(b.schemaName);
    await sql(
      `INSERT INTO ${s}.notifications (channel, kind, dedupe_key, recipient, status, last_error)
       VALUES ('whatsapp', 'reminder', $1, '+212612345678', 'failed', 'HTTP 500: down')`,
      [`t:${crypto.randomUUID()}`],
    );
    const res = await call(b.domain, `/api/notifications?channel=whatsapp&status=failed`, { headers: await headersFor(b) });
    expect(res.status).toBe(200);
    const page = await json(res);
    expect(page.count).toBe(1);
    expect(page.results[0]).toMatchObject({ channel: "whatsapp", status: "failed", last_error: "HTTP 500: down" });
  });
});
