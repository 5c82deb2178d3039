import { describe, expect, it } from "vitest";
import { connect } from "../src/db/client";
import { tenantMigrations } from "../src/db/migrations/bundle.generated";
import { migrateAllTenants, migrateShared, migrateTenant, tenantsBehind } from "../src/db/migrations/migrator";
import type { BundledMigration } from "../src/db/migrations/types";
import { quoteSchema } from "../src/tenancy/naming";
import { createTenant, dbConfig, dropTenant, sql, withDb, type TestTenant } from "./harness";

const extra: BundledMigration = {
  tag: "9999_test_loyalty",
  hash: "test",
  statements: [`CREATE TABLE "tenant_template"."loyalty_cards" (id serial PRIMARY KEY, points integer NOT NULL DEFAULT 0)`],
};
const withExtra = [...tenantMigrations, extra];

async function history(t: TestTenant): Promise<string[]> {
  const rows = await sql<{ tag: string }>(`SELECT tag FROM ${quoteSchema(t.schemaName)}.schema_migrations ORDER BY tag`);
  return rows.map((r) => r.tag);
}

describe("tenant migrations", () => {
  it("provisions a tenant at the latest migration, recorded in both places", async () => {
    const t = await createTenant();
    try {
      expect(await history(t)).toEqual(tenantMigrations.map((m) => m.tag));
      const [state] = await sql(`SELECT version, last_tag, last_error FROM tenant_migration_state WHERE tenant_id = $1`, [t.id]);
      expect(state).toEqual({ version: tenantMigrations.length, last_tag: tenantMigrations.at(-1)!.tag, last_error: null });
      expect((await withDb((c) => tenantsBehind(c))).map((x) => x.id)).not.toContain(t.id);
    } finally {
      await dropTenant(t);
    }
  });

  it("is a no-op when run twice (shared and tenant)", async () => {
    const t = await createTenant();
    try {
      expect(await withDb((c) => migrateShared(c))).toEqual([]);
      const first = await withDb((c) => migrateTenant(c, t));
      const second = await withDb((c) => migrateTenant(c, t));
      for (const run of [first, second]) {
        expect(run.applied).toEqual([]);
        expect(run.error).toBeUndefined();
      }
      expect(await history(t)).toEqual(tenantMigrations.map((m) => m.tag));
    } finally {
      await dropTenant(t);
    }
  });

  it("finds the tenants that are behind with one query and brings them up to date", async () => {
    const tenants = [await createTenant(), await createTenant(), await createTenant()];
    try {
      const behind = await withDb((c) => tenantsBehind(c, { latest: withExtra.length }));
      for (const t of tenants) expect(behind.map((b) => b.id)).toContain(t.id);
      const results = await migrateAllTenants(() => connect(dbConfig()), { tenants, migrations: withExtra, concurrency: 2 });
      expect(results.map((r) => r.applied)).toEqual([[extra.tag], [extra.tag], [extra.tag]]);
      for (const t of tenants) expect((await history(t)).at(-1)).toBe(extra.tag);
      const again = await migrateAllTenants(() => connect(dbConfig()), { tenants, migrations: withExtra });
      expect(again.every((r) => r.applied.length === 0 && !r.error)).toBe(true);
    } finally {
      for (const t of tenants) await dropTenant(t);
    }
  });

  it("records a failing tenant and still migrates the others; a retry after the fix converges", async () => {
    const [ok1, broken, ok2] = [await createTenant(), await createTenant(), await createTenant()];
    try {
      // Someone created the table by hand in one tenant: its migration must fail.
      await sql(`CREATE TABLE ${quoteSchema(broken.schemaName)}.loyalty_cards (id integer)`);
      const results = await migrateAllTenants(() => connect(dbConfig()), {
        tenants: [ok1, broken, ok2],
        migrations: withExtra,
        concurrency: 3,
      });
      const byId = new Map(results.map((r) => [r.tenant.id, r]));
      expect(byId.get(ok1.id)!.applied).toEqual([extra.tag]);
      expect(byId.get(ok2.id)!.applied).toEqual([extra.tag]);
      expect(byId.get(broken.id)!.error).toMatch(/loyalty_cards.*already exists/);

      const [state] = await sql<{ version: number; last_error: string; failed_attempts: number }>(
        `SELECT version, last_error, failed_attempts FROM tenant_migration_state WHERE tenant_id = $1`,
        [broken.id],
      );
      expect(state.version).toBe(tenantMigrations.length);
      expect(state.last_error).toMatch(/already exists/);
      expect(state.failed_attempts).toBe(1);
      // Its transaction rolled back: no half-applied history.
      expect(await history(broken)).toEqual(tenantMigrations.map((m) => m.tag));

      await sql(`DROP TABLE ${quoteSchema(broken.schemaName)}.loyalty_cards`);
      const retry = await withDb((c) => migrateTenant(c, broken, withExtra));
      expect(retry).toMatchObject({ applied: [extra.tag] });
      const [after] = await sql(`SELECT last_error, failed_attempts FROM tenant_migration_state WHERE tenant_id = $1`, [broken.id]);
      expect(after).toEqual({ last_error: null, failed_attempts: 0 });
    } finally {
      for (const t of [ok1, broken, ok2]) await dropTenant(t);
    }
  });

  it("refuses to run when an applied migration was edited (drift)", async () => {
    const t = await createTenant();
    try {
      const edited = tenantMigrations.map((m, i) => (i === 0 ? { ...m, hash: "edited" } : m));
      const result = await withDb((c) => migrateTenant(c, t, edited));
      expect(result.error).toMatch(/edited after it was applied/);
    } finally {
      await dropTenant(t);
    }
  });
});
