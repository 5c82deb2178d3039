import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { tenantMigrations } from "../src/db/migrations/bundle.generated";
import { CRON_JOBS, retryDelaySeconds, type JobMessage } from "../src/jobs/messages";
import worker from "../src/index";
import { quoteSchema } from "../src/tenancy/naming";
import { createTenant, dropTenant, sql, type TestTenant } from "./harness";

const MIGRATE_CRON = Object.entries(CRON_JOBS).find(([, kinds]) => kinds.includes("migrate"))![0];

/** Makes a provisioned tenant look like one created before any tenant migration existed. */
async function rewind(t: TestTenant) {
  await sql(`DROP SCHEMA ${quoteSchema(t.schemaName)} CASCADE`);
  await sql(`UPDATE tenant_migration_state SET version = 0, last_tag = NULL WHERE tenant_id = $1`, [t.id]);
}

async function versionOf(t: TestTenant): Promise<number> {
  const [row] = await sql<{ version: number }>(`SELECT version FROM tenant_migration_state WHERE tenant_id = $1`, [t.id]);
  return row.version;
}

const migrateMessage = (t: TestTenant): JobMessage => ({ kind: "migrate", tenantId: t.id, slug: t.slug, schemaName: t.schemaName });

describe("scheduled work: migrations fan out through the queue", () => {
  it("the cron enqueues the tenants that are behind and the consumer brings them up to date", async () => {
    const tenants = [await createTenant(), await createTenant()];
    try {
      for (const t of tenants) await rewind(t);
      const result = await (SELF as unknown as { scheduled(o: { cron: string }): Promise<{ outcome: string }> }).scheduled({
        cron: MIGRATE_CRON,
      });
      expect(result.outcome).toBe("ok");
      // Delivery is asynchronous (miniflare's real queue): wait for convergence.
      for (let i = 0; i < 100 && (await Promise.all(tenants.map(versionOf))).some((v) => v < tenantMigrations.length); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      for (const t of tenants) {
        expect(await versionOf(t)).toBe(tenantMigrations.length);
        expect(await sql(`SELECT 1 FROM ${quoteSchema(t.schemaName)}.settings`)).toHaveLength(0);
      }
    } finally {
      for (const t of tenants) await dropTenant(t);
    }
  });

  it("acks the tenants that migrate and retries a failing one with backoff", async () => {
    const good = await createTenant();
    const bad = await createTenant();
    try {
      await rewind(good);
      await rewind(bad);
      // A hand-made table in the way: the first tenant migration fails there.
      await sql(`CREATE SCHEMA ${quoteSchema(bad.schemaName)}`);
      await sql(`CREATE TABLE ${quoteSchema(bad.schemaName)}.settings (oops integer)`);
      const batch = createMessageBatch<JobMessage>("bookme-jobs", [
        { id: "m-good", timestamp: new Date(), attempts: 1, body: migrateMessage(good) },
        { id: "m-bad", timestamp: new Date(), attempts: 3, body: migrateMessage(bad) },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env);
      const outcome = await getQueueResult(batch, ctx);
      expect(outcome.explicitAcks).toEqual(["m-good"]);
      // (miniflare does not report the delay; retryDelaySeconds has its own test)
      expect(outcome.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(["m-bad"]);
      expect(await versionOf(good)).toBe(tenantMigrations.length);
      const [state] = await sql<{ last_error: string }>(`SELECT last_error FROM tenant_migration_state WHERE tenant_id = $1`, [bad.id]);
      expect(state.last_error).toMatch(/settings.*already exists/);
    } finally {
      await dropTenant(good);
      await dropTenant(bad);
    }
  });

  it("backs off exponentially and caps the delay", () => {
    expect([1, 2, 3, 4, 10].map(retryDelaySeconds)).toEqual([30, 60, 120, 240, 900]);
  });
});
