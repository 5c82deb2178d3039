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
import { type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { rowsOf } from "../db/client";
import { type TenantTables, tenantTables } from "../db/schema/tenant";
import { columnList, columnName } from "../db/sql";
import { asQueryable, type NotifyDb } from "./outbox";

export const REMINDERS_CURSOR = "reminders";
export const FIRST_RUN_LOOKBACK_MINUTES = 60;
export const DEFAULT_OFFSETS_MIN = [1440, 120];

/** The tenant's reminder offsets (minutes), the defaults when the settings row is missing. */
function offsetsOf(t: TenantTables): SQL {
  const st = t.settings;
  return sql`coalesce((SELECT ${st.reminderOffsetsMin} FROM ${st} WHERE ${st.id} = 1), ${sql.param(DEFAULT_OFFSETS_MIN)}::int[])`;
}

/** The INSERT of the reminder rows of CTE `due` (id, starts_at, offset_min, email, locale), due at `dueAt`. */
function insertReminders(t: TenantTables, due: string, dueAt: SQL): SQL {
  const n = t.notifications;
  return sql`INSERT INTO ${n} (${columnList(n.channel, n.kind, n.dedupeKey, n.bookingId, n.recipient, n.locale, n.payload, n.nextAttemptAt)})
       SELECT 'email', 'reminder',
              'reminder:' || d.id || ':' || d.offset_min || ':' || floor(extract(epoch FROM d.starts_at))::bigint,
              d.id, d.email, d.locale,
              jsonb_build_object('starts_at', to_char(d.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'offset_min', d.offset_min),
              ${dueAt}
         FROM ${sql.identifier(due)} d
       ON CONFLICT (${columnName(n.dedupeKey)}) DO NOTHING
       RETURNING 1`;
}

export async function enqueueDueReminders(db: NotifyDb, schemaName: string, now: Date = new Date()): Promise<number> {
  const [row] = await rowsOf<{ enqueued: number }>(asQueryable(db), dueRemindersStatement(schemaName, now));
  return row!.enqueued;
}

/** The one statement of enqueueDueReminders (its row: `enqueued`), for a batch. */
export function dueRemindersStatement(schemaName: string, now: Date): SQL {
  const t = tenantTables(schemaName);
  const b = alias(t.bookings, "b");
  const jc = t.jobCursors;
  const at = sql`${now.toISOString()}::timestamptz`;
  return sql`WITH offs AS (
       SELECT DISTINCT o AS offset_min
         FROM unnest(${offsetsOf(t)}) AS o
        WHERE o > 0
     ), win AS (
       SELECT coalesce((SELECT ${jc.until} FROM ${jc} WHERE ${jc.job} = ${REMINDERS_CURSOR}), ${at} - make_interval(mins => ${FIRST_RUN_LOOKBACK_MINUTES}::int)) AS since,
              ${at} AS until,
              (SELECT coalesce(max(offset_min), 0) FROM offs) AS max_offset
     ), due AS (
       SELECT DISTINCT ON (${b.id}) ${b.id} AS id, ${b.startsAt} AS starts_at, o.offset_min, ${b.contactEmail} AS email,
              coalesce(${b.contactLocale}, 'fr') AS locale
         FROM win
         JOIN ${t.bookings} ${b}
           ON ${b.startsAt} > win.until AND ${b.startsAt} <= win.until + make_interval(mins => win.max_offset)
         JOIN offs o
           ON ${b.startsAt} - make_interval(mins => o.offset_min) > win.since
          AND ${b.startsAt} - make_interval(mins => o.offset_min) <= win.until
        WHERE ${b.status} IN ('pending', 'confirmed') AND ${b.contactEmail} IS NOT NULL
        ORDER BY ${b.id}, o.offset_min
     ), ins AS (
       ${insertReminders(t, "due", at)}
     ), mv AS (
       INSERT INTO ${jc} (${columnList(jc.job, jc.until, jc.updatedAt)}) VALUES (${REMINDERS_CURSOR}, ${at}, now())
       ON CONFLICT (${columnName(jc.job)}) DO UPDATE SET ${columnName(jc.until)} = greatest(${jc.until}, EXCLUDED.until), ${columnName(jc.updatedAt)} = now()
     )
     SELECT (SELECT count(*) FROM ins)::int AS enqueued`;
}

/**
 * CTEs `rem_due`, `ins_rem` (to follow a `WITH`) enqueuing the reminders
 * the window scan may have missed for the bookings of event CTE `ev`
 * (booking_id, created_at): those whose instant `starts_at − O` lies between
 * the event's transaction start (`created_at`: the booking could not be seen
 * before it) and the reminders cursor (windows already scanned). Later
 * instants are the scan's job; the dedupe key makes an instant both catch
 * (scan and catch-up) harmless. Like the scan, only the nearest such offset
 * is sent, never for a past start.
 */
export function reminderCatchUp(t: TenantTables, ev: string): SQL {
  const b = alias(t.bookings, "b");
  const jc = alias(t.jobCursors, "jc");
  // Like the scan: the booking's own contact snapshot (anonymous bookings have no customer record).
  return sql`rem_due AS (
       SELECT DISTINCT ON (${b.id}) ${b.id} AS id, ${b.startsAt} AS starts_at, o AS offset_min, ${b.contactEmail} AS email,
              coalesce(${b.contactLocale}, 'fr') AS locale
         FROM (SELECT booking_id, min(created_at) AS since FROM ${sql.identifier(ev)} GROUP BY booking_id) e
         JOIN ${t.jobCursors} ${jc} ON ${jc.job} = ${REMINDERS_CURSOR}
         JOIN ${t.bookings} ${b} ON ${b.id} = e.booking_id
         CROSS JOIN LATERAL unnest(${offsetsOf(t)}) AS o
        WHERE o > 0 AND ${b.status} IN ('pending', 'confirmed') AND ${b.contactEmail} IS NOT NULL AND ${b.startsAt} > now()
          AND ${b.startsAt} - make_interval(mins => o) >= e.since
          AND ${b.startsAt} - make_interval(mins => o) <= ${jc.until}
        ORDER BY ${b.id}, o
     ), ins_rem AS (
       ${insertReminders(t, "rem_due", sql`now()`)}
     )`;
}
