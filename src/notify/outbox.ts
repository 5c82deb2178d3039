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
 *
 * Claiming is one UPDATE over `FOR UPDATE SKIP LOCKED` rows, so concurrent
 * consumers never take the same row; a row stuck in `sending` (its worker
 * died between sending and recording the batch) is reclaimed after
 * STUCK_AFTER_MINUTES. Delivery is therefore at-least-once; the provider's
 * idempotency key (the notification id) makes a resend after a crash harmless
 * where the provider supports it (Resend keeps keys for 24 h).
 */
import { iso } from "../http/json";
import type { Client } from "@neondatabase/serverless";
import { quoteSchema } from "../tenancy/naming";
import type { DeliveryResult } from "./provider";

export type Queryable = Pick<Client, "query">;

export type Channel = "email" | "webhook";

/** Minutes to wait after the n-th failed attempt (1-based), capped at the last value. */
export const RETRY_DELAYS_MINUTES = [1, 5, 15, 60] as const;
export const STUCK_AFTER_MINUTES = 10;

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
export async function enqueueNotifications(client: Queryable, schemaName: string, rows: NewNotification[]): Promise<number> {
  if (!rows.length) return 0;
  const s = quoteSchema(schemaName);
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
  const { rows: inserted } = await client.query(
    `INSERT INTO ${s}.notifications (channel, kind, dedupe_key, booking_id, recipient, locale, payload, next_attempt_at, max_attempts)
     SELECT channel, kind, dedupe_key, booking_id, recipient, locale, payload, next_attempt_at, max_attempts
       FROM jsonb_to_recordset($1::jsonb) AS x(channel text, kind text, dedupe_key text, booking_id uuid, recipient text,
            locale text, payload jsonb, next_attempt_at timestamptz, max_attempts int)
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING id`,
    [JSON.stringify(data)],
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
}

/**
 * Claims up to `limit` due rows of the given channels (and rows stuck in
 * `sending`), counting the attempt, and returns them joined with what they
 * need: one round trip.
 */
export async function claimDue(
  client: Queryable,
  schemaName: string,
  options: { now: Date; limit: number; channels: Channel[] },
): Promise<ClaimedNotification[]> {
  if (!options.channels.length) return [];
  const s = quoteSchema(schemaName);
  const { rows } = await client.query(
    `WITH claimed AS (
       UPDATE ${s}.notifications n
          SET status = 'sending', attempts = n.attempts + 1, updated_at = $1::timestamptz
        WHERE n.id IN (SELECT id FROM ${s}.notifications
                        WHERE status = 'pending' AND next_attempt_at <= $1::timestamptz AND channel = ANY($3::text[])
                        ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
           OR n.id IN (SELECT id FROM ${s}.notifications
                        WHERE status = 'sending' AND updated_at < $1::timestamptz - make_interval(mins => $4::int)
                          AND channel = ANY($3::text[])
                        LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING n.id, n.channel, n.kind, n.recipient, n.locale, n.payload, n.attempts, n.max_attempts, n.booking_id,
                 n.next_attempt_at, n.created_at
     )
     SELECT c.id, c.channel, c.kind, c.recipient, c.locale, c.payload, c.attempts, c.max_attempts, c.booking_id,
            b.status AS booking_status, b.starts_at, b.ends_at, b.manage_token_version, b.cancel_reason,
            sv.name AS service_name, st.display_name AS staff_name, b.contact_name AS customer_name,
            (SELECT count(*) FROM ${s}.booking_events e WHERE e.booking_id = c.booking_id AND e.action = 'rescheduled')::int AS sequence,
            w.url AS webhook_url, w.secret AS webhook_secret, w.is_active AS webhook_active
       FROM claimed c
       LEFT JOIN ${s}.bookings b ON b.id = c.booking_id
       LEFT JOIN ${s}.services sv ON sv.id = b.service_id
       LEFT JOIN ${s}.staff st ON st.id = b.staff_id
       LEFT JOIN ${s}.webhook_endpoints w ON c.channel = 'webhook' AND w.id::text = c.recipient
      ORDER BY c.next_attempt_at, (c.payload->>'event_id')::bigint NULLS LAST, c.created_at, c.id`,
    [options.now.toISOString(), options.limit, options.channels, STUCK_AFTER_MINUTES],
  );
  return rows as ClaimedNotification[];
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
 * skipped, giving back the attempt the claim counted).
 */
export async function recordOutcomes(client: Queryable, schemaName: string, outcomes: Outcome[], now: Date): Promise<FinalStatus[]> {
  if (!outcomes.length) return [];
  const s = quoteSchema(schemaName);
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
  await client.query(
    `WITH o AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, skip text, attempt int, ok boolean, http_status int, error text,
              provider_message_id text, duration_ms int, status text, next_attempt_at timestamptz)
     ), a AS (
       INSERT INTO ${s}.notification_attempts (notification_id, attempt, ok, http_status, error, provider_message_id, duration_ms)
       SELECT id, attempt, ok, http_status, error, provider_message_id, duration_ms FROM o WHERE skip IS NULL
     )
     UPDATE ${s}.notifications n
        SET status = CASE WHEN o.skip IS NOT NULL THEN 'skipped' ELSE o.status END,
            attempts = CASE WHEN o.skip IS NOT NULL THEN greatest(n.attempts - 1, 0) ELSE n.attempts END,
            last_error = coalesce(o.skip, o.error),
            next_attempt_at = CASE WHEN o.status = 'pending' THEN o.next_attempt_at ELSE n.next_attempt_at END,
            provider_message_id = coalesce(o.provider_message_id, n.provider_message_id),
            sent_at = CASE WHEN o.ok THEN $2::timestamptz ELSE n.sent_at END,
            updated_at = now()
       FROM o
      WHERE n.id = o.id AND n.status = 'sending'`,
    [JSON.stringify(data), now.toISOString()],
  );
  return statuses;
}
