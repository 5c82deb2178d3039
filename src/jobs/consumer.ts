/**
 * Queue consumer: does one tenant's work per message. Each message is acked or
 * retried on its own (exponential delay); after the queue's max_retries the
 * platform moves it to the dead-letter queue configured in wrangler.toml.
 */
import { httpDrizzle, withClient } from "../db/client";
import { migrateTenant } from "../db/migrations/migrator";
import { loadConfig, type Bindings } from "../env";
import { notifyDepsFromConfig, runNotifyJob } from "../notify/job";
import { pruneAuthTables } from "../auth/maintenance";
import { retryDelaySeconds, type JobMessage } from "./messages";

export async function handleQueueBatch(batch: MessageBatch<JobMessage>, env: Bindings): Promise<void> {
  const config = loadConfig(env);
  const db = { databaseUrl: config.DATABASE_URL, proxy: config.DB_PROXY, httpEndpoint: config.DB_HTTP_ENDPOINT };
  for (const message of batch.messages) {
    const job = message.body;
    try {
      if (job.kind === "migrate") {
        const result = await withClient(db, (client) =>
          migrateTenant(client, { id: job.tenantId, slug: job.slug, schemaName: job.schemaName }),
        );
        if (result.error) throw new Error(result.error);
      } else if (job.kind === "notify") {
        // Statements and batches only: the HTTP path, no WebSocket to open (see runNotifyJob).
        const result = await runNotifyJob(httpDrizzle(db), job.tenantId, notifyDepsFromConfig(config));
        console.log(JSON.stringify({ level: "info", job: "notify", tenant: job.slug, ...result }));
      } else if (job.kind === "maintenance") {
        // One statement: HTTP. (Migrations above keep a WebSocket: DDL in interactive transactions.)
        const pruned = await pruneAuthTables(httpDrizzle(db));
        console.log(JSON.stringify({ level: "info", job: "maintenance", pruned }));
      } else {
        console.warn(JSON.stringify({ level: "warn", job: "consumer", unknownKind: (job as { kind: unknown }).kind }));
      }
      message.ack();
    } catch (error) {
      console.error(JSON.stringify({ level: "error", job: job.kind, tenant: "slug" in job ? job.slug : undefined, error: String(error) }));
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
