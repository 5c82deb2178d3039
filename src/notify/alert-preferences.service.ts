/**
 * The signed-in person's business alerts (`alert_preferences`, keyed by the
 * lower-cased email the alerts go to). Owners and admins get alerts at their
 * account's email; a staff member gets those of their own bookings and the
 * daily agenda at the email of their staff record, which may be another one.
 * Both keys carry the same choices, so one person answers once.
 */
import { sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Queryable, rowsOf } from "../db/client";
import { users } from "../db/schema/public";
import type { TenantTables } from "../db/schema/tenant";
import { columnList, columnName } from "../db/sql";
import { normalisePhone, phoneCountryOf } from "../domain/contact";
import { NotFound } from "../domain/errors";
import type { TenantContext } from "../domain/tenant";

export interface AlertPreferences {
  /** Where the email alerts go (the account's email). */
  email: string;
  on_created: boolean;
  on_cancelled: boolean;
  on_rescheduled: boolean;
  daily_agenda: boolean;
  whatsapp_phone: string | null;
  /** Linked to a staff record: bookings of their own and the daily agenda reach them. */
  staff_member: boolean;
}

export interface AlertPreferencesWrite {
  on_created: boolean;
  on_cancelled: boolean;
  on_rescheduled: boolean;
  daily_agenda: boolean;
  whatsapp_phone?: string | null;
}

/** The emails this user's alerts are keyed by: the account's first, then the staff record's. */
function keysOf(t: TenantTables, userId: string) {
  const u = alias(users, "u");
  const st = alias(t.staff, "st");
  return sql`SELECT lower(${u.email}) AS email, 0 AS rank FROM ${users} ${u} WHERE ${u.id} = ${userId}::uuid
             UNION
             SELECT lower(${st.email}), 1 FROM ${t.staff} ${st} WHERE ${st.userId} = ${userId}::uuid AND ${st.email} IS NOT NULL`;
}

type Row = Omit<AlertPreferences, "staff_member"> & { staff_member: boolean | null };

const present = (row: Row | undefined): AlertPreferences => {
  if (!row) throw new NotFound("This account no longer exists.");
  return { ...row, staff_member: row.staff_member === true };
};

/** No row yet reads as every alert by email, no WhatsApp (what alerts.ts does without one). One statement. */
export async function readMyAlerts(db: Queryable, t: TenantTables, userId: string): Promise<AlertPreferences> {
  const p = alias(t.alertPreferences, "p");
  const st = alias(t.staff, "st");
  const [row] = await rowsOf<Row>(
    db,
    sql`WITH k AS (${keysOf(t, userId)})
        SELECT (SELECT email FROM k WHERE rank = 0) AS email,
               coalesce(pref.on_created, true) AS on_created, coalesce(pref.on_cancelled, true) AS on_cancelled,
               coalesce(pref.on_rescheduled, true) AS on_rescheduled, coalesce(pref.daily_agenda, true) AS daily_agenda,
               pref.whatsapp_phone,
               EXISTS (SELECT 1 FROM ${t.staff} ${st} WHERE ${st.userId} = ${userId}::uuid) AS staff_member
          FROM (SELECT 1) one
          LEFT JOIN LATERAL (
               SELECT ${p.onCreated} AS on_created, ${p.onCancelled} AS on_cancelled, ${p.onRescheduled} AS on_rescheduled,
                      ${p.dailyAgenda} AS daily_agenda, ${p.whatsappPhone} AS whatsapp_phone
                 FROM k JOIN ${t.alertPreferences} ${p} ON ${p.email} = k.email
                ORDER BY k.rank LIMIT 1) pref ON true
         WHERE EXISTS (SELECT 1 FROM k WHERE rank = 0)`,
  );
  return present(row);
}

/**
 * Replaces the choices under every key of the person, in one statement (a
 * data-modifying CTE runs whether or not it is read; the answer is what was
 * sent). The WhatsApp number is read in the business's country.
 */
export async function writeMyAlerts(
  db: Queryable,
  t: TenantTables,
  tenant: TenantContext,
  userId: string,
  body: AlertPreferencesWrite,
): Promise<AlertPreferences> {
  const raw = body.whatsapp_phone?.trim();
  const phone = raw ? normalisePhone(raw, phoneCountryOf(tenant), "whatsapp_phone") : null;
  const p = t.alertPreferences;
  const st = alias(t.staff, "st");
  const [row] = await rowsOf<{ email: string | null; staff_member: boolean }>(
    db,
    sql`WITH k AS (${keysOf(t, userId)}), w AS (
          INSERT INTO ${p} (${columnList(p.email, p.onCreated, p.onCancelled, p.onRescheduled, p.dailyAgenda, p.whatsappPhone)})
          SELECT DISTINCT email, ${body.on_created}::boolean, ${body.on_cancelled}::boolean, ${body.on_rescheduled}::boolean,
                 ${body.daily_agenda}::boolean, ${phone}::text
            FROM k
          ON CONFLICT (${columnName(p.email)}) DO UPDATE
             SET ${columnName(p.onCreated)} = EXCLUDED.${columnName(p.onCreated)},
                 ${columnName(p.onCancelled)} = EXCLUDED.${columnName(p.onCancelled)},
                 ${columnName(p.onRescheduled)} = EXCLUDED.${columnName(p.onRescheduled)},
                 ${columnName(p.dailyAgenda)} = EXCLUDED.${columnName(p.dailyAgenda)},
                 ${columnName(p.whatsappPhone)} = EXCLUDED.${columnName(p.whatsappPhone)},
                 ${columnName(p.updatedAt)} = now()
          RETURNING 1)
        SELECT (SELECT email FROM k WHERE rank = 0) AS email,
               EXISTS (SELECT 1 FROM ${t.staff} ${st} WHERE ${st.userId} = ${userId}::uuid) AS staff_member`,
  );
  if (!row?.email) throw new NotFound("This account no longer exists.");
  return {
    email: row.email,
    on_created: body.on_created,
    on_cancelled: body.on_cancelled,
    on_rescheduled: body.on_rescheduled,
    daily_agenda: body.daily_agenda,
    whatsapp_phone: phone,
    staff_member: row.staff_member === true,
  };
}
