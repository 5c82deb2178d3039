/**
 * Creating a tenant: tenant row, primary domain, config, lifecycle entry, its
 * schema and every tenant migration, in one transaction. Used by the CLI and
 * the platform admin API, so both are all or nothing. It needs a WebSocket
 * connection (`Client`): DDL runs in an interactive transaction. The rows are
 * one typed statement (which also checks that no schema of that name exists);
 * the schema is the migrator's (applyTenantMigrations).
 */
import { DEFAULT_LOCALE, LOCALES } from "../domain/locales";
import type { Client } from "@neondatabase/serverless";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { isTimeZone } from "../availability";
import { applyTenantMigrations } from "../db/migrations/migrator";
import { schemaNameForSlug, validateDomain, validateSlug, type InvalidTenantName } from "./naming";
import type { TenantContext } from "../domain/tenant";
import { ApiError } from "../http/problem";
import { uniqueViolation } from "../db/errors";
import { rowsOf, toDrizzle } from "../db/client";
import { tenantConfig, tenantDomains, tenantLifecycle, tenants } from "../db/schema/public";
import { tenantTables } from "../db/schema/tenant";
import { columnList } from "../db/sql";
import { DEFAULT_COUNTRY, isPhoneCountry } from "../domain/country";

const refineWith = (check: (v: string) => unknown) => (value: string) => {
  try {
    check(value);
    return true;
  } catch {
    return false;
  }
};

export const NewTenantInput = z.object({
  slug: z.string().refine(refineWith(validateSlug), {
    message: "3–32 lower-case letters, digits or single hyphens, starting with a letter; not reserved",
  }),
  name: z.string().trim().min(1).max(120),
  domain: z.string().trim().toLowerCase().refine(refineWith(validateDomain), { message: "not a valid domain name" }),
  contactEmail: z.email().transform((e) => e.trim().toLowerCase()),
  timeZone: z.string().default("Africa/Casablanca").refine(isTimeZone, { message: "unknown IANA time zone" }),
  locale: z.enum(LOCALES).default(DEFAULT_LOCALE),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "ISO 4217 code, e.g. MAD")
    .default("MAD"),
  country: z.string().refine(isPhoneCountry, "ISO 3166-1 alpha-2 code with a phone numbering plan, e.g. MA").default(DEFAULT_COUNTRY),
});
export type NewTenant = z.input<typeof NewTenantInput>;

export async function provisionTenant(client: Client, input: NewTenant, actor: string): Promise<TenantContext> {
  const parsed = NewTenantInput.safeParse(input);
  if (!parsed.success) {
    throw new ApiError("validation_failed", "The tenant could not be created: check the fields.", {
      errors: parsed.error.issues.map((i) => ({ field: i.path.join("."), message: i.message })),
    });
  }
  const p = parsed.data;
  let schemaName: string;
  try {
    schemaName = schemaNameForSlug(p.slug);
  } catch (error) {
    throw new ApiError("validation_failed", (error as InvalidTenantName).message);
  }
  const domain = validateDomain(p.domain);

  try {
    return await toDrizzle(client).transaction(async (tx) => {
      const t = tenants;
      const d = tenantDomains;
      const l = tenantLifecycle;
      const [created] = await rowsOf<TenantContext & { schemaExists: boolean }>(
        tx,
        sql`WITH t AS (
           INSERT INTO ${t} (${columnList(t.slug, t.schemaName, t.name, t.contactEmail, t.timeZone, t.locale, t.currency, t.country)})
           VALUES (${p.slug}, ${schemaName}, ${p.name}, ${p.contactEmail}, ${p.timeZone}, ${p.locale}, ${p.currency}, ${p.country})
           RETURNING ${t.id} AS id, ${t.slug} AS slug, ${t.schemaName} AS schema_name, ${t.name} AS name, ${t.status} AS status,
                     ${t.timeZone} AS time_zone, ${t.locale} AS locale, ${t.currency} AS currency, ${t.country} AS country),
         d AS (INSERT INTO ${d} (${columnList(d.tenantId, d.domain, d.isPrimary)}) SELECT id, ${domain}, true FROM t),
         c AS (INSERT INTO ${tenantConfig} (${columnList(tenantConfig.tenantId)}) SELECT id FROM t),
         l AS (INSERT INTO ${l} (${columnList(l.tenantId, l.event, l.detail, l.actor)})
               SELECT id, 'created', jsonb_build_object('domain', ${domain}::text), ${actor}::text FROM t)
         SELECT id, slug, schema_name AS "schemaName", name, status, time_zone AS "timeZone", locale, currency, country,
                EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ${schemaName}) AS "schemaExists"
           FROM t`,
      );
      const { schemaExists, ...tenant } = created!;
      if (schemaExists) {
        throw new ApiError("conflict", `A schema named ${schemaName} already exists; refusing to adopt it.`);
      }
      await applyTenantMigrations(client, tenant);
      await tx.insert(tenantTables(schemaName).settings).values({}).onConflictDoNothing();
      return tenant;
    });
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint === "tenants_slug_unique" || constraint === "tenants_schema_name_unique") {
      throw new ApiError("conflict", `A tenant with slug "${p.slug}" already exists.`, {
        errors: [{ field: "slug", message: "already taken" }],
      });
    }
    if (constraint === "tenant_domains_domain_unique") {
      throw new ApiError("conflict", `The domain ${domain} already belongs to a tenant.`, {
        errors: [{ field: "domain", message: "already taken" }],
      });
    }
    throw error;
  }
}
