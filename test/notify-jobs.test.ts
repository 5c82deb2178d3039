import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { fanOut, NOTIFY_MIN_VERSION } from "../src/jobs/fan-out";
import { CRON_JOBS, type JobMessage, type TenantJobRef } from "../src/jobs/messages";
import { quoteSchema } from "../src/tenancy/naming";
import { countRoundTrips, createTenant, dropTenant, sql, type TestTenant } from "./harness";
import { addBooking, addCustomer, addEvent, captureUrl, emailsTo, seedWorld } from "./notify-helpers";

const NOTIFY_CRON = Object.entries(CRON_JOBS).find(([, kinds]) => kinds.includes("notify"))![0];
const MIGRATE_CRON = Object.entries(CRON_JOBS).find(([, kinds]) => kinds.includes("migrate"))![0];

/** A queue that records what the cron sends instead of delivering it. */
function recordingQueue() {
  const batches: { body: JobMessage }[][] = [];
  const queue = {
    async send() {
      throw new Error("fan-out must use sendBatch");
    },
    async sendBatch(messages: { body: JobMessage }[]) {
      batches.push(messages);
    },
  } as unknown as Queue<unknown>;
  const bodies = () => batches.flat().map((m) => m.body);
  /** The per-tenant messages (the platform's maintenance message has no tenant). */
  const tenantBodies = () => bodies().filter((m): m is Extract<JobMessage, TenantJobRef> => m.kind !== "maintenance");
  return { queue, batches, bodies, tenantBodies };
}

const notifyMessage = (t: TestTenant): JobMessage => ({ kind: "notify", tenantId: t.id, slug: t.slug, schemaName: t.schemaName });

