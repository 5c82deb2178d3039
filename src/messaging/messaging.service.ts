/**
 * Two-way WhatsApp and short links (issue 14).
 *
 * Inbound replies: each message is first recorded in `inbound_messages`, keyed
 * by the provider's message id, together with the booking it is about (the
 * sender's next open booking) — in ONE statement, so a redelivery (Meta retries
 * until it gets a 200) finds the row and acts on the SAME booking again, which
 * is a no-op: confirming or cancelling are state transitions that happen once,
 * and the reply is an outbox row with a per-message dedupe key.
 *   `1` confirms a pending booking, `2` cancels it within the cut-off (after it:
 *   a reply to call the business, with the profile's contact phone, else its WhatsApp), `STOP` opts the phone out of
 *   every WhatsApp/SMS at once, anything else gets a short help text.
 */
import { sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Queryable, rowsOf } from "../db/client";
import { tenantConfig } from "../db/schema/public";
import { tenantTables } from "../db/schema/tenant";
import { columnList, columnName } from "../db/sql";
import { assertCustomerMay, findManagedBooking } from "../bookings/manage.service";
import { transitionBooking } from "../bookings/bookings.service";
import { CutoffPassed, InvalidTransition } from "../domain/errors";
import type { TenantContext } from "../domain/tenant";
import { optOutPhone } from "../notify/opt-outs";
import { enqueueNotifications } from "../notify/outbox";

export type InboundAction = "confirm" | "cancel" | "stop" | "help";

export function actionOf(text: string): InboundAction {
  const t = text.trim().toUpperCase();
  if (t === "1") return "confirm";
  if (t === "2") return "cancel";
  if (["STOP", "ARRET", "ARRÊT", "توقف"].includes(t)) return "stop";
  return "help";
}

/** HMAC-SHA256 of the raw body with the app secret, as Meta sends it: `sha256=<hex>`. */
export async function verifyHubSignature(appSecret: string, raw: string, header: string | undefined): Promise<boolean> {
  if (!header?.startsWith("sha256=")) return false;
  const hex = header.slice(7);
  if (!/^[0-9a-f]{64}$/i.test(hex)) return false;
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(appSecret), { name: "HMAC", hash: "SHA-256" }, false, [
    "verify",
  ]);
  const bytes = new Uint8Array(hex.match(/../g)!.map((h) => Number.parseInt(h, 16)));
  // subtle.verify compares in constant time.
  return crypto.subtle.verify("HMAC", key, bytes, new TextEncoder().encode(raw));
}

export interface InboundMessage {
  id: string;
  /** E.164 with the plus. */
  from: string;
  text: string;
  /** The business number it was sent to (`value.metadata.phone_number_id`), null when Meta did not say. */
  phoneNumberId?: string | null;
}

/** Text messages of a Cloud API webhook payload (statuses and other kinds are ignored). */
export function inboundMessagesOf(payload: unknown): InboundMessage[] {
  const out: InboundMessage[] = [];
  const entries = (payload as { entry?: unknown[] } | null)?.entry;
  if (!Array.isArray(entries)) return out;
  for (const entry of entries) {
    const changes = ((entry as { changes?: unknown[] }).changes ?? []) as {
      value?: { messages?: unknown[]; metadata?: { phone_number_id?: unknown } };
    }[];
    for (const change of changes) {
      const to = change.value?.metadata?.phone_number_id;
      const phoneNumberId = typeof to === "string" && /^[0-9]{1,32}$/.test(to) ? to : null;
      for (const m of (change.value?.messages ?? []) as { id?: unknown; from?: unknown; type?: unknown; text?: { body?: unknown } }[]) {
        if (typeof m.id !== "string" || typeof m.from !== "string" || !/^\+?[1-9][0-9]{6,14}$/.test(m.from)) continue;
        const text = m.type === "text" && typeof m.text?.body === "string" ? m.text.body : "";
        out.push({
          id: m.id.slice(0, 200),
          from: m.from.startsWith("+") ? m.from : `+${m.from}`,
          text: text.slice(0, 1000),
          phoneNumberId,
        });
      }
    }
  }
  return out;
}

const REPLIES: Record<string, Record<string, string>> = {
  fr: {
    confirmed: "Merci, votre rendez-vous est confirmé.",
    cancelled: "Votre rendez-vous est annulé.",
    too_late: "Il est trop tard pour annuler en ligne. Merci d'appeler le {phone}.",
    nothing: "Nous n'avons trouvé aucun rendez-vous à venir pour ce numéro.",
    stopped: "Vous ne recevrez plus de messages de notre part.",
    help: "Répondez 1 pour confirmer, 2 pour annuler, STOP pour ne plus recevoir de messages.",
  },
  en: {
    confirmed: "Thank you, your booking is confirmed.",
    cancelled: "Your booking is cancelled.",
    too_late: "It is too late to cancel online. Please call {phone}.",
    nothing: "We found no upcoming booking for this number.",
    stopped: "You will not receive any more messages from us.",
    help: "Reply 1 to confirm, 2 to cancel, STOP to opt out.",
  },
  ar: {
    confirmed: "شكراً، تم تأكيد موعدك.",
    cancelled: "تم إلغاء موعدك.",
    too_late: "فات الأوان للإلغاء عبر الإنترنت. المرجو الاتصال بالرقم {phone}.",
    nothing: "لم نجد أي موعد قادم لهذا الرقم.",
    stopped: "لن تتلقى أي رسائل منا بعد الآن.",
    help: "أرسل 1 للتأكيد، 2 للإلغاء، STOP لإيقاف الرسائل.",
  },
};

