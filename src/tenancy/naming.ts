/**
 * The rules for tenant slugs, domains and hosts. Schema-name checking and
 * quoting live in src/db/schema-name.ts (re-exported here for callers that
 * think in tenants).
 */
import { InvalidTenantName, assertSchemaName } from "../db/schema-name";

export { InvalidTenantName, SCHEMA_PATTERN, assertSchemaName, quoteSchema } from "../db/schema-name";

/** Lower-case letters, digits and single hyphens; 3–32 chars; starts with a letter. */
export const SLUG_PATTERN = /^[a-z](?:[a-z0-9]|-(?!-)){1,30}[a-z0-9]$/;

const RESERVED_SLUGS = new Set([
  "admin",
  "api",
  "app",
  "auth",
  "default",
  "information-schema",
  "pg",
  "platform",
  "public",
  "root",
  "schema",
  "static",
  "system",
  "template",
  "www",
]);

export function validateSlug(slug: string): string {
  if (typeof slug !== "string" || !SLUG_PATTERN.test(slug)) {
    throw new InvalidTenantName(
      "A slug is 3–32 characters: lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen.",
    );
  }
  if (RESERVED_SLUGS.has(slug) || slug.startsWith("pg-")) {
    throw new InvalidTenantName(`The slug "${slug}" is reserved.`);
  }
  return slug;
}

/** `my-salon` → `tenant_my_salon`; hyphens are the only thing mapped, so it is one-to-one. */
export function schemaNameForSlug(slug: string): string {
  return assertSchemaName(`tenant_${validateSlug(slug).replaceAll("-", "_")}`);
}

/** Hosts are compared lower-case, without port and trailing dot. */
export function normaliseHost(host: string | null | undefined): string {
  if (!host) return "";
  let h = host.trim().toLowerCase();
  if (h.startsWith("[")) {
    const end = h.indexOf("]");
    return end > 0 ? h.slice(0, end + 1) : h;
  }
  const colon = h.lastIndexOf(":");
  if (colon !== -1) h = h.slice(0, colon);
  return h.endsWith(".") ? h.slice(0, -1) : h;
}

const DOMAIN_PATTERN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

export function validateDomain(domain: string): string {
  const d = normaliseHost(domain);
  if (!DOMAIN_PATTERN.test(d)) throw new InvalidTenantName(`"${domain}" is not a valid domain name.`);
  return d;
}
