/**
 * Business alerts (issue 14): a new, cancelled or rescheduled booking is
 * announced to the tenant's owners and admins and to the booking's staff
 * member, by email and (when they gave one) WhatsApp, each person filtering by
 * kind in `alert_preferences` (keyed by their email; no row = all alerts, email
 * only). Keys `event:<event>:alert:<email>[:whatsapp]`: once per event and person.
 *
 * The daily agenda: once the tenant's local clock passes `settings.agenda_time`,
 * each active staff member with an email gets the day's appointments, keyed
 * `agenda:<staff>:<local date>` — once per local day whatever the tick rate,
 * and a day of 23 or 25 hours (DST change) is still one day.
 */
import { type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { rowsOf } from "../db/client";
import { tenantMemberships, tenants, users } from "../db/schema/public";
import { type TenantTables, tenantTables } from "../db/schema/tenant";
import { columnList, columnName } from "../db/sql";
import { asQueryable, type NotifyDb } from "./outbox";

export const ALERT_KINDS = ["alert_created", "alert_cancelled", "alert_rescheduled"] as const;

/**
 * A staff member's language: their login's when the record is linked to one,
 * else the business's default (staff records carry no language of their own).
 */
function staffLocale(staffUserId: unknown, schemaName: string): SQL {
  const u = alias(users, "su");
  const tn = alias(tenants, "stn");
  return sql`coalesce((SELECT ${u.locale} FROM ${users} ${u} WHERE ${u.id} = ${staffUserId}),
                      (SELECT ${tn.locale} FROM ${tenants} ${tn} WHERE ${tn.schemaName} = ${schemaName}), 'fr')`;
}

/** CTE `ins_alert` (to follow a `WITH`) writing the alerts of event CTE `ev` (id, booking_id, action, before, after). */
export function alertCtes(t: TenantTables, schemaName: string, ev: string): SQL {
  const b = alias(t.bookings, "b");
  const st = alias(t.staff, "st");
  const p = alias(t.alertPreferences, "p");
  const m = alias(tenantMemberships, "m");
  const u = alias(users, "u");
  const tn = alias(tenants, "tn");
  const n = t.notifications;
  return sql`alert_to AS (
       SELECT DISTINCT ON (e.id, r.email) e.id, e.booking_id, e.before, e.after, r.email, r.locale,
              'alert_' || e.action AS kind, ${p.whatsappPhone} AS phone
         FROM ${sql.identifier(ev)} e
         JOIN ${t.bookings} ${b} ON ${b.id} = e.booking_id
        CROSS JOIN LATERAL (
              SELECT lower(${u.email}) AS email, ${u.locale} AS locale
                FROM ${tenantMemberships} ${m}
                JOIN ${users} ${u} ON ${u.id} = ${m.userId}
                JOIN ${tenants} ${tn} ON ${tn.id} = ${m.tenantId}
               WHERE ${tn.schemaName} = ${schemaName} AND ${m.role} IN ('owner', 'admin')
              UNION ALL
              SELECT lower(${st.email}), ${staffLocale(st.userId, schemaName)} FROM ${t.staff} ${st} WHERE ${st.id} = ${b.staffId} AND ${st.email} IS NOT NULL
        ) r
         LEFT JOIN ${t.alertPreferences} ${p} ON ${p.email} = r.email
        WHERE (e.action = 'created' AND coalesce(${p.onCreated}, true))
           OR (e.action = 'cancelled' AND coalesce(${p.onCancelled}, true))
           OR (e.action = 'rescheduled' AND coalesce(${p.onRescheduled}, true))
        ORDER BY e.id, r.email
     ), ins_alert AS (
       INSERT INTO ${n} (${columnList(n.channel, n.kind, n.dedupeKey, n.bookingId, n.recipient, n.locale, n.payload)})
       SELECT x.channel, a.kind, 'event:' || a.id || ':alert:' || a.email || x.suffix, a.booking_id, x.recipient, a.locale,
              jsonb_build_object('event_id', a.id, 'before', a.before, 'after', a.after)
         FROM alert_to a
        CROSS JOIN LATERAL (
              SELECT 'email' AS channel, a.email AS recipient, '' AS suffix
              UNION ALL
              SELECT 'whatsapp', a.phone, ':whatsapp' WHERE a.phone IS NOT NULL
        ) x
       ON CONFLICT (${columnName(n.dedupeKey)}) DO NOTHING
       RETURNING 1
     )`;
}

/** The one statement enqueuing due daily agendas (its row: `enqueued`), for the notify job's batch. */
export function dueAgendasStatement(schemaName: string, timeZone: string, now: Date): SQL {
  const t = tenantTables(schemaName);
  const s = alias(t.settings, "s");
  const st = alias(t.staff, "st");
  const p = alias(t.alertPreferences, "p");
  const b = alias(t.bookings, "b");
  const sv = alias(t.services, "sv");
  const n = t.notifications;
  const local = sql`(${now.toISOString()}::timestamptz AT TIME ZONE ${timeZone}::text)`;
  return sql`WITH ready AS (
       SELECT ${local}::date AS day
        WHERE ${local}::time >= coalesce((SELECT ${s.agendaTime} FROM ${t.settings} ${s} WHERE ${s.id} = 1), '07:30'::time)
     ), who AS (
       SELECT ${st.id} AS staff_id, lower(${st.email}) AS email, ${p.whatsappPhone} AS phone, ready.day,
              ${staffLocale(st.userId, schemaName)} AS locale
         FROM ready
         JOIN ${t.staff} ${st} ON ${st.isActive} AND ${st.email} IS NOT NULL
         LEFT JOIN ${t.alertPreferences} ${p} ON ${p.email} = lower(${st.email})
        WHERE coalesce(${p.dailyAgenda}, true)
     ), agenda AS (
       SELECT w.*, coalesce((
              SELECT jsonb_agg(jsonb_build_object(
                       'time', to_char(${b.startsAt} AT TIME ZONE ${timeZone}::text, 'HH24:MI'),
                       'service', ${sv.name}, 'customer', coalesce(${b.contactName}, '')) ORDER BY ${b.startsAt})
                FROM ${t.bookings} ${b} JOIN ${t.services} ${sv} ON ${sv.id} = ${b.serviceId}
               WHERE ${b.staffId} = w.staff_id AND ${b.status} IN ('pending', 'confirmed')
                 AND (${b.startsAt} AT TIME ZONE ${timeZone}::text)::date = w.day), '[]'::jsonb) AS items
         FROM who w
     ), ins AS (
       INSERT INTO ${n} (${columnList(n.channel, n.kind, n.dedupeKey, n.recipient, n.locale, n.payload)})
       SELECT x.channel, 'agenda', 'agenda:' || a.staff_id || ':' || a.day || x.suffix, x.recipient, a.locale,
              jsonb_build_object('day', a.day::text, 'items', a.items)
         FROM agenda a
        CROSS JOIN LATERAL (
              SELECT 'email' AS channel, a.email AS recipient, '' AS suffix
              UNION ALL
              SELECT 'whatsapp', a.phone, ':whatsapp' WHERE a.phone IS NOT NULL
        ) x
       ON CONFLICT (${columnName(n.dedupeKey)}) DO NOTHING
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM ins)::int AS enqueued`;
}

export async function enqueueDueAgendas(db: NotifyDb, schemaName: string, timeZone: string, now: Date = new Date()): Promise<number> {
  const [row] = await rowsOf<{ enqueued: number }>(asQueryable(db), dueAgendasStatement(schemaName, timeZone, now));
  return row!.enqueued;
}

const ALERT_WORDS: Record<string, Record<string, string>> = {
  fr: {
    alert_created: "Nouveau rendez-vous",
    alert_cancelled: "Rendez-vous annulé",
    alert_rescheduled: "Rendez-vous déplacé",
    agenda: "Votre agenda du {day}",
    empty: "Aucun rendez-vous.",
  },
  en: {
    alert_created: "New booking",
    alert_cancelled: "Booking cancelled",
    alert_rescheduled: "Booking moved",
    agenda: "Your agenda for {day}",
    empty: "No appointments.",
  },
  ar: {
    alert_created: "موعد جديد",
    alert_cancelled: "تم إلغاء موعد",
    alert_rescheduled: "تم تغيير موعد",
    agenda: "جدول مواعيدك ليوم {day}",
    empty: "لا توجد مواعيد.",
  },
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

/** Subject and text of an alert (kind alert_*) or agenda message. */
export function renderAlert(input: {
  kind: string;
  locale: string;
  tenantName: string;
  timeZone: string;
  customerName: string;
  serviceName: string;
  staffName: string;
  startsAt: Date | null;
  payload: Record<string, unknown>;
}): { subject: string; text: string; html: string; params: string[] } {
  const words = ALERT_WORDS[input.locale] ?? ALERT_WORDS.fr!;
  if (input.kind === "agenda") {
    const day = String(input.payload.day ?? "");
    const items = (input.payload.items ?? []) as { time: string; service: string; customer: string }[];
    const lines = items.length ? items.map((i) => `${i.time}  ${i.service} – ${i.customer}`) : [words.empty!];
    const subject = `${input.tenantName} – ${words.agenda!.replace("{day}", day)}`;
    return {
      subject,
      text: [subject, "", ...lines].join("\n"),
      html: `<h1>${escapeHtml(subject)}</h1><ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>`,
      params: [input.tenantName, day, lines.join(" · ")],
    };
  }
  const when = input.startsAt
    ? new Intl.DateTimeFormat(input.locale === "ar" ? "ar-MA" : input.locale === "en" ? "en-GB" : "fr-FR", {
        timeZone: input.timeZone,
        dateStyle: "full",
        timeStyle: "short",
      }).format(input.startsAt)
    : "";
  const title = words[input.kind] ?? input.kind;
  const subject = `${title}: ${input.customerName} – ${input.serviceName}, ${when}`;
  const text = [subject, `${input.staffName}`].join("\n");
  return {
    subject,
    text,
    html: `<p>${escapeHtml(subject)}</p><p>${escapeHtml(input.staffName)}</p>`,
    params: [title, input.customerName, input.serviceName, when, input.staffName],
  };
}
