/**
 * Tables that live in every tenant's own schema. One factory builds them for a
 * schema name so every query is schema-qualified (never `search_path`, which
 * poolers in transaction mode and PGlite's shared backend would leak).
 */
import { sql } from "drizzle-orm";
import { check, integer, pgSchema, timestamp } from "drizzle-orm/pg-core";
import { assertSchemaName } from "../../tenancy/naming";

/** drizzle-kit generates tenant migrations against this schema; the migrator renames it. */
export const TEMPLATE_SCHEMA = "tenant_template";

function buildTenantTables(schemaName: string) {
  const schema = pgSchema(schemaName);

  /** Single-row booking policy of the tenant (time zone, locale, currency live on `public.tenants`). */
  const settings = schema.table(
    "settings",
    {
      id: integer("id").primaryKey().default(1),
      slotIntervalMin: integer("slot_interval_min").notNull().default(15),
      minNoticeMin: integer("min_notice_min").notNull().default(60),
      bookingWindowDays: integer("booking_window_days").notNull().default(60),
      cancellationCutoffMin: integer("cancellation_cutoff_min").notNull().default(120),
      rescheduleCutoffMin: integer("reschedule_cutoff_min").notNull().default(120),
      reminderOffsetsMin: integer("reminder_offsets_min")
        .array()
        .notNull()
        .default(sql`'{1440,120}'::integer[]`),
      updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    },
    (t) => [
      check("settings_singleton", sql`${t.id} = 1`),
      check("settings_slot_interval_positive", sql`${t.slotIntervalMin} between 5 and 240`),
      check("settings_min_notice_nonneg", sql`${t.minNoticeMin} >= 0`),
      check("settings_window_positive", sql`${t.bookingWindowDays} between 1 and 730`),
    ],
  );

  return { schema, settings };
}

export type TenantTables = ReturnType<typeof buildTenantTables>;

const cache = new Map<string, TenantTables>();

/** Tenant tables for one validated schema name, built once per isolate. */
export function tenantTables(schemaName: string): TenantTables {
  let tables = cache.get(schemaName);
  if (!tables) {
    tables = buildTenantTables(assertSchemaName(schemaName));
    cache.set(schemaName, tables);
  }
  return tables;
}