describe("scheduled work: notifications fan out through the queue", () => {
  it("runs notify every minute and migrations every 30 minutes, as wrangler.toml declares", () => {
    expect(NOTIFY_CRON).toBe("* * * * *");
    expect(MIGRATE_CRON).toBe("*/30 * * * *");
  });

  it("the cron enqueues one notify message per active tenant, and migrate only for tenants behind", async () => {
    const active = await createTenant();
    const suspended = await createTenant();
    const behind = await createTenant();
    try {
      await sql(`UPDATE tenants SET status = 'suspended' WHERE id = $1`, [suspended.id]);
      await sql(`UPDATE tenant_migration_state SET version = 1 WHERE tenant_id = $1`, [behind.id]);

      const notify = recordingQueue();
      await fanOut({ ...env, JOBS: notify.queue }, NOTIFY_CRON);
      const notified = notify.tenantBodies();
      expect(notify.bodies()).toHaveLength(notified.length);
      expect(notify.batches.every((b) => b.length <= 100)).toBe(true);
      expect(notified.every((m) => m.kind === "notify")).toBe(true);
      expect(notified.filter((m) => m.tenantId === active.id)).toEqual([notifyMessage(active)]);
      expect(notified.some((m) => m.tenantId === suspended.id)).toBe(false);
      // Its schema may lack the outbox tables: it is migrated first, then notified.
      expect(notified.some((m) => m.tenantId === behind.id)).toBe(false);
      const ids = notified.map((m) => m.tenantId);
      expect(new Set(ids).size).toBe(ids.length);
      const [{ n }] = await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM tenants t JOIN tenant_migration_state s ON s.tenant_id = t.id WHERE t.status = 'active' AND s.version >= $1`,
        [NOTIFY_MIN_VERSION],
      );
      expect(notified).toHaveLength(n);

      // The notify cron's one query travels over HTTP: no WebSocket.
      expect(await countRoundTrips(() => fanOut({ ...env, JOBS: recordingQueue().queue }, NOTIFY_CRON))).toMatchObject({
        connections: 0,
        flights: 1,
      });

      const migrate = recordingQueue();
      // So is the migrate cron's (the maintenance message needs no query).
      expect(await countRoundTrips(() => fanOut({ ...env, JOBS: migrate.queue }, MIGRATE_CRON))).toMatchObject({
        connections: 0,
        flights: 1,
      });
      const migrating = migrate.tenantBodies();
      expect(migrating.every((m) => m.kind === "migrate")).toBe(true);
      // …plus one platform housekeeping message per tick, not one per tenant.
      expect(migrate.bodies().filter((m) => m.kind === "maintenance")).toEqual([{ kind: "maintenance" }]);
      expect(migrating.filter((m) => m.tenantId === behind.id)).toHaveLength(1);
      expect(migrating.some((m) => m.tenantId === active.id)).toBe(false);
    } finally {
      for (const t of [active, suspended, behind]) await dropTenant(t);
    }
  });

  it("the maintenance message prunes stale auth rows and is acked", async () => {
    const stale = `test:stale:${crypto.randomUUID()}`;
    const fresh = `test:fresh:${crypto.randomUUID()}`;
    await sql(`INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, now() - interval '2 days', 3), ($2, now(), 1)`, [
      stale,
      fresh,
    ]);
    try {
      const batch = createMessageBatch<JobMessage>("bookme-jobs", [
        { id: "m-maint", timestamp: new Date(), attempts: 1, body: { kind: "maintenance" } },
      ]);
      const ctx = createExecutionContext();
      // One statement over HTTP: no WebSocket.
      expect(await countRoundTrips(() => worker.queue(batch, env))).toMatchObject({ connections: 0, flights: 1 });
      expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["m-maint"]);
      const left = await sql<{ key: string }>(`SELECT key FROM rate_limits WHERE key = ANY($1)`, [[stale, fresh]]);
      expect(left.map((r) => r.key)).toEqual([fresh]);
    } finally {
      await sql(`DELETE FROM rate_limits WHERE key = ANY($1)`, [[stale, fresh]]);
    }
  });

  it("the consumer sends a tenant's messages and acks it; a broken tenant is retried without holding up the other", async () => {
    const good = await createTenant();
    const broken = await createTenant();
    const gone = await createTenant();
    try {
      const world = await seedWorld(good);
      const cust = await addCustomer(good, "en");
      const booking = await addBooking(good, world, cust.id, new Date(Date.now() + 48 * 3_600_000));
      await addEvent(good, booking, "created", null, { status: "confirmed" });
      await sql(`DROP SCHEMA ${quoteSchema(broken.schemaName)} CASCADE`);
      await dropTenant(gone);

      const batch = createMessageBatch<JobMessage>("bookme-jobs", [
        { id: "m-broken", timestamp: new Date(), attempts: 1, body: notifyMessage(broken) },
        { id: "m-good", timestamp: new Date(), attempts: 1, body: notifyMessage(good) },
        { id: "m-gone", timestamp: new Date(), attempts: 1, body: notifyMessage(gone) },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env);
      const outcome = await getQueueResult(batch, ctx);
      expect(outcome.explicitAcks.sort()).toEqual(["m-gone", "m-good"]);
      expect(outcome.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(["m-broken"]);

      const mails = await emailsTo(cust.email);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.body.subject).toMatch(/^Booking confirmed/);
      expect(mails[0]!.body.html).toContain(`https://${good.domain}/manage/`);

      // People read the same capture as an HTML page.
      const page = await (await fetch(`${captureUrl()}/`)).text();
      expect(page).toContain("Captured messages");
      expect(page).toContain(cust.email);

      // Over HTTP only: the tenant; event derivation with the reminder scan (one batch); a claim (nothing due).
      const idle = createMessageBatch<JobMessage>("bookme-jobs", [
        { id: "m-good-idle", timestamp: new Date(), attempts: 1, body: notifyMessage(good) },
      ]);
      expect(await countRoundTrips(() => worker.queue(idle, env))).toMatchObject({ connections: 0, flights: 3, httpRequests: 3 });

      // A duplicate delivery of the same message changes nothing.
      const again = createMessageBatch<JobMessage>("bookme-jobs", [
        { id: "m-good-2", timestamp: new Date(), attempts: 1, body: notifyMessage(good) },
      ]);
      await worker.queue(again, env);
      expect(await emailsTo(cust.email)).toHaveLength(1);
    } finally {
      await dropTenant(good);
      await dropTenant(broken);
    }
  });
});
