/**
 * Booking events → outbox rows. The booking code never calls us: every change
 * it makes appends a `booking_events` row, and this job turns new events into
 * emails (confirmation, cancellation, reschedule) and webhook deliveries, keyed
 * `event:<event id>:<kind>` (emails) and `event:<event id>:webhook:<endpoint>`,
 * so each event yields each message exactly once however often we rescan.
 *
 * Which events are new: those created after the per-tenant cursor
 * (`job_cursors.job = 'booking_events'`) minus an overlap. `created_at` is the
 * writing transaction's start time, so a transaction that commits late can
 * show up with a timestamp the cursor has already passed; rescanning the last
 * OVERLAP_MINUTES catches it, and the dedupe keys make the rescan harmless.
 * First run (no cursor): the last hour, so enabling the job on an existing
 * tenant does not mail its whole history.
 *
 * Times here use the database clock (now()), never a caller's simulated time:
 * the events are stamped by that clock.
 */
import { quoteSchema } from "../tenancy/naming";
import type { Queryable } from "./outbox";

export const EVENTS_CURSOR = "booking_events";
export const OVERLAP_MINUTES = 5;
export const FIRST_RUN_LOOKBACK_MINUTES = 60;

/** Webhook event types are `booking.<action>` for every booking event. */
export const WEBHOOK_EVENT_TYPES = [
  "booking.created",
  "booking.confirmed",
  "booking.rescheduled",
  "booking.cancelled",
  "booking.completed",
  "booking.no_show",
  "booking.payment_recorded",
  "booking.customer_merged",
] as const;

export interface DerivedCounts {
  emails: number;
  webhooks: number;
}

export async function deriveEventNotifications(client: Queryable, schemaName: string): Promise<DerivedCounts> {
  const s = quoteSchema(schemaName);
  const { rows } = await client.query(
    `WITH cur AS (
       SELECT coalesce((SELECT until FROM ${s}.job_cursors WHERE job = $1), now() - make_interval(mins => $3::int))
              - make_interval(mins => $2::int) AS since
     ), ev AS (
       SELECT e.id, e.booking_id, e.action, e.actor_type, e.before, e.after, e.created_at
         FROM ${s}.booking_events e, cur
        WHERE e.created_at > cur.since
     ), mail AS (
       -- The booking's own contact, never its customer record's (a record may hold someone else's address).
       SELECT ev.id, ev.booking_id, ev.before, ev.after, b.contact_email AS email, coalesce(b.contact_locale, 'fr') AS locale,
              CASE
                WHEN ev.action = 'created' AND ev.after->>'status' = 'confirmed' THEN 'booking_confirmation'
                WHEN ev.action = 'confirmed' THEN 'booking_confirmation'
                WHEN ev.action = 'cancelled' THEN 'booking_cancellation'
                WHEN ev.action = 'rescheduled' THEN 'booking_reschedule'
              END AS kind
         FROM ev
         JOIN ${s}.bookings b ON b.id = ev.booking_id
        WHERE b.contact_email IS NOT NULL
     ), ins_mail AS (
       INSERT INTO ${s}.notifications (channel, kind, dedupe_key, booking_id, recipient, locale, payload)
       SELECT 'email', m.kind, 'event:' || m.id || ':' || m.kind, m.booking_id, m.email, m.locale,
              jsonb_build_object('event_id', m.id, 'before', m.before, 'after', m.after)
         FROM mail m
        WHERE m.kind IS NOT NULL
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING 1
     ), ins_hook AS (
       INSERT INTO ${s}.notifications (channel, kind, dedupe_key, booking_id, recipient, locale, payload)
       SELECT 'webhook', 'webhook:booking.' || ev.action, 'event:' || ev.id || ':webhook:' || w.id, ev.booking_id, w.id::text, 'en',
              jsonb_build_object(
                'id', 'evt_' || ev.id,
                'type', 'booking.' || ev.action,
                'created_at', to_char(ev.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'data', jsonb_build_object(
                  'booking_id', ev.booking_id, 'service_id', b.service_id, 'customer_id', b.customer_id,
                  'actor_type', ev.actor_type, 'before', ev.before, 'after', ev.after))
         FROM ev
         JOIN ${s}.bookings b ON b.id = ev.booking_id
         JOIN ${s}.webhook_endpoints w
           ON w.is_active AND w.created_at <= ev.created_at
          AND (cardinality(w.events) = 0 OR ('booking.' || ev.action) = ANY (w.events))
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING 1
     ), mv AS (
       INSERT INTO ${s}.job_cursors (job, until, updated_at) VALUES ($1, now(), now())
       ON CONFLICT (job) DO UPDATE SET until = greatest(${s}.job_cursors.until, EXCLUDED.until), updated_at = now()
     )
     SELECT (SELECT count(*) FROM ins_mail)::int AS emails, (SELECT count(*) FROM ins_hook)::int AS webhooks`,
    [EVENTS_CURSOR, OVERLAP_MINUTES, FIRST_RUN_LOOKBACK_MINUTES],
  );
  return rows[0] as DerivedCounts;
}
