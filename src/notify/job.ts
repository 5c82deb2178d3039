/**
 * One tenant's notification work, run by the queue consumer for a `notify`
 * message: derive messages from new booking events, enqueue due reminders,
 * then deliver what is due. Each step is idempotent, so a retried or
 * duplicated message only repeats no-ops.
 */
import type { Client } from "@neondatabase/serverless";
import type { AppConfig } from "../env";
import { drainOutbox, type DeliveryStats, type NotifyTenant } from "./deliver";
import { deriveEventNotifications, type DerivedCounts } from "./events";
import type { Queryable } from "./outbox";
import { emailProviderFromConfig, type EmailProvider } from "./provider";
import { enqueueDueReminders } from "./reminders";

export interface NotifyResult {
  skipped?: string;
  derived?: DerivedCounts;
  reminders?: number;
  delivery?: DeliveryStats;
}

/** Name, zone and primary domain of an active tenant (null when gone or not active). */
export async function loadNotifyTenant(client: Queryable, tenantId: string): Promise<NotifyTenant | null> {
  const { rows } = await client.query(
    `SELECT t.id, t.schema_name AS "schemaName", t.name, t.time_zone AS "timeZone",
            coalesce((SELECT d.domain FROM "public"."tenant_domains" d WHERE d.tenant_id = t.id
                       ORDER BY d.is_primary DESC, d.domain LIMIT 1), t.slug || '.bookme.ma') AS domain
       FROM "public"."tenants" t
      WHERE t.id = $1::uuid AND t.status = 'active'`,
    [tenantId],
  );
  return (rows[0] as NotifyTenant | undefined) ?? null;
}

export interface NotifyDeps {
  email?: EmailProvider | null;
  manageSecret?: string;
  publicUrlTemplate?: string;
  appEnv?: string;
  fetch?: typeof fetch;
  now?: Date;
  budgetMs?: number;
}

export function notifyDepsFromConfig(config: AppConfig): NotifyDeps {
  return {
    email: emailProviderFromConfig(config),
    manageSecret: config.JWT_SECRET,
    publicUrlTemplate: config.PUBLIC_URL_TEMPLATE,
    appEnv: config.APP_ENV,
  };
}

export async function runNotifyJob(client: Client, tenantId: string, deps: NotifyDeps): Promise<NotifyResult> {
  const tenant = await loadNotifyTenant(client, tenantId);
  if (!tenant) return { skipped: "tenant not active" };
  const derived = await deriveEventNotifications(client, tenant.schemaName);
  const reminders = await enqueueDueReminders(client, tenant.schemaName, deps.now ?? new Date());
  const delivery = await drainOutbox(client, {
    tenant,
    email: deps.email ?? null,
    manageSecret: deps.manageSecret,
    publicUrlTemplate: deps.publicUrlTemplate,
    appEnv: deps.appEnv,
    fetch: deps.fetch,
    now: deps.now,
    budgetMs: deps.budgetMs,
  });
  return { derived, reminders, delivery };
}
