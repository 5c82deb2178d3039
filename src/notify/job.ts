/**
 * One tenant's notification work, run by the queue consumer for a `notify`
 * message: derive messages from new booking events, enqueue due reminders,
 * then deliver what is due. Each step is idempotent, so a retried or
 * duplicated message only repeats no-ops.
 */
import { sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { rowsOf } from "../db/client";
import { tenantDomains, tenants } from "../db/schema/public";
import { inOneTransaction } from "../db/sql";
import type { AppConfig } from "../env";
import { dueAgendasStatement } from "./alerts";
import { drainOutbox, type DeliveryStats, type NotifyTenant } from "./deliver";
import { type DerivedCounts, deriveEventsStatement } from "./events";
import { asQueryable, type NotifyDb } from "./outbox";
import { type PhoneProvider, phoneProvidersFromConfig } from "./phone";
import { emailProviderFromConfig, type EmailProvider } from "./provider";
import { dueRemindersStatement } from "./reminders";

export interface NotifyResult {
  skipped?: string;
  derived?: DerivedCounts;
  reminders?: number;
  delivery?: DeliveryStats;
}

/** Name, zone, primary domain and WhatsApp sender of an active tenant (null when gone or not active). */
export async function loadNotifyTenant(db: NotifyDb, tenantId: string): Promise<NotifyTenant | null> {
  const t = alias(tenants, "t");
  const d = alias(tenantDomains, "d");
  // A raw statement: inside a one-table builder select, drizzle would print the correlated columns unqualified.
  const [row] = await rowsOf<NotifyTenant>(
    asQueryable(db),
    sql`SELECT ${t.id} AS id, ${t.schemaName} AS "schemaName", ${t.name} AS name, ${t.timeZone} AS "timeZone",
            ${t.whatsappPhoneNumberId} AS "whatsappSender",
            coalesce((SELECT ${d.domain} FROM ${tenantDomains} ${d} WHERE ${d.tenantId} = ${t.id}
                       ORDER BY ${d.isPrimary} DESC, ${d.domain} LIMIT 1), ${t.slug} || '.bookme.ma') AS domain
       FROM ${tenants} ${t}
      WHERE ${t.id} = ${tenantId}::uuid AND ${t.status} = 'active'`,
  );
  return row ?? null;
}

export interface NotifyDeps {
  email?: EmailProvider | null;
  whatsapp?: PhoneProvider | null;
  sms?: PhoneProvider | null;
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
    ...phoneProvidersFromConfig(config),
    manageSecret: config.JWT_SECRET,
    publicUrlTemplate: config.PUBLIC_URL_TEMPLATE,
    appEnv: config.APP_ENV,
  };
}

/**
 * The jobs pass the HTTP database (`httpDrizzle`): every step is one statement
 * or one batch, so no WebSocket is opened. Round trips: the tenant, then event
 * derivation and the reminder scan together (one batch: one transaction), then
 * per delivery batch its claim and its outcomes.
 */
export async function runNotifyJob(handle: NotifyDb, tenantId: string, deps: NotifyDeps): Promise<NotifyResult> {
  const db = asQueryable(handle);
  const tenant = await loadNotifyTenant(db, tenantId);
  if (!tenant) return { skipped: "tenant not active" };
  const { all, last } = await inOneTransaction(db, (q) => [
    q.execute(deriveEventsStatement(tenant.schemaName)),
    q.execute(dueAgendasStatement(tenant.schemaName, tenant.timeZone, deps.now ?? new Date())),
    q.execute(dueRemindersStatement(tenant.schemaName, deps.now ?? new Date())),
  ]);
  const derived = (all[0] as { rows: DerivedCounts[] }).rows[0]!;
  const reminders = (last as unknown as { rows: { enqueued: number }[] }).rows[0]!.enqueued;
  const delivery = await drainOutbox(db, {
    tenant,
    email: deps.email ?? null,
    whatsapp: deps.whatsapp ?? null,
    sms: deps.sms ?? null,
    manageSecret: deps.manageSecret,
    publicUrlTemplate: deps.publicUrlTemplate,
    appEnv: deps.appEnv,
    fetch: deps.fetch,
    now: deps.now,
    budgetMs: deps.budgetMs,
  });
  return { derived, reminders, delivery };
}
