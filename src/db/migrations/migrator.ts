/**
 * The one migrator, used by the CLI (Node) and the Worker's queue consumer.
 *
 * Shared migrations run once under a global advisory lock. Tenant migrations run
 * per tenant, in one transaction under that tenant's advisory lock, and are
 * recorded both in the tenant's own `schema_migrations` and in
 * `public.tenant_migration_state` so "who is behind?" is one query. A tenant
 * costs two round trips: read its history, then apply + record + commit.
 */
import type { Client } from "@neondatabase/serverless";
import { quoteSchema, assertSchemaName } from "../schema-name";
import { sharedMigrations, tenantMigrations } from "./bundle.generated";
import { mapBounded, planMigrations, type AppliedMigration } from "./plan";
import { sqlLiteral, uuidLiteral } from "./sql";
import type { BundledMigration } from "./types";

type Queryable = Pick<Client, "query">;

const TEMPLATE = /"tenant_template"/g;

export class MigrationDriftError extends Error {
  constructor(
    where: string,
    readonly drift: string[],
  ) {
    super(`${where}: ${drift.join("; ")}`);
    this.name = "MigrationDriftError";
  }
}

function lastRows(result: unknown): AppliedMigration[] {
  const results = Array.isArray(result) ? result : [result];
  return (results[results.length - 1] as { rows: AppliedMigration[] }).rows;
}

function historyInserts(table: string, migrations: readonly BundledMigration[]): string[] {
  return migrations.map((m) => `INSERT INTO ${table} (tag, hash) VALUES (${sqlLiteral(m.tag)}, ${sqlLiteral(m.hash)})`);
}

