/**
 * The business profile: what customers see of the business (name, logo,
 * accent colour, contacts, address, description) and its default language,
 * time zone and currency. Name, language, zone and currency are columns of
 * `public.tenants`; the rest lives in `public.tenant_config.settings` (jsonb,
 * the keys src/web/branding.ts reads). Owner-only writes (checked by the route).
 *
 * A changed time zone or currency does not move or re-price bookings already
 * made, so it needs `confirm: true` when upcoming bookings exist (Conflict
 * `confirm_required` with their count otherwise).
 */
import { sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "../db/client";
import { tenantConfig, tenantDomains, tenants } from "../db/schema/public";
import type { TenantTables } from "../db/schema/tenant";
import { columnList, columnName } from "../db/sql";
import { bestTextOn, MIN_CONTRAST } from "../domain/colour";
import { Conflict, InvalidInput, NotFound } from "../domain/errors";
import type { TenantContext } from "../domain/tenant";

/** jsonb keys of tenant_config.settings ↔ API field names. */
const CONFIG_KEYS = {
  logo_url: "logoUrl",
  accent_color: "accentColor",
  contact_phone: "contactPhone",
  whatsapp: "whatsapp",
  address: "address",
  map_url: "mapUrl",
  description: "description",
} as const;
type ConfigField = keyof typeof CONFIG_KEYS;

export interface BusinessProfile {
  name: string;
  locale: string;
  time_zone: string;
  currency: string;
  logo_url: string | null;
  accent_color: string | null;
  contact_phone: string | null;
  whatsapp: string | null;
  address: string | null;
  map_url: string | null;
  description: string | null;
  /** Bookings pending or confirmed that start after now (what a zone or currency change would leave as they are). */
  upcoming_bookings: number;
}

export type ProfileWrite = Partial<Omit<BusinessProfile, "upcoming_bookings" | "name" | "locale" | "time_zone" | "currency">> &
  Partial<Pick<BusinessProfile, "name" | "locale" | "time_zone" | "currency">> & { confirm?: boolean };

/** Refuses an accent on which neither white nor dark text is readable (WCAG AA, 4.5:1). */
export function checkAccent(colour: string): void {
  const best = bestTextOn(colour);
  if (best.ratio < MIN_CONTRAST) {
    throw new InvalidInput(
      [
        {
          field: "accent_color",
          message: `Text is unreadable on ${colour}: neither white nor dark text reaches ${MIN_CONTRAST}:1 (best ${best.ratio.toFixed(2)}:1). Choose a darker or a lighter shade.`,
        },
      ],
      "The accent colour is not readable.",
    );
  }
}

/** An IANA zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone.includes("/") || zone === "UTC";
  } catch {
    return false;
  }
}

const text = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

function present(row: {
  name: string;
  locale: string;
  time_zone: string;
  currency: string;
  settings: unknown;
  upcoming: number;
}): BusinessProfile {
  const s = (row.settings && typeof row.settings === "object" ? row.settings : {}) as Record<string, unknown>;
  const config = Object.fromEntries(Object.entries(CONFIG_KEYS).map(([field, key]) => [field, text(s[key])])) as Record<
    ConfigField,
    string | null
  >;
  return {
    name: row.name,
    locale: row.locale,
    time_zone: row.time_zone,
    currency: row.currency,
    ...config,
    upcoming_bookings: Number(row.upcoming),
  };
}

const upcomingCount = (t: TenantTables) =>
  sql`(SELECT count(*)::int FROM ${t.bookings} WHERE ${t.bookings.startsAt} > now() AND ${t.bookings.status} IN ('pending', 'confirmed'))`;

/** The profile and the count of upcoming bookings, one statement. */
export async function readProfile(db: Queryable, t: TenantTables, tenant: TenantContext): Promise<BusinessProfile> {
  const [row] = await rowsOf<Parameters<typeof present>[0]>(
    db,
    sql`SELECT ${tenants.name} AS name, ${tenants.locale} AS locale, ${tenants.timeZone} AS time_zone, ${tenants.currency} AS currency,
               (SELECT ${tenantConfig.settings} FROM ${tenantConfig} WHERE ${tenantConfig.tenantId} = ${tenants.id}) AS settings,
               ${upcomingCount(t)} AS upcoming
          FROM ${tenants} WHERE ${tenants.id} = ${tenant.id}::uuid`,
  );
  if (!row) throw new NotFound("This business no longer exists.");
  return present(row);
}

/**
 * Applies the given fields (null clears an optional one) in one statement and
 * returns the new profile with the tenant's hosts (their cached tenant context
 * must be dropped by the caller).
 */
export async function updateProfile(
  db: Queryable,
  t: TenantTables,
  tenant: TenantContext,
  body: ProfileWrite,
): Promise<{ profile: BusinessProfile; hosts: string[] }> {
  if (body.accent_color) checkAccent(body.accent_color);
  if (body.time_zone !== undefined && !isTimeZone(body.time_zone)) {
    throw new InvalidInput([{ field: "time_zone", message: "Unknown time zone: use an IANA name such as Africa/Casablanca." }]);
  }
  const current = await readProfile(db, t, tenant);
  const zoneChanges = body.time_zone !== undefined && body.time_zone !== current.time_zone;
  const currencyChanges = body.currency !== undefined && body.currency !== current.currency;
  if ((zoneChanges || currencyChanges) && current.upcoming_bookings > 0 && body.confirm !== true) {
    const what = [zoneChanges ? "time zone" : null, currencyChanges ? "currency" : null].filter(Boolean).join(" and ");
    throw new Conflict(
      `${current.upcoming_bookings} upcoming booking(s) keep their times and prices when the ${what} changes; send confirm: true to change it anyway.`,
      "confirm_required",
      { upcoming_bookings: current.upcoming_bookings },
    );
  }

  const set: Record<string, string> = {};
  const clear: string[] = [];
  for (const [field, key] of Object.entries(CONFIG_KEYS) as [ConfigField, string][]) {
    const value = body[field];
    if (value === undefined) continue;
    if (value === null || value === "") clear.push(key);
    else set[key] = value;
  }
  const tn = tenants;
  const cfg = tenantConfig;
  const d = tenantDomains;
  const [row] = await rowsOf<Parameters<typeof present>[0] & { hosts: string[] }>(
    db,
    sql`WITH u AS (
          UPDATE ${tn} SET ${columnName(tn.name)} = coalesce(${body.name ?? null}::text, ${tn.name}),
                           ${columnName(tn.locale)} = coalesce(${body.locale ?? null}::text, ${tn.locale}),
                           ${columnName(tn.timeZone)} = coalesce(${body.time_zone ?? null}::text, ${tn.timeZone}),
                           ${columnName(tn.currency)} = coalesce(${body.currency ?? null}::text, ${tn.currency}),
                           ${columnName(tn.updatedAt)} = now()
           WHERE ${tn.id} = ${tenant.id}::uuid
           RETURNING ${tn.id} AS id, ${tn.name} AS name, ${tn.locale} AS locale, ${tn.timeZone} AS time_zone, ${tn.currency} AS currency),
        c AS (
          INSERT INTO ${cfg} (${columnList(cfg.tenantId, cfg.settings)})
          SELECT u.id, ${JSON.stringify(set)}::jsonb FROM u
          ON CONFLICT (${columnName(cfg.tenantId)}) DO UPDATE
             SET ${columnName(cfg.settings)} = (${cfg.settings} || ${JSON.stringify(set)}::jsonb) - ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(clear)}::jsonb)),
                 ${columnName(cfg.updatedAt)} = now()
          RETURNING ${cfg.settings} AS settings)
        SELECT u.name, u.locale, u.time_zone, u.currency, c.settings, ${upcomingCount(t)} AS upcoming,
               coalesce((SELECT array_agg(${d.domain}) FROM ${d} WHERE ${d.tenantId} = u.id), '{}') AS hosts
          FROM u, c`,
  );
  if (!row) throw new NotFound("This business no longer exists.");
  return { profile: present(row), hosts: row.hosts };
}
