/**
 * Tenant schema names as SQL sees them. Every schema name that reaches SQL has
 * passed `assertSchemaName`, so identifiers can be quoted safely and a tenant
 * can never name `public`, `pg_catalog` or another tenant's schema. The slug
 * rules that produce these names live in src/tenancy/naming.ts.
 */
export const SCHEMA_PATTERN = /^tenant_[a-z][a-z0-9_]{1,40}$/;

export class InvalidTenantName extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidTenantName";
  }
}

export function assertSchemaName(name: string): string {
  if (typeof name !== "string" || !SCHEMA_PATTERN.test(name)) {
    throw new InvalidTenantName(`Refusing unsafe schema name ${JSON.stringify(name)}.`);
  }
  return name;
}

/** `"tenant_x"` — only for names that passed `assertSchemaName`. */
export function quoteSchema(name: string): string {
  return `"${assertSchemaName(name)}"`;
}