export async function migrateShared(client: Client, migrations: readonly BundledMigration[] = sharedMigrations): Promise<string[]> {
  const table = `"public"."bookme_migrations"`;
  const applied = lastRows(
    await client.query(
      `BEGIN;
       SELECT pg_advisory_xact_lock(hashtext('bookme.migrate.shared'));
       CREATE TABLE IF NOT EXISTS ${table} (tag text PRIMARY KEY, hash text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
       SELECT tag, hash FROM ${table} ORDER BY tag`,
    ),
  );
  try {
    const { pending, drift } = planMigrations(applied, migrations);
    if (drift.length) throw new MigrationDriftError("shared schema", drift);
    const statements = [...pending.flatMap((m) => m.statements), ...historyInserts(table, pending), "COMMIT"];
    await client.query(statements.join(";\n"));
    return pending.map((m) => m.tag);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

export interface TenantRef {
  id: string;
  slug: string;
  schemaName: string;
}

export function rewriteForSchema(statement: string, schemaName: string): string {
  return statement.replace(TEMPLATE, quoteSchema(schemaName));
}

/**
 * Applies pending tenant migrations inside the caller's open transaction (the
 * provisioning code uses this so a new tenant is all-or-nothing).
 */
export async function applyTenantMigrations(
  client: Queryable,
  tenant: TenantRef,
  migrations: readonly BundledMigration[] = tenantMigrations,
  finalStatements: string[] = [],
): Promise<string[]> {
  const schema = quoteSchema(tenant.schemaName);
  const history = `${schema}."schema_migrations"`;
  const applied = lastRows(
    await client.query(
      `SELECT pg_advisory_xact_lock(hashtext('bookme.migrate.tenant'), hashtext(${sqlLiteral(assertSchemaName(tenant.schemaName))}));
       CREATE SCHEMA IF NOT EXISTS ${schema};
       CREATE TABLE IF NOT EXISTS ${history} (tag text PRIMARY KEY, hash text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
       SELECT tag, hash FROM ${history} ORDER BY tag`,
    ),
  );
  const { pending, drift } = planMigrations(applied, migrations);
  if (drift.length) throw new MigrationDriftError(`tenant ${tenant.slug}`, drift);
  const version = applied.length + pending.length;
  const lastTag = pending.at(-1)?.tag ?? applied.at(-1)?.tag ?? null;
  const statements = [
    ...pending.flatMap((m) => m.statements.map((s) => rewriteForSchema(s, tenant.schemaName))),
    ...historyInserts(history, pending),
    `INSERT INTO "public"."tenant_migration_state" (tenant_id, version, last_tag, last_error, failed_attempts, updated_at)
     VALUES (${uuidLiteral(tenant.id)}, ${version}, ${lastTag === null ? "NULL" : sqlLiteral(lastTag)}, NULL, 0, now())
     ON CONFLICT (tenant_id) DO UPDATE SET version = EXCLUDED.version, last_tag = EXCLUDED.last_tag,
       last_error = NULL, failed_attempts = 0, updated_at = now()`,
    ...finalStatements,
  ];
  await client.query(statements.join(";\n"));
  return pending.map((m) => m.tag);
}

export interface TenantMigrationResult {
  tenant: TenantRef;
  applied: string[];
  error?: string;
}

/** Migrates one tenant in its own transaction; a failure is recorded, not thrown. */
export async function migrateTenant(
  client: Client,
  tenant: TenantRef,
  migrations: readonly BundledMigration[] = tenantMigrations,
): Promise<TenantMigrationResult> {
  try {
    await client.query("BEGIN");
    const applied = await applyTenantMigrations(client, tenant, migrations, ["COMMIT"]);
    return { tenant, applied };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    const message = error instanceof Error ? error.message : String(error);
    await client
      .query(
        `INSERT INTO "public"."tenant_migration_state" (tenant_id, version, last_error, failed_attempts, updated_at)
         VALUES ($1, 0, $2, 1, now())
         ON CONFLICT (tenant_id) DO UPDATE SET last_error = EXCLUDED.last_error,
           failed_attempts = "tenant_migration_state".failed_attempts + 1, updated_at = now()`,
        [tenant.id, message.slice(0, 2000)],
      )
      .catch(() => {});
    return { tenant, applied: [], error: message };
  }
}

/** Tenants whose recorded version is behind the bundle: one query, whatever the tenant count. */
export async function tenantsBehind(
  client: Queryable,
  options: { latest?: number; slug?: string; includeArchived?: boolean } = {},
): Promise<TenantRef[]> {
  const latest = options.latest ?? tenantMigrations.length;
  const result = await client.query(
    `SELECT t.id, t.slug, t.schema_name AS "schemaName"
       FROM "public"."tenants" t
       LEFT JOIN "public"."tenant_migration_state" s ON s.tenant_id = t.id
      WHERE coalesce(s.version, 0) < $1
        AND ($2::text IS NULL OR t.slug = $2)
        AND ($3 OR t.status <> 'archived')
      ORDER BY t.slug`,
    [latest, options.slug ?? null, options.includeArchived ?? false],
  );
  return result.rows as TenantRef[];
}

export interface MigrateAllOptions {
  concurrency?: number;
  migrations?: readonly BundledMigration[];
  tenants?: TenantRef[];
  onProgress?: (done: number, total: number, result: TenantMigrationResult) => void;
}

/**
 * Brings every tenant that is behind up to date, `concurrency` tenants at a
 * time, each on its own connection so one slow or failing tenant never holds
 * up another.
 */
export async function migrateAllTenants(
  openClient: () => Promise<Client>,
  options: MigrateAllOptions = {},
): Promise<TenantMigrationResult[]> {
  const migrations = options.migrations ?? tenantMigrations;
  let tenants = options.tenants;
  if (!tenants) {
    const client = await openClient();
    try {
      tenants = await tenantsBehind(client, { latest: migrations.length });
    } finally {
      await client.end().catch(() => {});
    }
  }
  let done = 0;
  const total = tenants.length;
  return mapBounded(tenants, options.concurrency ?? 4, async (tenant) => {
    let result: TenantMigrationResult;
    let client: Client | undefined;
    try {
      client = await openClient();
      result = await migrateTenant(client, tenant, migrations);
    } catch (error) {
      result = { tenant, applied: [], error: error instanceof Error ? error.message : String(error) };
    } finally {
      await client?.end().catch(() => {});
    }
    options.onProgress?.(++done, total, result);
    return result;
  });
}
