/**
 * The notification outbox (tenant table `notifications`): every message is a
 * row first, keyed by a unique `dedupe_key`, so enqueueing twice is a no-op and
 * nothing is ever lost or deleted.
 *
 * Lifecycle:  pending ──claim──▶ sending ──ok──▶ sent
 *                 ▲                 │ fail (retryable, attempts < max)
 *                 └── backoff ◀─────┤
 *                                   └ fail (last attempt or permanent) ──▶ failed
 *             pending/sending ──(reminder for a cancelled or moved booking)──▶ skipped
 *             sending (phone, lease over) ──▶ unknown ──(a person: retry)──▶ pending
 *
 * Claiming is one UPDATE over `FOR UPDATE SKIP LOCKED` rows, so concurrent
 * consumers never take the same row. The claim is the record that a send is
 * under way: status `sending` and the attempt counted, committed BEFORE the
 * provider is called. A row still `sending` after STUCK_AFTER_MINUTES (the
 * lease) means its worker stopped between calling the provider and recording
 * the answer, so nobody knows whether the message went out:
 *  - email and webhook rows are reclaimed and sent again: harmless, the email
 *    carries the provider's idempotency key (the notification id; Resend keeps
 *    keys for 24 h) and the webhook its stable `X-BookMe-Delivery` id;
 *  - WhatsApp and SMS rows are NOT resent: neither API takes an idempotency key,
 *    so a resend could reach the phone twice. They become `unknown`, with the
 *    reason as last error and in the attempts log, listed by
 *    `GET /api/notifications?status=unknown`, and a person retries them
 *    (`POST /api/notifications/{id}/retry`) after checking the provider's log.
 */
import { sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { queryableOf, rowsOf } from "../db/client";
import { tenantTables } from "../db/schema/tenant";
import { columnList, columnName } from "../db/sql";
import { iso } from "../http/json";
import type { DeliveryResult } from "./provider";

/**
 * What the notify functions run on: a drizzle handle (the jobs use the HTTP
 * one), or a raw WebSocket connection (tests, bench), wrapped in drizzle by
 * `queryableOf`; the statements are the same typed ones either way.
 */
export type NotifyDb = Parameters<typeof queryableOf>[0];
export const asQueryable = queryableOf;

export type Channel = "email" | "whatsapp" | "sms" | "webhook";
export const isPhoneChannel = (channel: string): channel is "whatsapp" | "sms" => channel === "whatsapp" || channel === "sms";

/** Minutes to wait after the n-th failed attempt (1-based), capped at the last value. */
export const RETRY_DELAYS_MINUTES = [1, 5, 15, 60] as const;
export const STUCK_AFTER_MINUTES = 10;
/** Last error (and attempt-log error) of a phone message whose send may or may not have happened. */
export const UNKNOWN_OUTCOME =
  "outcome unknown: the worker stopped between calling the provider and recording its answer; not resent automatically (no idempotency key): check the provider's log, then retry or leave it";

export function retryDelayMinutes(attempt: number): number {
  return RETRY_DELAYS_MINUTES[Math.min(Math.max(attempt, 1), RETRY_DELAYS_MINUTES.length) - 1]!;
}

export interface NewNotification {
  channel: Channel;
  kind: string;
  dedupeKey: string;
  bookingId?: string | null;
  recipient: string;
  locale?: string;
  payload?: Record<string, unknown>;
  nextAttemptAt?: Date;
  maxAttempts?: number;
}

/** Inserts rows in one statement; rows whose dedupe key exists already are ignored. Returns how many were new. */
export async function enqueueNotifications(db: NotifyDb, schemaName: string, rows: NewNotification[]): Promise<number> {
  if (!rows.length) return 0;
  const n = tenantTables(schemaName).notifications;
  const data = rows.map((r) => ({
    channel: r.channel,
    kind: r.kind,
    dedupe_key: r.dedupeKey,
    booking_id: r.bookingId ?? null,
    recipient: r.recipient,
    locale: r.locale ?? "fr",
    payload: r.payload ?? {},
    next_attempt_at: iso(r.nextAttemptAt ?? new Date())!,
    max_attempts: r.maxAttempts ?? 5,
  }));
  const inserted = await rowsOf(
    asQueryable(db),
    sql`INSERT INTO ${n} (${columnList(n.channel, n.kind, n.dedupeKey, n.bookingId, n.recipient, n.locale, n.payload, n.nextAttemptAt, n.maxAttempts)})
     SELECT channel, kind, dedupe_key, booking_id, recipient, locale, payload, next_attempt_at, max_attempts
       FROM jsonb_to_recordset(${JSON.stringify(data)}::jsonb) AS x(channel text, kind text, dedupe_key text, booking_id uuid, recipient text,
            locale text, payload jsonb, next_attempt_at timestamptz, max_attempts int)
     ON CONFLICT (${columnName(n.dedupeKey)}) DO NOTHING
     RETURNING ${n.id}`,
  );
  return inserted.length;
}

/** A claimed row with everything needed to compose it (booking, people, endpoint), loaded in the same statement. */
export interface ClaimedNotification {
  id: string;
  channel: Channel;
  kind: string;
  recipient: string;
  locale: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
  booking_id: string | null;
  booking_status: string | null;
  starts_at: Date | null;
  ends_at: Date | null;
  manage_token_version: number | null;
  cancel_reason: string | null;
  service_name: string | null;
  staff_name: string | null;
  customer_name: string | null;
  /** Reschedules so far: the calendar SEQUENCE. */
  sequence: number;
  webhook_url: string | null;
  webhook_secret: string | null;
  webhook_active: boolean | null;
  /** WhatsApp/SMS: the recipient replied STOP (checked at send time: honoured at once). */
  opted_out?: boolean;
}

/**
 * Claims up to `limit` due rows of the given channels (and email/webhook rows
 * whose lease is over), counting the attempt, and returns them joined with what
 * they need: one round trip. The same statement turns phone rows whose lease is
 * over into `unknown` (see the header).
 */
export async function claimDue(
  db: NotifyDb,
  schemaName: string,
  options: { now: Date; limit: number; channels: Channel[] },
): Promise<ClaimedNotification[]> {
  if (!options.channels.length) return [];
  const t = tenantTables(schemaName);
  const nt = t.notifications;
  const n = alias(t.notifications, "n");
  const b = alias(t.bookings, "b");
  const sv = alias(t.services, "sv");
  const st = alias(t.staff, "st");
  const e = alias(t.bookingEvents, "e");
  const w = alias(t.webhookEndpoints, "w");
  const oo = alias(t.messageOptOuts, "oo");
  const now = sql`${options.now.toISOString()}::timestamptz`;
  const channels = sql`${sql.param(options.channels)}::text[]`;
  // Instants travel as epoch milliseconds (both drivers hand timestamptz over as text).
  const at = t.notificationAttempts;
  const leaseOver = sql`${nt.status} = 'sending' AND ${nt.updatedAt} < ${now} - make_interval(mins => ${STUCK_AFTER_MINUTES}::int)`;
  const rows = await rowsOf<Omit<ClaimedNotification, "starts_at" | "ends_at"> & { starts_ms: number | null; ends_ms: number | null }>(
    asQueryable(db),
    sql`WITH orphaned AS (
       UPDATE ${nt} ${n}
          SET ${columnName(nt.status)} = 'unknown', ${columnName(nt.lastError)} = ${UNKNOWN_OUTCOME}, ${columnName(nt.updatedAt)} = ${now}
        WHERE ${n.id} IN (SELECT ${nt.id} FROM ${nt} WHERE ${leaseOver} AND ${nt.channel} IN ('whatsapp', 'sms')
                        LIMIT ${options.limit} FOR UPDATE SKIP LOCKED)
       RETURNING ${n.id} AS id, ${n.attempts} AS attempt
     ), orphan_log AS (
       INSERT INTO ${at} (${columnList(at.notificationId, at.attempt, at.ok, at.error)})
       SELECT id, attempt, false, ${UNKNOWN_OUTCOME} FROM orphaned
     ), claimed AS (
       UPDATE ${nt} ${n}
          SET ${columnName(nt.status)} = 'sending', ${columnName(nt.attempts)} = ${n.attempts} + 1, ${columnName(nt.updatedAt)} = ${now}
        WHERE ${n.id} IN (SELECT ${nt.id} FROM ${nt}
                        WHERE ${nt.status} = 'pending' AND ${nt.nextAttemptAt} <= ${now} AND ${nt.channel} = ANY(${channels})
                        ORDER BY ${nt.nextAttemptAt} LIMIT ${options.limit} FOR UPDATE SKIP LOCKED)
           OR ${n.id} IN (SELECT ${nt.id} FROM ${nt}
                        WHERE ${leaseOver} AND ${nt.channel} IN ('email', 'webhook') AND ${nt.channel} = ANY(${channels})
                        LIMIT ${options.limit} FOR UPDATE SKIP LOCKED)
       RETURNING ${n.id} AS id, ${n.channel} AS channel, ${n.kind} AS kind, ${n.recipient} AS recipient, ${n.locale} AS locale,
                 ${n.payload} AS payload, ${n.attempts} AS attempts, ${n.maxAttempts} AS max_attempts, ${n.bookingId} AS booking_id,
                 ${n.nextAttemptAt} AS next_attempt_at, ${n.createdAt} AS created_at
     )
     SELECT c.id, c.channel, c.kind, c.recipient, c.locale, c.payload, c.attempts, c.max_attempts, c.booking_id,
            ${b.status} AS booking_status,
            (extract(epoch FROM ${b.startsAt}) * 1000)::float8 AS starts_ms, (extract(epoch FROM ${b.endsAt}) * 1000)::float8 AS ends_ms,
            ${b.manageTokenVersion} AS manage_token_version, ${b.cancelReason} AS cancel_reason,
            ${sv.name} AS service_name, ${st.displayName} AS staff_name, ${b.contactName} AS customer_name,
            (SELECT count(*) FROM ${t.bookingEvents} ${e} WHERE ${e.bookingId} = c.booking_id AND ${e.action} = 'rescheduled')::int AS sequence,
            ${w.url} AS webhook_url, ${w.secret} AS webhook_secret, ${w.isActive} AS webhook_active,
            (c.channel IN ('whatsapp', 'sms') AND EXISTS (SELECT 1 FROM ${t.messageOptOuts} ${oo} WHERE ${oo.phone} = c.recipient)) AS opted_out
       FROM claimed c
       LEFT JOIN ${t.bookings} ${b} ON ${b.id} = c.booking_id
       LEFT JOIN ${t.services} ${sv} ON ${sv.id} = ${b.serviceId}
       LEFT JOIN ${t.staff} ${st} ON ${st.id} = ${b.staffId}
       LEFT JOIN ${t.webhookEndpoints} ${w} ON c.channel = 'webhook' AND ${w.id}::text = c.recipient
      ORDER BY c.next_attempt_at, (c.payload->>'event_id')::bigint NULLS LAST, c.created_at, c.id`,
  );
  return rows.map(({ starts_ms, ends_ms, ...row }) => ({
    ...row,
    starts_at: starts_ms === null ? null : new Date(starts_ms),
    ends_at: ends_ms === null ? null : new Date(ends_ms),
  }));
}

/**
 * Why a claimed row must not be sent, or null. Reminders are checked against
 * the booking as it is now: cancelled (or otherwise closed), moved since the
 * reminder was enqueued, or already started. Webhooks need a live endpoint.
 */
export function skipReason(row: ClaimedNotification, now: Date): string | null {
  if (row.channel === "webhook") {
    if (!row.webhook_url || !row.webhook_secret) return "webhook endpoint deleted";
    if (!row.webhook_active) return "webhook endpoint disabled";
    return null;
  }
  // The acknowledgement of a STOP is the one message an opted-out phone still gets.
  if (row.opted_out && row.kind !== "opt_out_ack") return "recipient opted out";
  if (row.booking_id && row.booking_status === null) return "booking not found";
  if (row.kind === "reminder") {
    if (row.booking_status !== "pending" && row.booking_status !== "confirmed") return `booking is ${row.booking_status}`;
    const planned = Date.parse(String(row.payload.starts_at ?? ""));
    if (!row.starts_at || planned !== new Date(row.starts_at).getTime()) return "booking was moved";
    if (new Date(row.starts_at).getTime() <= now.getTime()) return "appointment already started";
  }
  return null;
}

export type FinalStatus = "sent" | "pending" | "failed";

/** Next status after an attempt: pure, so the retry policy is tested without a database. */
export function afterAttempt(result: Pick<DeliveryResult, "ok" | "retryable">, attempts: number, maxAttempts: number): FinalStatus {
  if (result.ok) return "sent";
  return result.retryable && attempts < maxAttempts ? "pending" : "failed";
}

/** What happened to one claimed row: skipped (with why) or attempted (with the provider's answer). */
export type Outcome =
  | { id: string; skip: string }
  | { id: string; attempts: number; maxAttempts: number; result: DeliveryResult; durationMs: number };

/**
 * Records a batch's outcomes in one statement: an attempt row per send, and
 * each notification moved on (sent; back to pending with backoff; failed;
 * skipped, giving back the attempt the claim counted). A worker that comes back
 * after its lease still records what the provider said over `unknown`: a real
 * answer beats a guess.
 */
export async function recordOutcomes(db: NotifyDb, schemaName: string, outcomes: Outcome[], now: Date): Promise<FinalStatus[]> {
  if (!outcomes.length) return [];
  const t = tenantTables(schemaName);
  const nt = t.notifications;
  const n = alias(t.notifications, "n");
  const at = t.notificationAttempts;
  const statuses: FinalStatus[] = [];
  const data = outcomes.map((o) => {
    if ("skip" in o) return { id: o.id, skip: o.skip };
    const status = afterAttempt(o.result, o.attempts, o.maxAttempts);
    statuses.push(status);
    return {
      id: o.id,
      skip: null,
      attempt: o.attempts,
      ok: o.result.ok,
      http_status: o.result.httpStatus,
      error: o.result.error,
      provider_message_id: o.result.providerMessageId,
      duration_ms: Math.round(o.durationMs),
      status,
      next_attempt_at: iso(now.getTime() + retryDelayMinutes(o.attempts) * 60_000)!,
    };
  });
  await asQueryable(db).execute(
    sql`WITH o AS (
       SELECT * FROM jsonb_to_recordset(${JSON.stringify(data)}::jsonb) AS x(id uuid, skip text, attempt int, ok boolean, http_status int, error text,
              provider_message_id text, duration_ms int, status text, next_attempt_at timestamptz)
     ), a AS (
       INSERT INTO ${at} (${columnList(at.notificationId, at.attempt, at.ok, at.httpStatus, at.error, at.providerMessageId, at.durationMs)})
       SELECT id, attempt, ok, http_status, error, provider_message_id, duration_ms FROM o WHERE skip IS NULL
     )
     UPDATE ${nt} ${n}
        SET ${columnName(nt.status)} = CASE WHEN o.skip IS NOT NULL THEN 'skipped' ELSE o.status END,
            ${columnName(nt.attempts)} = CASE WHEN o.skip IS NOT NULL THEN greatest(${n.attempts} - 1, 0) ELSE ${n.attempts} END,
            ${columnName(nt.lastError)} = coalesce(o.skip, o.error),
            ${columnName(nt.nextAttemptAt)} = CASE WHEN o.status = 'pending' THEN o.next_attempt_at ELSE ${n.nextAttemptAt} END,
            ${columnName(nt.providerMessageId)} = coalesce(o.provider_message_id, ${n.providerMessageId}),
            ${columnName(nt.sentAt)} = CASE WHEN o.ok THEN ${now.toISOString()}::timestamptz ELSE ${n.sentAt} END,
            ${columnName(nt.updatedAt)} = now()
       FROM o
      WHERE ${n.id} = o.id AND ${n.status} IN ('sending', 'unknown')`,
  );
  return statuses;
}
