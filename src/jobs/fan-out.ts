/**
 * The cron handler's only job: find which tenants have work (one query) and
 * enqueue one message per tenant. The work itself happens in the consumer, so a
 * slow or failing tenant never delays another and the cron stays within limits.
 */
import { withClient } from "../db/client";
import { tenantsBehind } from "../db/migrations/migrator";
import { loadConfig, type Bindings } from "../env";
import { CRON_JOBS, type JobKind, type JobMessage } from "./messages";

const SEND_BATCH_LIMIT = 100;

export async function enqueueAll(queue: Queue<unknown>, messages: JobMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += SEND_BATCH_LIMIT) {
    await queue.sendBatch(messages.slice(i, i + SEND_BATCH_LIMIT).map((body) => ({ body, contentType: "json" as const })));
  }
}

export async function fanOut(env: Bindings, cron: string, kinds: readonly JobKind[] = CRON_JOBS[cron] ?? []): Promise<number> {
  const config = loadConfig(env);
  const db = { databaseUrl: config.DATABASE_URL, proxy: config.DB_PROXY };
  let sent = 0;
  for (const kind of kinds) {
    if (kind === "migrate") {
      const tenants = await withClient(db, (client) => tenantsBehind(client));
      await enqueueAll(
        env.JOBS,
        tenants.map((t) => ({ kind: "migrate", tenantId: t.id, slug: t.slug, schemaName: t.schemaName })),
      );
      sent += tenants.length;
    }
  }
  console.log(JSON.stringify({ level: "info", job: "fan-out", cron, kinds, sent }));
  return sent;
}
