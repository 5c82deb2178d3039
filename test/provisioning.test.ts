import { describe, expect, it } from "vitest";
import { ApiError } from "../src/http/problem";
import { provisionTenant } from "../src/tenancy/provision";
import { createTenant, dropTenant, sql, uniqueSlug, withDb } from "./harness";

async function schemaExists(name: string): Promise<boolean> {
  return (await sql(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [name])).length === 1;
}

describe("tenant provisioning", () => {
  it("creates tenant, primary domain, config, lifecycle entry, schema and default settings", async () => {
    const t = await createTenant({ timeZone: "Europe/Paris", locale: "en" });
    try {
      expect(t).toMatchObject({ status: "active", timeZone: "Europe/Paris", locale: "en", currency: "MAD" });
      expect(await sql(`SELECT domain, is_primary FROM tenant_domains WHERE tenant_id = $1`, [t.id])).toEqual([
        { domain: t.domain, is_primary: true },
      ]);
      expect(await sql(`SELECT event, actor FROM tenant_lifecycle WHERE tenant_id = $1`, [t.id])).toEqual([
        { event: "created", actor: "test" },
      ]);
      expect((await sql(`SELECT count(*)::int AS n FROM tenant_config WHERE tenant_id = $1`, [t.id]))[0]).toEqual({ n: 1 });
      expect(await sql(`SELECT slot_interval_min, reminder_offsets_min FROM "${t.schemaName}".settings`)).toEqual([
        { slot_interval_min: 15, reminder_offsets_min: [1440, 120] },
      ]);
    } finally {
      await dropTenant(t);
    }
  });

  it("is all or nothing: a taken domain leaves no tenant row and no schema behind", async () => {
    const existing = await createTenant();
    const slug = uniqueSlug();
    try {
      const attempt = withDb((c) => provisionTenant(c, { slug, name: "Copycat", domain: existing.domain, contactEmail: "x@y.ma" }, "test"));
      await expect(attempt).rejects.toMatchObject({ code: "conflict", errors: [{ field: "domain", message: "already taken" }] });
      expect(await sql(`SELECT 1 FROM tenants WHERE slug = $1`, [slug])).toEqual([]);
      expect(await schemaExists(`tenant_${slug}`)).toBe(false);
    } finally {
      await dropTenant(existing);
    }
  });

  it("refuses a taken slug with a conflict naming the field", async () => {
    const existing = await createTenant();
    try {
      await expect(
        withDb((c) =>
          provisionTenant(c, { slug: existing.slug, name: "Twin", domain: `${uniqueSlug()}.bookme.test`, contactEmail: "x@y.ma" }, "test"),
        ),
      ).rejects.toMatchObject({ code: "conflict", errors: [{ field: "slug" }] });
    } finally {
      await dropTenant(existing);
    }
  });

  it("refuses a hostile slug before any SQL is sent", async () => {
    for (const slug of ['x"; drop schema public; --', "pg_catalog", "public"]) {
      let queries = 0;
      const error = await withDb((client) => {
        const spy = { query: (...args: Parameters<typeof client.query>) => (queries++, client.query(...args)) } as typeof client;
        return provisionTenant(spy, { slug, name: "Evil", domain: "evil.bookme.test", contactEmail: "e@vil.ma" }, "test").catch((e) => e);
      });
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ code: "validation_failed", errors: [expect.objectContaining({ field: "slug" })] });
      expect(queries).toBe(0);
    }
    expect(await schemaExists("public")).toBe(true);
  });

  it("validates time zone, locale, currency, email and domain, listing every bad field", async () => {
    const error = await withDb((c) =>
      provisionTenant(
        c,
        {
          slug: uniqueSlug(),
          name: "",
          domain: "not a domain",
          contactEmail: "nope",
          timeZone: "Mars/Olympus",
          locale: "de" as never,
          currency: "mad",
        },
        "test",
      ).catch((e) => e),
    );
    expect(error).toMatchObject({ code: "validation_failed" });
    expect((error as ApiError).errors!.map((e) => e.field).sort()).toEqual([
      "contactEmail",
      "currency",
      "domain",
      "locale",
      "name",
      "timeZone",
    ]);
  });
});
