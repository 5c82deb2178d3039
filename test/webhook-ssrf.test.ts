/** SSRF: in production a webhook may only target a public address, checked when saved and again when delivered. */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { deliverDue } from "../src/notify/deliver";
import { deriveEventNotifications } from "../src/notify/events";
import { loadNotifyTenant } from "../src/notify/job";
import { webhookUrlProblem } from "../src/notify/webhook-target";
import { quoteSchema } from "../src/tenancy/naming";
import { json, sql, useTenants, withDb } from "./harness";
import { addBooking, addCustomer, addEvent, adminToken, captured, outbox, seedWorld } from "./notify-helpers";

const REFUSED = [
  "https://127.0.0.1/hook",
  "https://127.8.9.10:8443/hook",
  "https://10.1.2.3/hook",
  "https://172.16.0.1/hook",
  "https://172.31.255.255/hook",
  "https://192.168.1.20/hook",
  "https://169.254.169.254/latest/meta-data/",
  "https://100.100.100.200/latest/meta-data/",
  "https://0.0.0.0/hook",
  "https://2130706433/hook", // 127.0.0.1 written as one number
  "https://0x7f.1/hook", // 127.0.0.1 in hex shorthand
  "https://[::1]/hook",
  "https://[::]/hook",
  "https://[fd00:ec2::254]/latest/meta-data/",
  "https://[fe80::1]/hook",
  "https://[::ffff:127.0.0.1]/hook",
  "https://[::ffff:a9fe:a9fe]/hook", // 169.254.169.254, mapped
  "https://[64:ff9b::a00:1]/hook", // 10.0.0.1 through NAT64
  "https://localhost/hook",
  "https://LOCALHOST./hook",
  "https://api.localhost/hook",
  "https://metadata.google.internal/computeMetadata/v1/",
  "https://printer.local/hook",
];

const ALLOWED = [
  "https://example.com/hooks/bookme",
  "https://8.8.8.8/hook",
  "https://172.32.0.1/hook",
  "https://100.128.0.1/hook",
  "https://[2606:4700:4700::1111]/hook",
  "https://localhost.example.com/hook",
  "https://internal.example.com/hook",
];

describe("webhook targets in production", () => {
  it("refuses loopback, private, link-local, metadata and internal names, and accepts public ones", () => {
    for (const url of REFUSED) expect(webhookUrlProblem(url, "production"), url).toMatch(/public address/);
    for (const url of ALLOWED) expect(webhookUrlProblem(url, "production"), url).toBeNull();
    // Outside production private https targets stay usable (local receivers, the capture sink).
    expect(webhookUrlProblem("https://192.168.1.20/hook", "development")).toBeNull();
  });

  const t = useTenants();
  /** The Worker itself, with this request's configuration saying production. */
  async function productionCall(host: string, path: string, init: RequestInit): Promise<Response> {
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`http://${host}${path}`, init), { ...env, APP_ENV: "production" }, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  }

  it("answers 422 naming url when an internal target is saved, writing nothing", async () => {
    const headers = { authorization: `Bearer ${await adminToken(t.a)}`, "content-type": "application/json" };
    const s = quoteSchema(t.a.schemaName);
    const before = await sql(`SELECT id, url FROM ${s}.webhook_endpoints ORDER BY id`);
    for (const url of ["https://169.254.169.254/latest/meta-data/", "https://[::1]/hook", "https://metadata.google.internal/"]) {
      const res = await productionCall(t.a.domain, "/api/webhooks", { method: "POST", headers, body: JSON.stringify({ url }) });
      expect(res.status, url).toBe(422);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect((await json(res)).errors).toEqual([{ field: "url", message: expect.stringMatching(/public address/) }]);
    }
    expect(await sql(`SELECT id, url FROM ${s}.webhook_endpoints ORDER BY id`)).toEqual(before);
    const ok = await productionCall(t.a.domain, "/api/webhooks", {
      method: "POST",
      headers,
      body: JSON.stringify({ url: "https://example.com/hooks/a" }),
    });
    expect(ok.status).toBe(201);
    const { id } = await json(ok);
    const patched = await productionCall(t.a.domain, `/api/webhooks/${id}`, {
      method: "PATCH",
      headers,
      body: JSON.stringify({ url: "https://10.0.0.5/hook" }),
    });
    expect(patched.status).toBe(422);
    const [row] = await sql<{ url: string }>(`SELECT url FROM ${s}.webhook_endpoints WHERE id = $1`, [id]);
    expect(row!.url).toBe("https://example.com/hooks/a");
  });

  it("refuses at delivery an internal target stored before the check, for good and without a request", async () => {
    const b = t.b;
    const s = quoteSchema(b.schemaName);
    const world = await seedWorld(b);
    await withDb((c) => deriveEventNotifications(c, b.schemaName)); // drain earlier events
    // Written around the API, as a row saved before this check existed would be.
    const path = `/hooks/${crypto.randomUUID()}`;
    await sql(`INSERT INTO ${s}.webhook_endpoints (url, secret) VALUES ($1, 'whsec_test')`, [`https://127.0.0.1:9${path}`]);
    const cust = await addCustomer(b);
    const booking = await addBooking(b, world, cust.id, new Date(Date.now() + 70 * 3_600_000));
    await addEvent(b, booking, "created", null, { status: "confirmed" });
    expect(await withDb((c) => deriveEventNotifications(c, b.schemaName))).toMatchObject({ webhooks: 1 });
    const stats = await withDb(async (c) =>
      deliverDue(c, { tenant: (await loadNotifyTenant(c, b.id))!, email: null, appEnv: "production" }),
    );
    expect(stats).toMatchObject({ claimed: 1, sent: 0, failed: 1, retrying: 0 });
    const [row] = await outbox(b, `channel = 'webhook' AND booking_id = $1`, [booking]);
    expect(row).toMatchObject({ status: "failed", attempts: 1 });
    expect(row!.last_error).toMatch(/refused target: .*public address/);
    expect(await captured((m) => m.path === path)).toHaveLength(0);
  });
});
