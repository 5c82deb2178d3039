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
import { type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { rowsOf } from "../db/client";
import { tenantTables } from "../db/schema/tenant";
import { columnList, columnName } from "../db/sql";
import { alertCtes } from "./alerts";
import { asQueryable, type NotifyDb } from "./outbox";
import { phoneChannelOf, reminderCatchUp } from "./reminders";

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
  /** Emails (WhatsApp/SMS rows are written by the same statement, not counted here). */
  emails: number;
  webhooks: number;
  /** Reminders whose window was scanned before the booking committed. */
  reminders: number;
}

export async function deriveEventNotifications(db: NotifyDb, schemaName: string): Promise<DerivedCounts> {
  const [row] = await rowsOf<DerivedCounts>(asQueryable(db), deriveEventsStatement(schemaName));
  return row!;
}

/** The one statement of deriveEventNotifications (its row: the counts), for a batch. */
export function deriveEventsStatement(schemaName: string): SQL {
  const t = tenantTables(schemaName);
  const qt = t.bookingEventQueue;
  const e = alias(t.bookingEvents, "e");
  const b = alias(t.bookings, "b");
  const w = alias(t.webhookEndpoints, "w");
  const oo = alias(t.messageOptOuts, "oo");
  const n = t.notifications;
  return sql`WITH q AS (
       DELETE FROM ${qt}
        WHERE ${qt.eventId} IN (SELECT ${qt.eventId} FROM ${qt} ORDER BY ${qt.eventId} LIMIT ${EVENTS_PER_RUN} FOR UPDATE SKIP LOCKED)
        RETURNING ${qt.eventId} AS event_id
     ), ev AS (
       SELECT ${e.id} AS id, ${e.bookingId} AS booking_id, ${e.action} AS action, ${e.actorType} AS actor_type,
              ${e.before} AS before, ${e.after} AS after, ${e.createdAt} AS created_at
         FROM ${t.bookingEvents} ${e} JOIN q ON q.event_id = ${e.id}
     ), mail AS (
       -- The booking's own contact, never its customer record's (a record may hold someone else's address).
       SELECT ev.id, ev.booking_id, ev.before, ev.after, ${b.contactEmail} AS email, ${b.contactPhone} AS phone,
              coalesce(${b.contactLocale}, 'fr') AS locale,
              CASE
                WHEN ev.action = 'created' AND ev.after->>'status' = 'confirmed' THEN 'booking_confirmation'
                WHEN ev.action = 'confirmed' THEN 'booking_confirmation'
                WHEN ev.action = 'cancelled' THEN 'booking_cancellation'
                WHEN ev.action = 'rescheduled' THEN 'booking_reschedule'
              END AS kind
         FROM ev
         JOIN ${t.bookings} ${b} ON ${b.id} = ev.booking_id
        WHERE ${b.contactEmail} IS NOT NULL OR ${b.contactPhone} IS NOT NULL
     ), ins_mail AS (
       INSERT INTO ${n} (${columnList(n.channel, n.kind, n.dedupeKey, n.bookingId, n.recipient, n.locale, n.payload)})
       SELECT 'email', m.kind, 'event:' || m.id || ':' || m.kind, m.booking_id, m.email, m.locale,
              jsonb_build_object('event_id', m.id, 'before', m.before, 'after', m.after)
         FROM mail m
        WHERE m.kind IS NOT NULL AND m.email IS NOT NULL
       ON CONFLICT (${columnName(n.dedupeKey)}) DO NOTHING
       RETURNING 1
     ), ins_phone AS (
       -- A phone gets the same messages on the business's phone channel, unless it replied STOP.
       INSERT INTO ${n} (${columnList(n.channel, n.kind, n.dedupeKey, n.bookingId, n.recipient, n.locale, n.payload)})
       SELECT ${phoneChannelOf(t)}, m.kind, 'event:' || m.id || ':' || m.kind || ':phone', m.booking_id, m.phone, m.locale,
              jsonb_build_object('event_id', m.id, 'before', m.before, 'after', m.after)
         FROM mail m
        WHERE m.kind IS NOT NULL AND m.phone IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM ${t.messageOptOuts} ${oo} WHERE ${oo.phone} = m.phone)
       ON CONFLICT (${columnName(n.dedupeKey)}) DO NOTHING
       RETURNING 1
     ), ins_hook AS (
       INSERT INTO ${n} (${columnList(n.channel, n.kind, n.dedupeKey, n.bookingId, n.recipient, n.locale, n.payload)})
       SELECT 'webhook', 'webhook:booking.' || ev.action, 'event:' || ev.id || ':webhook:' || ${w.id}, ev.booking_id, ${w.id}::text, 'en',
              jsonb_build_object(
                'id', 'evt_' || ev.id,
                'type', 'booking.' || ev.action,
                'created_at', to_char(ev.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'data', jsonb_build_object(
                  'booking_id', ev.booking_id, 'service_id', ${b.serviceId}, 'customer_id', ${b.customerId},
                  'actor_type', ev.actor_type, 'before', ev.before, 'after', ev.after))
         FROM ev
         JOIN ${t.bookings} ${b} ON ${b.id} = ev.booking_id
         JOIN ${t.webhookEndpoints} ${w}
           ON ${w.isActive} AND ${w.createdAt} <= ev.created_at
          AND (cardinality(${w.events}) = 0 OR ('booking.' || ev.action) = ANY (${w.events}))
       ON CONFLICT (${columnName(n.dedupeKey)}) DO NOTHING
       RETURNING 1
     ), ${alertCtes(t, schemaName, "ev")}, ${reminderCatchUp(t, "ev")}
     SELECT (SELECT count(*) FROM ins_mail)::int AS emails, (SELECT count(*) FROM ins_hook)::int AS webhooks,
            (SELECT count(*) FROM ins_rem)::int AS reminders`;
}
