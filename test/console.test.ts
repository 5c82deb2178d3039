import { afterAll, describe, expect, it } from "vitest";
import { adminSession, csrfOf, get, postForm, signInAdmin } from "./admin-auth-helpers";
import { createUser } from "./auth-fixtures";
import { call, dropTenant, PLATFORM_HOST, sql, uniqueSlug, useTenants } from "./harness";

describe("platform console (/admin on the platform host)", () => {
  const t = useTenants();
  const created: { id: string; schemaName: string }[] = [];
  afterAll(async () => {
    for (const x of created) await dropTenant(x as never);
  });

  it("sends a visitor to the sign-in page and refuses non-superusers", async () => {
    const res = await get(PLATFORM_HOST, "/admin/businesses");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/login?next=%2Fadmin%2Fbusinesses");
    const plain = await createUser();
    const { res: refused } = await signInAdmin(PLATFORM_HOST, plain.email);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain("Only platform superusers");
    // The business back office is unchanged on a tenant host.
    const tenantLogin = await get(t.a.domain, "/admin/login");
    expect(tenantLogin.status).toBe(200);
    expect(await tenantLogin.text()).toContain(t.a.name);
  });

  it("a superuser lists, searches and filters businesses", async () => {
    const su = await createUser({ superuser: true });
    const { jar } = await adminSession(PLATFORM_HOST, su.email).catch(async () => {
      // adminSession reads /admin/calendar for the token; the console's pages carry it too.
      const s = await signInAdmin(PLATFORM_HOST, su.email);
      return { jar: s.jar };
    });
    const list = await get(PLATFORM_HOST, `/admin/businesses?q=${t.a.slug}`, jar);
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain(t.a.name);
    expect(html).not.toContain(t.b.name);
    const suspendedOnly = await (await get(PLATFORM_HOST, "/admin/businesses?status=suspended", jar)).text();
    expect(suspendedOnly).not.toContain(t.a.name);
  });

  it("creates a business with its owner invitation, suspends it with a reason (its pages answer suspended) and reactivates it", async () => {
    const su = await createUser({ superuser: true });
    const { jar } = await signInAdmin(PLATFORM_HOST, su.email);
    const csrf = csrfOf(await (await get(PLATFORM_HOST, "/admin/businesses", jar)).text());
    const slug = uniqueSlug("c");
    const domain = `${slug}.bookme.test`;
    const bad = await postForm(PLATFORM_HOST, "/admin/businesses", jar, {
      _csrf: csrf,
      slug,
      name: "",
      domain,
      contact_email: "x",
      owner_email: "",
    });
    expect(bad.status).toBe(422);
    const res = await postForm(PLATFORM_HOST, "/admin/businesses", jar, {
      _csrf: csrf,
      slug,
      name: "Salon Amal",
      domain,
      contact_email: `hello@${domain}`,
      time_zone: "Africa/Casablanca",
      locale: "ar",
      currency: "MAD",
      owner_email: `owner@${domain}`,
    });
    expect(res.status).toBe(303);
    const location = res.headers.get("location")!;
    const id = /\/admin\/businesses\/([0-9a-f-]{36})/.exec(location)![1]!;
    const [row] = await sql<{ schema_name: string }>("SELECT schema_name FROM tenants WHERE id = $1", [id]);
    created.push({ id, schemaName: row!.schema_name });
    const [inv] = await sql<{ role: string }>("SELECT role FROM invitations WHERE tenant_id = $1 AND email = $2", [id, `owner@${domain}`]);
    expect(inv?.role).toBe("owner");
    const detail = await (await get(PLATFORM_HOST, location, jar)).text();
    expect(detail).toContain(`owner@${domain}`);
    expect(detail).toContain(domain);

    expect(
      (await postForm(PLATFORM_HOST, `/admin/businesses/${id}/status`, jar, { _csrf: csrf, status: "suspended", reason: "Unpaid invoice" }))
        .status,
    ).toBe(303);
    expect((await call(domain, "/api/tenant")).status).toBe(403);
    const log = await (await get(PLATFORM_HOST, `/admin/businesses/${id}`, jar)).text();
    expect(log).toContain("Unpaid invoice");
    expect(log).toContain(`user:${su.id}`);
    expect(log).toContain('id="tenant-status">suspended');

    expect(
      (await postForm(PLATFORM_HOST, `/admin/businesses/${id}/status`, jar, { _csrf: "x".repeat(43), status: "active", reason: "Paid" }))
        .status,
    ).toBe(403);
    expect(
      (await postForm(PLATFORM_HOST, `/admin/businesses/${id}/status`, jar, { _csrf: csrf, status: "active", reason: "Paid" })).status,
    ).toBe(303);
    expect((await call(domain, "/api/tenant")).status).toBe(200);
  });

  it("manages domains, migrates one business now and shows the migration overview", async () => {
    const su = await createUser({ superuser: true });
    const { jar } = await signInAdmin(PLATFORM_HOST, su.email);
    const csrf = csrfOf(await (await get(PLATFORM_HOST, "/admin/businesses", jar)).text());
    const id = t.b.id;
    const extra = `${uniqueSlug("d")}.bookme.test`;
    expect((await postForm(PLATFORM_HOST, `/admin/businesses/${id}/domains`, jar, { _csrf: csrf, domain: extra })).status).toBe(303);
    const [row] = await sql<{ id: string }>("SELECT id FROM tenant_domains WHERE domain = $1", [extra]);
    expect((await call(extra, "/api/tenant")).status).toBe(200);
    expect((await postForm(PLATFORM_HOST, `/admin/businesses/${id}/domains/${row!.id}/primary`, jar, { _csrf: csrf })).status).toBe(303);
    expect((await sql<{ p: boolean }>("SELECT is_primary AS p FROM tenant_domains WHERE id = $1", [row!.id]))[0]!.p).toBe(true);
    // The old primary can be removed now; a domain another business has is refused on the page.
    const [old] = await sql<{ id: string }>("SELECT id FROM tenant_domains WHERE domain = $1", [t.b.domain]);
    expect((await postForm(PLATFORM_HOST, `/admin/businesses/${id}/domains/${old!.id}/delete`, jar, { _csrf: csrf })).status).toBe(303);
    const taken = await postForm(PLATFORM_HOST, `/admin/businesses/${id}/domains`, jar, { _csrf: csrf, domain: t.a.domain });
    expect(taken.status).toBe(200);
    expect(await taken.text()).toContain('role="alert"');
    // Put the original primary back for the fixture's clean-up.
    await postForm(PLATFORM_HOST, `/admin/businesses/${id}/domains`, jar, { _csrf: csrf, domain: t.b.domain, primary: "1" });

    await sql("UPDATE tenant_migration_state SET version = version - 1 WHERE tenant_id = $1", [t.a.id]);
    const overview = await (await get(PLATFORM_HOST, "/admin/migrations", jar)).text();
    expect(overview).toContain(t.a.slug);
    expect(overview).not.toContain(t.b.slug);
    expect((await postForm(PLATFORM_HOST, `/admin/businesses/${t.a.id}/migrate`, jar, { _csrf: csrf })).status).toBe(303);
    expect(await (await get(PLATFORM_HOST, "/admin/migrations", jar)).text()).not.toContain(t.a.slug);
  });
});
