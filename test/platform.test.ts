import { env } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantContext } from "../src/domain/tenant";
import { authed, createUser, expectProblem, login, member, type Tokens } from "./auth-fixtures";
import { call, countRoundTrips, dropTenant, json, PLATFORM_HOST, sql, uniqueSlug, useTenants } from "./harness";

describe("platform admin API", () => {
  const t = useTenants();
  const created: TenantContext[] = [];
  let su: Tokens;

  beforeAll(async () => {
    const user = await createUser({ superuser: true });
    su = await login(PLATFORM_HOST, user.email);
  });
  afterAll(async () => {
    for (const tenant of created) await dropTenant(tenant);
  });

  const admin = (path: string, init: RequestInit & { json?: unknown } = {}) => call(PLATFORM_HOST, path, authed(su.access_token, init));

  it("is for superusers on the platform host only", async () => {
    await expectProblem(await call(PLATFORM_HOST, "/api/platform/tenants"), 401);
    const plain = await login(PLATFORM_HOST, (await createUser()).email);
    await expectProblem(await call(PLATFORM_HOST, "/api/platform/tenants", authed(plain.access_token)), 403);
    const owner = await member(t.a.id, "owner");
    const tenantToken = await login(t.a.domain, owner.email);
    await expectProblem(await call(PLATFORM_HOST, "/api/platform/tenants", authed(tenantToken.access_token)), 401);
    await expectProblem(await call(t.a.domain, "/api/platform/tenants", authed(tenantToken.access_token)), 404);
  });

  it("creates a tenant with the provisioning code: schema, primary domain, lifecycle; the host works at once", async () => {
    const slug = uniqueSlug("api");
    const domain = `${slug}.bookme.test`;
    expect((await call(domain, "/api/tenant")).status).toBe(404); // now cached as unknown
    const res = await admin("/api/platform/tenants", {
      method: "POST",
      json: { slug, name: "Salon API", domain: domain.toUpperCase(), contact_email: " Boss@Salon.MA " },
    });
    expect(res.status).toBe(201);
    const tenant = await json(res);
    created.push({ ...tenant, schemaName: `tenant_${slug}` });
    expect(tenant).toMatchObject({ slug, status: "active", primary_domain: domain, contact_email: "boss@salon.ma", member_count: 0 });
    expect(tenant.migration).toMatchObject({ behind: false });
    expect(tenant.domains).toEqual([expect.objectContaining({ domain, is_primary: true })]);
    expect(await sql(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [`tenant_${slug}`])).toHaveLength(1);
    expect((await json(await call(domain, "/api/tenant"))).slug).toBe(slug);

    await expectProblem(
      await admin("/api/platform/tenants", {
        method: "POST",
        json: { slug, name: "Again", domain: `x${domain}`, contact_email: "a@b.ma" },
      }),
      409,
    );
    const invalid = await expectProblem(
      await admin("/api/platform/tenants", {
        method: "POST",
        json: { slug: "Bad Slug", name: "X", domain: "nope", contact_email: "a@b.ma", time_zone: "Mars/Olympus" },
      }),
      422,
    );
    // provisionTenant's own checks still name the body's snake_case keys.
    expect(invalid.errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(["slug", "time_zone"]));
    const badEmail = await expectProblem(
      await admin("/api/platform/tenants", {
        method: "POST",
        json: {
          slug: uniqueSlug("x"),
          name: "X",
          domain: `${uniqueSlug("x")}.bookme.test`,
          contactEmail: "a@b.ma",
          contact_email: "no-at-sign",
        },
      }),
      422,
    );
    // The old camelCase key is refused as unknown, not silently accepted.
    expect(badEmail.errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(["contact_email", "contactEmail"]));
    await expectProblem(
      await admin("/api/platform/tenants", {
        method: "POST",
        json: { slug: uniqueSlug("x"), name: "X", domain: `${uniqueSlug("x")}.bookme.test`, contact_email: "a@b.ma", status: "suspended" },
      }),
      422,
    );
  });

  it("lists and searches tenants with filters, ordering and pages, and gets one by id", async () => {
    const found = await json(await admin(`/api/platform/tenants?search=${t.a.slug.toUpperCase()}`));
    expect(found.count).toBe(1);
    expect(found.results[0]).toMatchObject({ id: t.a.id, slug: t.a.slug, primary_domain: t.a.domain });
    const page = await json(await admin("/api/platform/tenants?status=active&ordering=slug&page_size=1"));
    expect(page.results).toHaveLength(1);
    expect(page.count).toBeGreaterThanOrEqual(2);
    expect(page.next).toContain("page=2");
    await expectProblem(await admin("/api/platform/tenants?status=deleted"), 422);
    const one = await json(await admin(`/api/platform/tenants/${t.b.id}`));
    expect(one).toMatchObject({ id: t.b.id, slug: t.b.slug });
    await expectProblem(await admin(`/api/platform/tenants/${crypto.randomUUID()}`), 404);
  });

  it("suspends a tenant at once (403 on its host), archives it (410) and reactivates it, logging each change", async () => {
    expect((await call(t.b.domain, "/api/tenant")).status).toBe(200); // warm the KV entry
    const suspend = await admin(`/api/platform/tenants/${t.b.id}/status`, {
      method: "POST",
      json: { status: "suspended", reason: "unpaid invoice" },
    });
    expect(suspend.status).toBe(200);
    const summary = await json(suspend);
    expect(summary.status).toBe("suspended");
    const {
      domains: _d,
      migration: _m,
      member_count: _n,
      whatsapp: _w,
      ...detail
    } = await json(await admin(`/api/platform/tenants/${t.b.id}`));
    expect(summary).toEqual(detail);
    expect(summary.primary_domain).toBe(t.b.domain);
    await expectProblem(await call(t.b.domain, "/api/tenant"), 403);
    await admin(`/api/platform/tenants/${t.b.id}/status`, { method: "POST", json: { status: "archived", reason: "closed the business" } });
    await expectProblem(await call(t.b.domain, "/api/tenant"), 410);
    const reactivate = await countRoundTrips(async () =>
      expect(
        (await admin(`/api/platform/tenants/${t.b.id}/status`, { method: "POST", json: { status: "active", reason: "paid" } })).status,
      ).toBe(200),
    );
    expect(reactivate).toEqual({ connections: 0, flights: 1, httpRequests: 1 });
    expect((await call(t.b.domain, "/api/tenant")).status).toBe(200);

    const log = await json(await admin(`/api/platform/tenants/${t.b.id}/lifecycle`));
    const changes = log.results.filter((e: any) => e.event === "status_changed").map((e: any) => e.detail);
    expect(changes.slice(0, 3)).toEqual([
      { from: "archived", to: "active", reason: "paid" },
      { from: "suspended", to: "archived", reason: "closed the business" },
      { from: "active", to: "suspended", reason: "unpaid invoice" },
    ]);
    expect(log.results.at(-1).event).toBe("created");
    expect(log.results[0].actor).toMatch(/^user:/);
    await expectProblem(
      await admin(`/api/platform/tenants/${t.b.id}/status`, { method: "POST", json: { status: "gone", reason: "" } }),
      422,
    );
  });

  it("adds a domain, makes it primary, refuses to remove the primary and removes the old one, invalidating KV", async () => {
    const extra = `${uniqueSlug("alias")}.bookme.test`;
    expect((await call(extra, "/api/tenant")).status).toBe(404); // cached as unknown
    const add = await admin(`/api/platform/tenants/${t.a.id}/domains`, { method: "POST", json: { domain: extra } });
    expect(add.status).toBe(201);
    const domain = await json(add);
    expect(domain).toMatchObject({ domain: extra, is_primary: false });
    expect((await json(await call(extra, "/api/tenant"))).slug).toBe(t.a.slug);
    await expectProblem(await admin(`/api/platform/tenants/${t.b.id}/domains`, { method: "POST", json: { domain: extra } }), 409);
    await expectProblem(await admin(`/api/platform/tenants/${t.a.id}/domains`, { method: "POST", json: { domain: "localhost" } }), 422);

    const primary = await json(await admin(`/api/platform/tenants/${t.a.id}/domains/${domain.id}/primary`, { method: "POST" }));
    expect(primary.results.filter((d: any) => d.is_primary).map((d: any) => d.domain)).toEqual([extra]);
    await expectProblem(await admin(`/api/platform/tenants/${t.a.id}/domains/${domain.id}`, { method: "DELETE" }), 409);
    // Another tenant's domain id is not found through this tenant.
    const bDomains = await json(await admin(`/api/platform/tenants/${t.b.id}/domains`));
    await expectProblem(await admin(`/api/platform/tenants/${t.a.id}/domains/${bDomains.results[0].id}`, { method: "DELETE" }), 404);

    const old = primary.results.find((d: any) => d.domain === t.a.domain);
    expect((await call(t.a.domain, "/api/tenant")).status).toBe(200); // warm
    expect((await admin(`/api/platform/tenants/${t.a.id}/domains/${old.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await env.TENANT_CACHE.get(`host:v1:${t.a.domain}`)).toBeNull();
    expect((await call(t.a.domain, "/api/tenant")).status).toBe(404);

    // Restore the original domain as primary for the rest of the file.
    const back = await json(
      await admin(`/api/platform/tenants/${t.a.id}/domains`, { method: "POST", json: { domain: t.a.domain, primary: true } }),
    );
    expect(back.is_primary).toBe(true);
    const primaries = await sql(`SELECT domain FROM tenant_domains WHERE tenant_id = $1 AND is_primary`, [t.a.id]);
    expect(primaries).toEqual([{ domain: t.a.domain }]);
    const events = (await json(await admin(`/api/platform/tenants/${t.a.id}/lifecycle`))).results.map((e: any) => e.event);
    expect(events).toEqual(expect.arrayContaining(["domain_added", "primary_domain_changed", "domain_removed"]));
  });

  it("edits domains in one HTTP round trip each (no connection), serialised on the tenant row", async () => {
    const base = `/api/platform/tenants/${t.b.id}/domains`;
    const one = { connections: 0, flights: 1, httpRequests: 1 };
    const aliases = [`${uniqueSlug("x")}.bookme.test`, `${uniqueSlug("y")}.bookme.test`];
    const added: { id: string; domain: string }[] = [];
    for (const domain of aliases) {
      const counts = await countRoundTrips(async () => {
        const res = await admin(base, { method: "POST", json: { domain } });
        expect(res.status).toBe(201);
        added.push(await json(res));
      });
      expect(counts).toEqual(one);
    }
    // Two set-primary calls at once: both succeed one after the other, and exactly one domain is primary.
    const [r1, r2] = await Promise.all(added.map((d) => admin(`${base}/${d.id}/primary`, { method: "POST" })));
    expect([r1.status, r2.status]).toEqual([200, 200]);
    const primaries = await sql<{ domain: string }>(`SELECT domain FROM tenant_domains WHERE tenant_id = $1 AND is_primary`, [t.b.id]);
    expect(primaries).toHaveLength(1);
    expect(aliases).toContain(primaries[0].domain);
    const original = (await json(await admin(base))).results.find((d: any) => d.domain === t.b.domain);
    expect(
      await countRoundTrips(async () => expect((await admin(`${base}/${original.id}/primary`, { method: "POST" })).status).toBe(200)),
    ).toEqual(one);
    for (const d of added) {
      expect(await countRoundTrips(async () => expect((await admin(`${base}/${d.id}`, { method: "DELETE" })).status).toBe(204))).toEqual(
        one,
      );
    }
    expect((await json(await admin(base))).results).toEqual([expect.objectContaining({ domain: t.b.domain, is_primary: true })]);
    const unknown = crypto.randomUUID();
    await expectProblem(
      await admin(`/api/platform/tenants/${unknown}/domains`, { method: "POST", json: { domain: `${uniqueSlug("z")}.bookme.test` } }),
      404,
    );
    await expectProblem(await admin(`/api/platform/tenants/${unknown}/domains/${added[0].id}/primary`, { method: "POST" }), 404);
    await expectProblem(await admin(`${base}/${unknown}/primary`, { method: "POST" }), 404);
  });

  it("invites a tenant's first owner, who accepts on the tenant's host and can manage members", async () => {
    const email = `${uniqueSlug("first")}@example.ma`;
    const res = await admin(`/api/platform/tenants/${t.b.id}/invitations`, { method: "POST", json: { email } });
    expect(res.status).toBe(201);
    const invitation = await json(res);
    expect(invitation.role).toBe("owner");
    expect(new URL(invitation.accept_url).host).toBe(t.b.domain);
    const accepted = await call(t.b.domain, "/api/invitations/accept", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: invitation.token, password: "First-Owner-1" }),
    });
    expect(accepted.status).toBe(201);
    const owner = await login(t.b.domain, email, "First-Owner-1");
    expect(owner.role).toBe("owner");
    expect((await call(t.b.domain, "/api/memberships", authed(owner.access_token))).status).toBe(200);
    await expectProblem(await admin(`/api/platform/tenants/${crypto.randomUUID()}/invitations`, { method: "POST", json: { email } }), 404);
  });

  it("shows a tenant's migration state", async () => {
    const state = await json(await admin(`/api/platform/tenants/${t.a.id}/migrations`));
    expect(state).toMatchObject({ behind: false, failed_attempts: 0, last_error: null });
    expect(state.version).toBe(state.latest_version);
    await expectProblem(await admin(`/api/platform/tenants/${crypto.randomUUID()}/migrations`), 404);
  });
});

describe("OpenAPI document", () => {
  it("describes the auth, membership and admin routes with bearerAuth security", async () => {
    const doc = await json(await call(PLATFORM_HOST, "/api/schema"));
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    for (const path of ["/api/auth/login", "/api/auth/refresh", "/api/auth/logout", "/api/invitations/accept"]) {
      expect(doc.paths[path]?.post, path).toBeDefined();
    }
    const secured: [string, string][] = [
      ["/api/auth/me", "get"],
      ["/api/memberships", "get"],
      ["/api/memberships/{id}", "patch"],
      ["/api/invitations", "post"],
      ["/api/platform/tenants", "post"],
      ["/api/platform/tenants", "get"],
      ["/api/platform/tenants/{id}", "get"],
      ["/api/platform/tenants/{id}/status", "post"],
      ["/api/platform/tenants/{id}/domains", "post"],
      ["/api/platform/tenants/{id}/domains/{domainId}/primary", "post"],
      ["/api/platform/tenants/{id}/domains/{domainId}", "delete"],
      ["/api/platform/tenants/{id}/lifecycle", "get"],
      ["/api/platform/tenants/{id}/migrations", "get"],
    ];
    for (const [path, method] of secured) {
      expect(doc.paths[path]?.[method]?.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
    }
    expect(JSON.stringify(doc.components.schemas.User)).not.toMatch(/password/i);
  });
});
