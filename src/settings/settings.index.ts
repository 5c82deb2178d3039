/** Tenant booking settings: a single row (id = 1) created with the tenant, recreated with defaults if missing. */
import { iso } from "../http/json";
import { sql } from "drizzle-orm";
import type { TenantTables } from "../db/schema/tenant";
import { createRouter } from "../http/router";
import type { TenantContext } from "../tenancy/types";
import { tenantScope as scope } from "../tenancy/scope";
import { type Executor } from "../db/client";
import { getSettings, updateSettings, type SettingsWrite } from "./settings.routes";

const columns = (t: TenantTables) => ({
  slot_interval_min: t.settings.slotIntervalMin,
  min_notice_min: t.settings.minNoticeMin,
  booking_window_days: t.settings.bookingWindowDays,
  cancellation_cutoff_min: t.settings.cancellationCutoffMin,
  reschedule_cutoff_min: t.settings.rescheduleCutoffMin,
  reminder_offsets_min: t.settings.reminderOffsetsMin,
  max_active_bookings_per_contact: t.settings.maxActiveBookingsPerContact,
  updated_at: t.settings.updatedAt,
});

type Row = Awaited<ReturnType<typeof writeSettings>>;

const present = (row: Row, tenant: TenantContext) => ({
  ...row,
  time_zone: tenant.timeZone,
  locale: tenant.locale,
  currency: tenant.currency,
  updated_at: iso(row.updated_at)!,
});

function values(body: SettingsWrite) {
  const v: Partial<TenantTables["settings"]["$inferInsert"]> = {};
  if (body.slot_interval_min !== undefined) v.slotIntervalMin = body.slot_interval_min;
  if (body.min_notice_min !== undefined) v.minNoticeMin = body.min_notice_min;
  if (body.booking_window_days !== undefined) v.bookingWindowDays = body.booking_window_days;
  if (body.cancellation_cutoff_min !== undefined) v.cancellationCutoffMin = body.cancellation_cutoff_min;
  if (body.reschedule_cutoff_min !== undefined) v.rescheduleCutoffMin = body.reschedule_cutoff_min;
  if (body.max_active_bookings_per_contact !== undefined) v.maxActiveBookingsPerContact = body.max_active_bookings_per_contact;
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

export const settingsRouter = createRouter()
  .openapi(getSettings, async (c) => {
    const { tenant, t, db } = await scope(c);
    let [row] = await db.select(columns(t)).from(t.settings);
    row ??= await writeSettings(db, t, {});
    return c.json(present(row, tenant), 200);
  })
  .openapi(updateSettings, async (c) => {
    const { tenant, t, db } = await scope(c);
    const row = await writeSettings(db, t, values(c.req.valid("json")));
    return c.json(present(row, tenant), 200);
  });
