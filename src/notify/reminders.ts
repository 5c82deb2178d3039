/**
 * Reminders: for each offset O in the tenant's settings (default 24 h and
 * 2 h), a booking is due when its instant `starts_at − O` falls in the window
 * (cursor, now]. One statement selects the due bookings, inserts one outbox
 * row each and moves the cursor (`job_cursors.job = 'reminders'`) to `now`:
 *
 *  - no gaps: a late tick's window simply starts where the last one ended;
 *  - no duplicates: the dedupe key `reminder:<booking>:<O>:<starts_at epoch>`
 *    makes a second run over the same window (or two concurrent ticks) a no-op;
 *  - moved bookings: the key carries the start time, so the new time gets its
 *    own reminders, and delivery skips the old ones (starts_at no longer matches);
 *  - the recipient is the booking's own contact (its snapshot), never its customer record;
 *  - cancelled bookings are never selected, and a reminder enqueued before the
 *    cancellation is skipped at delivery.
 *
 * When several offsets of one booking fall in the same window (a tick hours
 * late, or the first run), only the nearest offset is sent: two reminders at
 * once help nobody.
 *
 * First run (no cursor): the window starts FIRST_RUN_LOOKBACK_MINUTES ago, so
 * turning reminders on for an existing tenant catches up on the last hour
 * without mailing every booking of the coming day.
 *
 * A booking that commits after the window holding one of its instants was
 * scanned (its transaction was still open) is caught by reminderCatchUp,
 * which runs with the booking's event, itself consumed only once committed.
 */
import { quoteSchema } from "../tenancy/naming";
import type { Queryable } from "./outbox";

export const REMINDERS_CURSOR = "reminders";
export const FIRST_RUN_LOOKBACK_MINUTES = 60;
export const DEFAULT_OFFSETS_MIN = [1440, 120];

export async function enqueueDueReminders(client: Queryable, schemaName: string, now: Date = new Date()): Promise<number> {
  const s = quoteSchema(schemaName);
  const { rows } = await client.query(
    `WITH offs AS (
       SELECT DISTINCT o AS offset_min
         FROM unnest(coalesce((SELECT reminder_offsets_min FROM ${s}.settings WHERE id = 1), $3::int[])) AS o
        WHERE o > 0
     ), win AS (
       SELECT coalesce((SELECT until FROM ${s}.job_cursors WHERE job = $2), $1::timestamptz - make_interval(mins => $4::int)) AS since,
              $1::timestamptz AS until,
              (SELECT coalesce(max(offset_min), 0) FROM offs) AS max_offset
     ), due AS (
       SELECT DISTINCT ON (b.id) b.id, b.starts_at, o.offset_min, b.contact_email AS email, coalesce(b.contact_locale, 'fr') AS locale
         FROM win
         JOIN ${s}.bookings b
           ON b.starts_at > win.until AND b.starts_at <= win.until + make_interval(mins => win.max_offset)
         JOIN offs o
           ON b.starts_at - make_interval(mins => o.offset_min) > win.since
          AND b.starts_at - make_interval(mins => o.offset_min) <= win.until
        WHERE b.status IN ('pending', 'confirmed') AND b.contact_email IS NOT NULL
        ORDER BY b.id, o.offset_min
     ), ins AS (
       INSERT INTO ${s}.notifications (channel, kind, dedupe_key, booking_id, recipient, locale, payload, next_attempt_at)
       SELECT 'email', 'reminder',
              'reminder:' || d.id || ':' || d.offset_min || ':' || floor(extract(epoch FROM d.starts_at))::bigint,
              d.id, d.email, d.locale,
              jsonb_build_object('starts_at', to_char(d.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'offset_min', d.offset_min),
              $1::timestamptz
         FROM due d
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING 1
     ), mv AS (
       INSERT INTO ${s}.job_cursors (job, until, updated_at) VALUES ($2, $1::timestamptz, now())
       ON CONFLICT (job) DO UPDATE SET until = greatest(${s}.job_cursors.until, EXCLUDED.until), updated_at = now()
     )
     SELECT (SELECT count(*) FROM ins)::int AS enqueued`,
    [now.toISOString(), REMINDERS_CURSOR, DEFAULT_OFFSETS_MIN, FIRST_RUN_LOOKBACK_MINUTES],
  );
  return (rows[0] as { enqueued: number }).enqueued;
}

/**
 * SQL (CTEs `rem_due`, `ins_rem`, to follow a `WITH`) enqueuing the reminders
 * the window scan may have missed for the bookings of event set `ev`: those
 * whose instant `starts_at − O` lies between the event's transaction start
 * (`created_at`: the booking could not be seen before it) and the reminders
 * cursor (windows already scanned). Later instants are the scan's job; the
 * dedupe key makes an instant both catch (scan and catch-up) harmless. Like
 * the scan, only the nearest such offset is sent, never for a past start.
 * `offsetsParam` is the default offsets' parameter ($n, int[]).
 */
export function reminderCatchUp(s: string, ev: string, offsetsParam: string): string {
  return `rem_due AS (
       SELECT DISTINCT ON (b.id) b.id, b.starts_at, o AS offset_min, cu.email, cu.locale
         FROM (SELECT booking_id, min(created_at) AS since FROM ${ev} GROUP BY booking_id) e
         JOIN ${s}.job_cursors jc ON jc.job = '${REMINDERS_CURSOR}'
         JOIN ${s}.bookings b ON b.id = e.booking_id
         JOIN ${s}.customers cu ON cu.id = b.customer_id
         CROSS JOIN LATERAL unnest(coalesce((SELECT reminder_offsets_min FROM ${s}.settings WHERE id = 1), ${offsetsParam}::int[])) AS o
        WHERE o > 0 AND b.status IN ('pending', 'confirmed') AND cu.email IS NOT NULL AND b.starts_at > now()
          AND b.starts_at - make_interval(mins => o) >= e.since
          AND b.starts_at - make_interval(mins => o) <= jc.until
        ORDER BY b.id, o
     ), ins_rem AS (
       INSERT INTO ${s}.notifications (channel, kind, dedupe_key, booking_id, recipient, locale, payload, next_attempt_at)
       SELECT 'email', 'reminder',
              'reminder:' || d.id || ':' || d.offset_min || ':' || floor(extract(epoch FROM d.starts_at))::bigint,
              d.id, d.email, d.locale,
              jsonb_build_object('starts_at', to_char(d.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'offset_min', d.offset_min),
              now()
         FROM rem_due d
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING 1
     )`;
}
