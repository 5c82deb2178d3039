/**
 * Meta calls ONE webhook URL per app, whatever business number a customer
 * wrote to. Each message names that number (`metadata.phone_number_id`); the
 * business that owns it (`tenants.whatsapp_phone_number_id`) is found in one
 * statement for the whole payload, and each message goes to that business's
 * own handler (messaging.service `handleInbound`, idempotent per message id).
 *
 * On the platform host a message for a number no business owns, or for a
 * business that is not active, is ignored with a log line (the webhook still
 * answers 200, or Meta would redeliver it for days). On a business's own host
 * (the per-tenant URL, kept for deployments with one business) messages go to
 * that business, except those sent to a number another business owns.
 */
import { sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "../db/client";
import { tenants } from "../db/schema/public";
import type { TenantContext } from "../domain/tenant";
import { handleInbound, type InboundMessage, type InboundOutcome } from "./messaging.service";

export type RoutedOutcome = InboundOutcome | "ignored";

/** The businesses owning these phone-number ids (any status), keyed by id. One statement. */
export async function tenantsBySender(db: Queryable, ids: string[]): Promise<Map<string, TenantContext>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const t = tenants;
  const rows = await rowsOf<TenantContext & { sender: string }>(
    db,
    sql`SELECT ${t.whatsappPhoneNumberId} AS sender, ${t.id} AS id, ${t.slug} AS slug, ${t.schemaName} AS "schemaName", ${t.name} AS name,
               ${t.status} AS status, ${t.timeZone} AS "timeZone", ${t.locale} AS locale, ${t.currency} AS currency, ${t.country} AS country
          FROM ${t} WHERE ${t.whatsappPhoneNumberId} = ANY(${sql.param(unique)}::text[])`,
  );
  return new Map(rows.map(({ sender, ...tenant }) => [sender, tenant]));
}

function ignored(reason: string, message: InboundMessage, extra: Record<string, unknown> = {}): "ignored" {
  console.warn(
    JSON.stringify({
      level: "warn",
      event: "whatsapp_inbound_ignored",
      reason,
      phone_number_id: message.phoneNumberId ?? null,
      message_id: message.id,
      ...extra,
    }),
  );
  return "ignored";
}

/**
 * Hands each message to its business. `host`: the business whose own host
 * received the webhook, or null on the platform host (route by number only).
 */
export async function routeInbound(db: Queryable, messages: InboundMessage[], host: TenantContext | null): Promise<RoutedOutcome[]> {
  const owners = await tenantsBySender(
    db,
    messages.map((m) => m.phoneNumberId).filter((id): id is string => !!id),
  );
  const outcomes: RoutedOutcome[] = [];
  for (const message of messages) {
    const owner = message.phoneNumberId ? owners.get(message.phoneNumberId) : undefined;
    if (host) {
      if (owner && owner.id !== host.id) outcomes.push(ignored("number_of_another_business", message, { host_tenant: host.slug }));
      else outcomes.push(await handleInbound(db, host, message));
      continue;
    }
    if (!owner) outcomes.push(ignored("unknown_phone_number_id", message));
    else if (owner.status !== "active") outcomes.push(ignored(`business_${owner.status}`, message, { tenant: owner.slug }));
    else outcomes.push(await handleInbound(db, owner, message));
  }
  return outcomes;
}
