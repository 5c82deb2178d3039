/** Tenant booking settings: a single row (id = 1) created with the tenant, recreated with defaults if missing. */
import { sql } from "drizzle-orm";
import type { Executor } from "../db/client";
import type { TenantTables } from "../db/schema/tenant";
import { normaliseEmbedOrigins } from "./embed-origins";
import type { SettingsWrite } from "./settings.routes";

/** What the caller's deployment allows beyond the written rules (plain-http local embedding outside production). */
export interface SettingsOptions {
  allowLocalHttpOrigins: boolean;
}

const columns = (t: TenantTables) => ({
  slot_interval_min: t.settings.slotIntervalMin,
  min_notice_min: t.settings.minNoticeMin,
  booking_window_days: t.settings.bookingWindowDays,
  cancellation_cutoff_min: t.settings.cancellationCutoffMin,
  reschedule_cutoff_min: t.settings.rescheduleCutoffMin,
  reminder_offsets_min: t.settings.reminderOffsetsMin,
  max_active_bookings_per_contact: t.settings.maxActiveBookingsPerContact,
  online_bookings_need_approval: t.settings.onlineBookingsNeedApproval,
  phone_channel: t.settings.phoneChannel,
  agenda_time: t.settings.agendaTime,
  embed_origins: t.settings.embedOrigins,
  updated_at: t.settings.updatedAt,
});

export type SettingsRow = Awaited<ReturnType<typeof writeSettings>>;

/** `agenda_time` as HH:MM (the column is a Postgres time, read as 07:30:00). */
const shaped = (row: SettingsRow): SettingsRow => ({ ...row, agenda_time: row.agenda_time.slice(0, 5) });

function values(body: SettingsWrite, options: SettingsOptions) {
  const v: Partial<TenantTables["settings"]["$inferInsert"]> = {};
  if (body.slot_interval_min !== undefined) v.slotIntervalMin = body.slot_interval_min;
  if (body.min_notice_min !== undefined) v.minNoticeMin = body.min_notice_min;
  if (body.booking_window_days !== undefined) v.bookingWindowDays = body.booking_window_days;
  if (body.cancellation_cutoff_min !== undefined) v.cancellationCutoffMin = body.cancellation_cutoff_min;
  if (body.reschedule_cutoff_min !== undefined) v.rescheduleCutoffMin = body.reschedule_cutoff_min;
  if (body.max_active_bookings_per_contact !== undefined) v.maxActiveBookingsPerContact = body.max_active_bookings_per_contact;
  if (body.online_bookings_need_approval !== undefined) v.onlineBookingsNeedApproval = body.online_bookings_need_approval;
  if (body.phone_channel !== undefined) v.phoneChannel = body.phone_channel;
  if (body.agenda_time !== undefined) v.agendaTime = body.agenda_time;
  if (body.embed_origins !== undefined) v.embedOrigins = normaliseEmbedOrigins(body.embed_origins, options.allowLocalHttpOrigins);
  // Largest first: the order reminders go out in.
  if (body.reminder_offsets_min !== undefined) v.reminderOffsetsMin = [...body.reminder_offsets_min].sort((a, b) => b - a);
  return v;
}

/** Upsert of the singleton: one statement whether or not the row exists. */
async function writeSettings(db: Executor, t: TenantTables, v: ReturnType<typeof values>) {
  const [row] = await db
    .insert(t.settings)
    .values({ id: 1, ...v })
    .onConflictDoUpdate({ target: t.settings.id, set: { ...v, updatedAt: sql`now()` } })
    .returning(columns(t));
  return row;
}

/** The settings row, recreated with the defaults if it went missing. */
export async function readSettings(db: Executor, t: TenantTables): Promise<SettingsRow> {
  const [row] = await db.select(columns(t)).from(t.settings);
  return shaped(row ?? (await writeSettings(db, t, {})));
}

/** Changes the given fields (unset ones stay); a bad embedding origin throws InvalidInput before anything is written. */
export async function updateSettings(db: Executor, t: TenantTables, body: SettingsWrite, options: SettingsOptions): Promise<SettingsRow> {
  return shaped(await writeSettings(db, t, values(body, options)));
}
