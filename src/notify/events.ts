/**
 * Booking events → outbox rows. The booking code never calls us: every change
 * it makes appends a `booking_events` row, and this job turns new events into
 * emails (confirmation, cancellation, reschedule) and webhook deliveries, keyed
 * `event:<event id>:<kind>` (emails) and `event:<event id>:webhook:<endpoint>`,
 * so each event yields each message exactly once however often it is seen.
 *
 * Which events are new: those in `booking_event_queue`, which a trigger fills
 * in the transaction that writes the event. A transaction that commits late
 * (its `created_at` long past) makes its event and queue row visible together,
 * so no time cursor can have passed it: the job consumes (deletes) the queue
 * rows in the same statement that writes the outbox rows. A crash rolls both
 * back; concurrent runs split the queue (SKIP LOCKED).
 *
 * The same statement catches up reminders a booking missed because it was not
 * yet committed when the reminder window covering its instant was scanned
 * (see reminders.ts: reminderCatchUp).
 */
import { quoteSchema } from "../tenancy/naming";
import type { Queryable } from "./outbox";
import { DEFAULT_OFFSETS_MIN, reminderCatchUp } from "./reminders";

/** Events consumed per run (a run is one minute's cron tick); a backlog drains over the next ticks. */
export const EVENTS_PER_RUN = 2000;

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
  /** Reminders whose window was scanned before the booking committed. */
  reminders: number;
}

export async function deriveEventNotifications(client: Queryable, schemaName: string): Promise<DerivedCounts> {
  const s = quoteSchema(schemaName);
  const { rows } = await client.query(
    `WITH q AS (
       DELETE FROM ${s}.booking_event_queue
        WHERE event_id IN (SELECT event_id FROM ${s}.booking_event_queue ORDER BY event_id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING event_id
     ), ev AS (
       SELECT e.id, e.booking_id, e.action, e.actor_type, e.before, e.after, e.created_at
         FROM ${s}.booking_events e JOIN q ON q.event_id = e.id
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
     ), ${reminderCatchUp(s, "ev", "$2")}
     SELECT (SELECT count(*) FROM ins_mail)::int AS emails, (SELECT count(*) FROM ins_hook)::int AS webhooks,
            (SELECT count(*) FROM ins_rem)::int AS reminders`,
    [EVENTS_PER_RUN, DEFAULT_OFFSETS_MIN],
  );
  return rows[0] as DerivedCounts;
}
