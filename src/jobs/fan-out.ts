/**
 * The cron handler's only job: find which tenants have work (one query per
 * job kind) and enqueue one message per tenant. The work itself happens in the
 * consumer, so a slow or failing tenant never delays another and the cron
 * stays within limits.
 */
import { withClient } from "../db/client";
import { tenantMigrations } from "../db/migrations/bundle.generated";
import { tenantsBehind, type TenantRef } from "../db/migrations/migrator";
import type { Queryable } from "../notify/outbox";
import { loadConfig, type Bindings } from "../env";
import { CRON_JOBS, type JobKind, type JobMessage } from "./messages";

const SEND_BATCH_LIMIT = 100;

/**
 * The tenant schema version the notify job needs: the one creating the booking
 * event queue (after the outbox tables). Tenants below it are migrated first by
 * the 30-minute cron, then notified; their queued events wait for them.
 */
export const NOTIFY_MIN_VERSION = tenantMigrations.findIndex((m) => m.statements.some((q) => q.includes('"booking_event_queue"'))) + 1;

export async function enqueueAll(queue: Queue<unknown>, messages: JobMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += SEND_BATCH_LIMIT) {
    await queue.sendBatch(messages.slice(i, i + SEND_BATCH_LIMIT).map((body) => ({ body, contentType: "json" as const })));
  }
}

/** Active tenants whose schema has the outbox: one query, whatever the tenant count. */
export async function tenantsToNotify(client: Queryable): Promise<TenantRef[]> {
  const { rows } = await client.query(
    `SELECT t.id, t.slug, t.schema_name AS "schemaName"
       FROM "public"."tenants" t
       JOIN "public"."tenant_migration_state" s ON s.tenant_id = t.id
      WHERE t.status = 'active' AND s.version >= $1
      ORDER BY t.slug`,
    [NOTIFY_MIN_VERSION],
  );
  return rows as TenantRef[];
}

export async function fanOut(env: Bindings, cron: string, kinds: readonly JobKind[] = CRON_JOBS[cron] ?? []): Promise<number> {
  const config = loadConfig(env);
  const db = { databaseUrl: config.DATABASE_URL, proxy: config.DB_PROXY };
  let sent = 0;
  for (const kind of kinds) {
    if (kind === "maintenance") {
      await enqueueAll(env.JOBS, [{ kind }]);
      sent += 1;
      continue;
    }
    const tenants = await withClient(db, (client) => (kind === "migrate" ? tenantsBehind(client) : tenantsToNotify(client)));
    await enqueueAll(
      env.JOBS,
      tenants.map((t) => ({ kind, tenantId: t.id, slug: t.slug, schemaName: t.schemaName })),
    );
    sent += tenants.length;
  }
  console.log(JSON.stringify({ level: "info", job: "fan-out", cron, kinds, sent }));
  return sent;
}
