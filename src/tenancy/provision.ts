/**
 * Creating a tenant: tenant row, primary domain, config, lifecycle entry, its
 * schema and every tenant migration, in one transaction. Used by the CLI and
 * the platform admin API, so both are all or nothing.
 */
import { DEFAULT_LOCALE, LOCALES } from "../domain/locales";
import type { Client } from "@neondatabase/serverless";
import { z } from "zod";
import { isTimeZone } from "../availability";
import { applyTenantMigrations } from "../db/migrations/migrator";
import { quoteSchema, schemaNameForSlug, validateDomain, validateSlug, type InvalidTenantName } from "./naming";
import type { TenantContext } from "../domain/tenant";
import { ApiError } from "../http/problem";
import { uniqueViolation } from "../db/errors";
import { inTransaction } from "../db/client";
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
  const t = parsed.data;
  let schemaName: string;
  try {
    schemaName = schemaNameForSlug(t.slug);
  } catch (error) {
    throw new ApiError("validation_failed", (error as InvalidTenantName).message);
  }
  const domain = validateDomain(t.domain);

  try {
    return await inTransaction(client, async () => {
      const { rows } = await client.query(
        `WITH t AS (
           INSERT INTO "public"."tenants" (slug, schema_name, name, contact_email, time_zone, locale, currency, country)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $10)
           RETURNING id, slug, schema_name, name, status, time_zone, locale, currency, country),
         d AS (INSERT INTO "public"."tenant_domains" (tenant_id, domain, is_primary) SELECT id, $8, true FROM t),
         c AS (INSERT INTO "public"."tenant_config" (tenant_id) SELECT id FROM t),
         l AS (INSERT INTO "public"."tenant_lifecycle" (tenant_id, event, detail, actor)
               SELECT id, 'created', jsonb_build_object('domain', $8::text), $9 FROM t)
         SELECT id, slug, schema_name AS "schemaName", name, status, time_zone AS "timeZone", locale, currency, country FROM t`,
        [t.slug, schemaName, t.name, t.contactEmail, t.timeZone, t.locale, t.currency, domain, actor, t.country],
      );
      const tenant = rows[0] as TenantContext;
      const exists = await client.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [schemaName]);
      if (exists.rowCount) {
        throw new ApiError("conflict", `A schema named ${schemaName} already exists; refusing to adopt it.`);
      }
      await applyTenantMigrations(client, tenant, undefined, [
        `INSERT INTO ${quoteSchema(schemaName)}."settings" DEFAULT VALUES ON CONFLICT DO NOTHING`,
      ]);
      return tenant;
    });
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint === "tenants_slug_unique" || constraint === "tenants_schema_name_unique") {
      throw new ApiError("conflict", `A tenant with slug "${t.slug}" already exists.`, {
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
