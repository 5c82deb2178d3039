/**
 * The cron handler's only job: find which tenants have work (one query per
 * job kind) and enqueue one message per tenant. The work itself happens in the
 * consumer, so a slow or failing tenant never delays another and the cron
 * stays within limits.
 */
import { and, asc, eq, gte } from "drizzle-orm";
import { httpDrizzle, type Queryable } from "../db/client";
import { tenantMigrationState, tenants } from "../db/schema/public";
import { tenantMigrations } from "../db/migrations/bundle.generated";
import { tenantsBehind, type TenantRef } from "../db/migrations/migrator";
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
export async function tenantsToNotify(db: Queryable): Promise<TenantRef[]> {
  return db
    .select({ id: tenants.id, slug: tenants.slug, schemaName: tenants.schemaName })
    .from(tenants)
    .innerJoin(tenantMigrationState, eq(tenantMigrationState.tenantId, tenants.id))
    .where(and(eq(tenants.status, "active"), gte(tenantMigrationState.version, NOTIFY_MIN_VERSION)))
    .orderBy(asc(tenants.slug));
}

export async function fanOut(env: Bindings, cron: string, kinds: readonly JobKind[] = CRON_JOBS[cron] ?? []): Promise<number> {
  const config = loadConfig(env);
  const db = { databaseUrl: config.DATABASE_URL, proxy: config.DB_PROXY, httpEndpoint: config.DB_HTTP_ENDPOINT };
  let sent = 0;
  for (const kind of kinds) {
    if (kind === "maintenance") {
      await enqueueAll(env.JOBS, [{ kind }]);
      sent += 1;
      continue;
    }
    // One query either way, over HTTP: the cron opens no WebSocket.
    const http = httpDrizzle(db);
    const due = kind === "migrate" ? await tenantsBehind(http) : await tenantsToNotify(http);
    await enqueueAll(
      env.JOBS,
      due.map((t) => ({ kind, tenantId: t.id, slug: t.slug, schemaName: t.schemaName })),
    );
    sent += due.length;
  }
  console.log(JSON.stringify({ level: "info", job: "fan-out", cron, kinds, sent }));
  return sent;
}