export type InboundOutcome = "confirmed" | "cancelled" | "too_late" | "nothing" | "stopped" | "help" | "duplicate";

/** Records one inbound message (once), acts on it, enqueues the answer. Returns what happened. */
export async function handleInbound(db: Queryable, tenant: TenantContext, message: InboundMessage): Promise<InboundOutcome> {
  const t = tenantTables(tenant.schemaName);
  const im = t.inboundMessages;
  const prev = alias(t.inboundMessages, "prev");
  const b = alias(t.bookings, "b");
  const cfg = alias(tenantConfig, "cfg");
  const action = actionOf(message.text);
  // One statement: the target booking, the record (once) and what an earlier delivery recorded.
  const [row] = await rowsOf<{
    fresh: boolean;
    booking_id: string | null;
    version: number | null;
    locale: string | null;
    business_phone: string | null;
  }>(
    db,
    sql`WITH target AS (
       SELECT ${b.id} AS id FROM ${t.bookings} ${b}
        WHERE ${b.contactPhone} = ${message.from} AND ${b.status} IN ('pending', 'confirmed') AND ${b.startsAt} > now()
        ORDER BY ${b.startsAt} LIMIT 1
     ), ins AS (
       INSERT INTO ${im} (${columnList(im.providerMessageId, im.fromPhone, im.body, im.bookingId, im.action)})
       SELECT ${message.id}, ${message.from}, ${message.text}, (SELECT id FROM target), ${action}
       ON CONFLICT (${columnName(im.providerMessageId)}) DO NOTHING
       RETURNING ${im.bookingId} AS booking_id
     ), chosen AS (
       SELECT booking_id, true AS fresh FROM ins
       UNION ALL
       SELECT ${prev.bookingId}, false FROM ${im} ${prev} WHERE ${prev.providerMessageId} = ${message.id}
     )
     SELECT c.fresh, c.booking_id, ${b.manageTokenVersion} AS version, ${b.contactLocale} AS locale,
            (SELECT coalesce(nullif(${cfg.settings} ->> 'contactPhone', ''), nullif(${cfg.settings} ->> 'whatsapp', ''))
               FROM ${tenantConfig} ${cfg} WHERE ${cfg.tenantId} = ${tenant.id}::uuid) AS business_phone
       FROM chosen c LEFT JOIN ${t.bookings} ${b} ON ${b.id} = c.booking_id
      LIMIT 1`,
  );
  const bookingId = row?.booking_id ?? null;
  let outcome: Exclude<InboundOutcome, "duplicate">;
  if (action === "stop") {
    await optOutPhone(db, tenant.schemaName, message.from, "whatsapp_stop");
    outcome = "stopped";
  } else if (action === "help") {
    outcome = "help";
  } else if (!bookingId || row?.version === null || row?.version === undefined) {
    outcome = "nothing";
  } else if (action === "confirm") {
    outcome = await confirm(db, tenant, bookingId);
  } else {
    outcome = await cancel(db, tenant, bookingId, Number(row.version));
  }
  const locale = REPLIES[row?.locale ?? ""] ? row!.locale! : "fr";
  const text = REPLIES[locale]![outcome]!.replace("{phone}", row?.business_phone ?? tenant.name);
  // Every message gets one answer. A STOP's answer (kind opt_out_ack) is the one message delivery still lets through
  // to an opted-out phone, so the customer knows it worked; it belongs to no booking.
  const stopped = outcome === "stopped";
  await enqueueNotifications(db, tenant.schemaName, [
    {
      channel: "whatsapp",
      kind: stopped ? "opt_out_ack" : "reply",
      dedupeKey: `inbound:${message.id}:reply`,
      bookingId: stopped ? null : bookingId,
      recipient: message.from,
      locale,
      payload: { text },
    },
  ]);
  return row?.fresh === false ? "duplicate" : outcome;
}

async function confirm(db: Queryable, tenant: TenantContext, bookingId: string): Promise<"confirmed"> {
  try {
    await transitionBooking(db, tenant, { id: bookingId, action: "confirm", actor: { type: "customer", id: null }, onlyUserId: null });
  } catch (error) {
    // Already confirmed (or a redelivery of this very reply): the answer is the same.
    if (!(error instanceof InvalidTransition)) throw error;
  }
  return "confirmed";
}

async function cancel(db: Queryable, tenant: TenantContext, bookingId: string, version: number): Promise<"cancelled" | "too_late"> {
  try {
    const booking = await findManagedBooking(db, tenant, { bookingId, version });
    if (booking.status === "cancelled") return "cancelled";
    assertCustomerMay(booking, "cancel", Date.now());
    await transitionBooking(db, tenant, {
      id: bookingId,
      action: "cancel",
      reason: "Cancelled by the customer (WhatsApp reply)",
      actor: { type: "customer", id: null },
      onlyUserId: null,
      expectVersion: version,
    });
  } catch (error) {
    if (error instanceof CutoffPassed) return "too_late";
    if (!(error instanceof InvalidTransition)) throw error;
  }
  return "cancelled";
}
