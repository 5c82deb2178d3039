/**
 * The one migrator, used by the CLI (Node) and the Worker's queue consumer.
 * It runs on a WebSocket connection (`Client`): DDL needs an interactive
 * transaction.
 *
 * Shared migrations run once under a global advisory lock. Tenant migrations run
 * per tenant, in one transaction under that tenant's advisory lock, and are
 * recorded both in the tenant's own `schema_migrations` and in
 * `public.tenant_migration_state` so "who is behind?" is one query.
 *
 * Two kinds of statement, kept apart: the DDL runner (`runDdl`) sends the
 * bundled migration statements and the schema set-up as text over the simple
 * query protocol (schema names have passed `assertSchemaName`; no value from a
 * request ever reaches it); every bookkeeping statement (history, state) is
 * built with drizzle over table objects, values as bind parameters. A tenant
 * costs four round trips: lock + set-up, read its history, record, apply +
 * commit.
 */
import type { Client } from "@neondatabase/serverless";
import { and, eq, lt, ne, sql } from "drizzle-orm";
import { pgSchema, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { type Queryable, queryableOf, toDrizzle } from "../client";
import { tenantMigrationState, tenants } from "../schema/public";
import { quoteSchema, assertSchemaName } from "../schema-name";
import { sharedMigrations, tenantMigrations } from "./bundle.generated";
import { mapBounded, planMigrations, type AppliedMigration } from "./plan";
import type { BundledMigration } from "./types";

/** What the DDL runner and the bookkeeping need of a connection (a `Client`, or a spy in tests). */
type Connection = Pick<Client, "query">;

const TEMPLATE = /"tenant_template"/g;

const historyColumns = {
  tag: text("tag").primaryKey(),
  hash: text("hash").notNull(),
  appliedAt: timestamp("applied_at", { withTimezone: true }).notNull().defaultNow(),
};
/** The shared schema's history (created by the migrator itself, not by drizzle-kit). */
const sharedHistory = pgTable("bookme_migrations", historyColumns);
/** A tenant schema's history. */
const tenantHistory = (schemaName: string) => pgSchema(assertSchemaName(schemaName)).table("schema_migrations", historyColumns);

const HISTORY_DDL = "(tag text PRIMARY KEY, hash text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())";

export class MigrationDriftError extends Error {
  constructor(
    where: string,
    readonly drift: string[],
  ) {
    super(`${where}: ${drift.join("; ")}`);
    this.name = "MigrationDriftError";
  }
}

/** The DDL runner: the only place SQL text goes out as is (simple query protocol, one round trip). */
async function runDdl(client: Connection, statements: string[]): Promise<void> {
  if (statements.length) await client.query(statements.join(";\n"));
}

async function readHistory(db: Queryable, table: typeof sharedHistory): Promise<AppliedMigration[]> {
  return db.select({ tag: table.tag, hash: table.hash }).from(table).orderBy(table.tag);
}

async function recordHistory(db: Queryable, table: typeof sharedHistory, pending: readonly BundledMigration[]): Promise<void> {
  if (pending.length) await db.insert(table).values(pending.map((m) => ({ tag: m.tag, hash: m.hash })));
}

/** The shared migrations recorded as applied (the CLI's preflight). */
export async function appliedSharedTags(db: Queryable): Promise<string[]> {
  return (await readHistory(db, sharedHistory)).map((m) => m.tag);
}

export async function migrateShared(client: Client, migrations: readonly BundledMigration[] = sharedMigrations): Promise<string[]> {
  const db = toDrizzle(client);
  await runDdl(client, [
    "BEGIN",
    "SELECT pg_advisory_xact_lock(hashtext('bookme.migrate.shared'))",
    `CREATE TABLE IF NOT EXISTS "bookme_migrations" ${HISTORY_DDL}`,
  ]);
  try {
    const applied = await readHistory(db, sharedHistory);
    const { pending, drift } = planMigrations(applied, migrations);
    if (drift.length) throw new MigrationDriftError("shared schema", drift);
    await recordHistory(db, sharedHistory, pending);
    await runDdl(client, [...pending.flatMap((m) => m.statements), "COMMIT"]);
    return pending.map((m) => m.tag);
  } catch (error) {
    await runDdl(client, ["ROLLBACK"]).catch(() => {});
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
 * provisioning code uses this so a new tenant is all-or-nothing); with
 * `commit`, the last round trip also commits it (the migrator's own
 * transaction).
 */
export async function applyTenantMigrations(
  client: Connection,
  tenant: TenantRef,
  migrations: readonly BundledMigration[] = tenantMigrations,
  options: { begin?: boolean; commit?: boolean } = {},
): Promise<string[]> {
  const schemaName = assertSchemaName(tenant.schemaName);
  const schema = quoteSchema(schemaName);
  const db = toDrizzle(client as Client);
  // The lock key names the schema (it passed assertSchemaName: [a-z0-9_] only).
  await runDdl(client, [
    ...(options.begin ? ["BEGIN"] : []),
    `SELECT pg_advisory_xact_lock(hashtext('bookme.migrate.tenant'), hashtext('${schemaName}'))`,
    `CREATE SCHEMA IF NOT EXISTS ${schema}`,
    `CREATE TABLE IF NOT EXISTS ${schema}."schema_migrations" ${HISTORY_DDL}`,
  ]);
  const history = tenantHistory(schemaName);
  const applied = await readHistory(db, history as unknown as typeof sharedHistory);
  const { pending, drift } = planMigrations(applied, migrations);
  if (drift.length) throw new MigrationDriftError(`tenant ${tenant.slug}`, drift);
  const version = applied.length + pending.length;
  const lastTag = pending.at(-1)?.tag ?? applied.at(-1)?.tag ?? null;
  const state = tenantMigrationState;
  const record = db
    .insert(state)
    .values({ tenantId: tenant.id, version, lastTag, lastError: null, failedAttempts: 0, updatedAt: sql`now()` })
    .onConflictDoUpdate({
      target: state.tenantId,
      set: { version, lastTag, lastError: null, failedAttempts: 0, updatedAt: sql`now()` },
    });
  if (pending.length) {
    // History and state in one statement.
    await db.execute(
      sql`WITH h AS (${db
        .insert(history as unknown as typeof sharedHistory)
        .values(pending.map((m) => ({ tag: m.tag, hash: m.hash })))
        .getSQL()}) ${record.getSQL()}`,
    );
  } else {
    await record;
  }
  await runDdl(client, [
    ...pending.flatMap((m) => m.statements.map((s) => rewriteForSchema(s, schemaName))),
    ...(options.commit ? ["COMMIT"] : []),
  ]);
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
    const applied = await applyTenantMigrations(client, tenant, migrations, { begin: true, commit: true });
    return { tenant, applied };
  } catch (error) {
    await runDdl(client, ["ROLLBACK"]).catch(() => {});
    const message = error instanceof Error ? error.message : String(error);
    const state = tenantMigrationState;
    await toDrizzle(client)
      .insert(state)
      .values({ tenantId: tenant.id, version: 0, lastError: message.slice(0, 2000), failedAttempts: 1, updatedAt: sql`now()` })
      .onConflictDoUpdate({
        target: state.tenantId,
        set: {
          lastError: sql`EXCLUDED.${sql.identifier(state.lastError.name)}`,
          failedAttempts: sql`${state.failedAttempts} + 1`,
          updatedAt: sql`now()`,
        },
      })
      .catch(() => {});
    return { tenant, applied: [], error: message };
  }
}

/** Tenants whose recorded version is behind the bundle: one query, whatever the tenant count. */
export async function tenantsBehind(
  handle: Queryable | Client,
  options: { latest?: number; slug?: string; includeArchived?: boolean } = {},
): Promise<TenantRef[]> {
  const latest = options.latest ?? tenantMigrations.length;
  const s = tenantMigrationState;
  return queryableOf(handle)
    .select({ id: tenants.id, slug: tenants.slug, schemaName: tenants.schemaName })
    .from(tenants)
    .leftJoin(s, eq(s.tenantId, tenants.id))
    .where(
      and(
        lt(sql`coalesce(${s.version}, 0)`, latest),
        options.slug === undefined ? undefined : eq(tenants.slug, options.slug),
        options.includeArchived ? undefined : ne(tenants.status, "archived"),
      ),
    )
    .orderBy(tenants.slug);
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
