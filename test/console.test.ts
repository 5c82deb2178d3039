import { afterAll, describe, expect, it } from "vitest";
import { adminSession, csrfOf, get, Jar, postForm, setCookies, signInAdmin } from "./admin-auth-helpers";
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
    // No language asked for and no business default on the platform host: the platform default, French.
    expect(await refused.text()).toContain("Seuls les super-utilisateurs de la plateforme");
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
    expect(log).toContain('data-status="suspended"');
    expect(log).toContain("suspendu");

    expect(
      (await postForm(PLATFORM_HOST, `/admin/businesses/${id}/status`, jar, { _csrf: "x".repeat(43), status: "active", reason: "Paid" }))
        .status,
    ).toBe(403);
    expect(
      (await postForm(PLATFORM_HOST, `/admin/businesses/${id}/status`, jar, { _csrf: csrf, status: "active", reason: "Paid" })).status,
    ).toBe(303);
    expect((await call(domain, "/api/tenant")).status).toBe(200);
  });

  it("speaks French by default, Arabic right to left and English, chosen by ?lang= (remembered), the cookie or Accept-Language", async () => {
    const su = await createUser({ superuser: true });
    const { jar } = await signInAdmin(PLATFORM_HOST, su.email);
    const fr = await (await get(PLATFORM_HOST, "/admin/businesses", jar)).text();
    expect(fr).toContain('<html lang="fr" dir="ltr">');
    expect(fr).toContain("Créer et inviter le propriétaire");
    expect(fr).toContain('<label for="new-owner_email">Propriétaire à inviter (e-mail)</label>');
    // The switcher keeps the page and its query.
    expect(fr).toContain('href="/admin/businesses?lang=ar"');

    const ar = await (
      await get(PLATFORM_HOST, "/admin/businesses?status=active", jar, { "accept-language": "ar-MA,ar;q=0.9,fr;q=0.5" })
    ).text();
    expect(ar).toContain('<html lang="ar" dir="rtl">');
    expect(ar).toContain("إنشاء ودعوة المالك");
    expect(ar).toContain('href="/admin/businesses?status=active&amp;lang=en"');
    expect(ar).not.toMatch(/Create and invite|Créer et inviter/);

    const chosen = await get(PLATFORM_HOST, "/admin/businesses?lang=en", jar, { "accept-language": "ar" });
    expect(setCookies(chosen).some((line) => line.startsWith("bm_lang=en;"))).toBe(true);
    expect(await chosen.text()).toContain("Create and invite the owner");
    const remembered = await (await get(PLATFORM_HOST, "/admin/migrations", jar, { "accept-language": "ar" })).text();
    expect(remembered).toContain('<html lang="en" dir="ltr">');
    expect(remembered).toContain("Latest tenant migration:");

    // A refused form in Arabic: 422, the message next to its field, nothing created.
    jar.cookies.set("bm_lang", "ar");
    const csrf = csrfOf(await (await get(PLATFORM_HOST, "/admin/businesses", jar)).text());
    const slug = uniqueSlug("l");
    const bad = await postForm(PLATFORM_HOST, "/admin/businesses", jar, {
      _csrf: csrf,
      slug,
      name: "Salon Amal",
      domain: `${slug}.bookme.test`,
      contact_email: "not-an-email",
      owner_email: "owner@example.ma",
    });
    expect(bad.status).toBe(422);
    const page = await bad.text();
    expect(page).toContain('aria-describedby="new-contact_email-err"');
    expect(page).toContain('<p class="err" id="new-contact_email-err">أدخل بريدًا إلكترونيًا صالحًا.</p>');
    expect(page).toContain(`value="${slug}"`);
    expect(await sql("SELECT 1 FROM tenants WHERE slug = $1", [slug])).toHaveLength(0);
    // A slug another business has: the service's reason, in the page's language.
    jar.cookies.set("bm_lang", "fr");
    const taken = await postForm(PLATFORM_HOST, "/admin/businesses", jar, {
      _csrf: csrf,
      slug: t.a.slug,
      name: "Copie",
      domain: `${slug}.bookme.test`,
      contact_email: "hello@example.ma",
      owner_email: "owner@example.ma",
    });
    expect(taken.status).toBe(422);
    expect(await taken.text()).toContain('<p class="err" id="new-slug-err">Déjà pris par un autre établissement.</p>');

    // The sign-in page and its refusals follow the same choice.
    const visitor = new Jar();
    visitor.cookies.set("bm_lang", "ar");
    const login = await get(PLATFORM_HOST, "/admin/login", visitor);
    const loginHtml = await login.text();
    expect(loginHtml).toContain('<html lang="ar" dir="rtl">');
    const wrong = await postForm(PLATFORM_HOST, "/admin/login", visitor, {
      _csrf: csrfOf(loginHtml),
      email: su.email,
      password: "wrong-password-1",
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("البريد الإلكتروني أو كلمة المرور غير صحيحة.");
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
