/** Migration 0005: bookings made before contact snapshots existed get their customer's details as their snapshot. */
import { describe, expect, it } from "vitest";
import { tenantMigrations } from "../src/db/migrations/bundle.generated";
import { migrateTenant } from "../src/db/migrations/migrator";
import { quoteSchema } from "../src/tenancy/naming";
import { createTenant, dropTenant, sql, withDb } from "./harness";

describe("booking contact snapshot migration", () => {
  it("backfills existing bookings from their customer and makes customer_id nullable (unlinked bookings)", async () => {
    const tenant = await createTenant();
    // A second schema of the same tenant, migrated only up to the migration before the snapshot.
    const old = { id: tenant.id, slug: tenant.slug, schemaName: `${tenant.schemaName}_old` };
    const s = quoteSchema(old.schemaName);
    const index = tenantMigrations.findIndex((m) => m.tag === "0005_booking_contact_and_cap");
    expect(index).toBeGreaterThan(0);
    try {
      expect((await withDb((c) => migrateTenant(c, old, tenantMigrations.slice(0, index)))).error).toBeUndefined();
      const [svc] = await sql<{ id: string }>(`INSERT INTO ${s}.services (name, duration_min) VALUES ('S', 30) RETURNING id`);
      const [st] = await sql<{ id: string }>(`INSERT INTO ${s}.staff (display_name) VALUES ('P') RETURNING id`);
      const [cu] = await sql<{ id: string }>(
        `INSERT INTO ${s}.customers (name, email, phone, locale) VALUES ('Old Sara', 'old@mail.ma', '+212612345678', 'ar') RETURNING id`,
      );
      const [b] = await sql<{ id: string }>(
        `INSERT INTO ${s}.bookings (service_id, staff_id, customer_id, starts_at, ends_at, blocked_from, blocked_until, session_key, price_minor, currency)
         VALUES ($1, $2, $3, '2030-01-01T09:00Z', '2030-01-01T09:30Z', '2030-01-01T09:00Z', '2030-01-01T09:30Z', 'k', 0, 'MAD') RETURNING id`,
        [svc!.id, st!.id, cu!.id],
      );
      expect((await withDb((c) => migrateTenant(c, old))).applied).toContain("0005_booking_contact_and_cap");
      const [row] = await sql(`SELECT contact_name, contact_email, contact_phone, contact_locale FROM ${s}.bookings WHERE id = $1`, [
        b!.id,
      ]);
      expect(row).toEqual({ contact_name: "Old Sara", contact_email: "old@mail.ma", contact_phone: "+212612345678", contact_locale: "ar" });
      const [col] = await sql<{ is_nullable: string }>(
        `SELECT is_nullable FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'bookings' AND column_name = 'customer_id'`,
        [old.schemaName],
      );
      expect(col!.is_nullable).toBe("YES");
    } finally {
      await sql(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
      await dropTenant(tenant);
    }
  });
});
