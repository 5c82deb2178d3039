import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { invalidateHosts } from "../src/tenancy/host-cache";
import { call, countRoundTrips, json, PLATFORM_HOST, sql, useTenants, uniqueSlug } from "./harness";

describe("tenant resolution from the Host header", () => {
  const t = useTenants();

  it("serves each tenant's profile on its own domain", async () => {
    const resA = await call(t.a.domain, "/api/tenant");
    expect(resA.status).toBe(200);
    expect(await json(resA)).toMatchObject({ slug: t.a.slug, name: t.a.name, time_zone: "Africa/Casablanca", currency: "MAD" });
    const resB = await json(await call(t.b.domain, "/api/tenant"));
    expect(resB.slug).toBe(t.b.slug);
  });

  it("ignores the port and letter case of the Host header", async () => {
    const res = await call(`${t.a.domain.toUpperCase()}:8787`, "/api/tenant");
    expect(res.status).toBe(200);
    expect((await json(res)).slug).toBe(t.a.slug);
  });

  it("answers an unknown host with 404 problem+json", async () => {
    const res = await call("nobody.bookme.test", "/api/tenant");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = await json(res);
    expect(body).toMatchObject({ status: 404, code: "tenant_not_found", title: "Unknown host" });
    expect(body.type).toMatch(/^https:\/\//);
    expect(body.request_id).toBeTruthy();
  });

  it("resolves a cached host with zero database round trips", async () => {
    await call(t.a.domain, "/api/tenant"); // warm the KV entry
    const counts = await countRoundTrips(async () => {
      const res = await call(t.a.domain, "/api/tenant");
      expect(res.status).toBe(200);
    });
    expect(counts).toEqual(expect.objectContaining({ connections: 0, flights: 0 }));
  });

  it("resolves a cache miss with one HTTP round trip, no connection, and writes the result back to KV", async () => {
    await invalidateHosts(env.TENANT_CACHE, [t.a.domain]);
    const counts = await countRoundTrips(() => call(t.a.domain, "/api/tenant"));
    expect(counts).toEqual({ connections: 0, flights: 1, httpRequests: 1 });
    expect(await env.TENANT_CACHE.get(`host:v1:${t.a.domain}`, "json")).toMatchObject({ tenant: { id: t.a.id } });
  });

  it("caches unknown hosts negatively, then finds a domain added later once invalidated", async () => {
    const newDomain = `${uniqueSlug("new")}.bookme.test`;
    expect((await call(newDomain, "/api/tenant")).status).toBe(404);
    expect(await env.TENANT_CACHE.get(`host:v1:${newDomain}`, "json")).toEqual({ missing: true });
    const counts = await countRoundTrips(() => call(newDomain, "/api/tenant"));
    expect(counts.connections).toBe(0);

    await sql(`INSERT INTO tenant_domains (tenant_id, domain, is_primary) VALUES ($1, $2, false)`, [t.b.id, newDomain]);
    expect((await call(newDomain, "/api/tenant")).status).toBe(404); // still the cached answer
    await invalidateHosts(env.TENANT_CACHE, [newDomain]);
    const res = await call(newDomain, "/api/tenant");
    expect(res.status).toBe(200);
    expect((await json(res)).slug).toBe(t.b.slug);
  });

  it("picks up a changed domain after invalidation", async () => {
    const oldDomain = `${uniqueSlug("old")}.bookme.test`;
    const renamed = `${uniqueSlug("renamed")}.bookme.test`;
    await sql(`INSERT INTO tenant_domains (tenant_id, domain) VALUES ($1, $2)`, [t.b.id, oldDomain]);
    expect((await call(oldDomain, "/api/tenant")).status).toBe(200);
    await sql(`UPDATE tenant_domains SET domain = $2 WHERE domain = $1`, [oldDomain, renamed]);
    await invalidateHosts(env.TENANT_CACHE, [oldDomain, renamed]);
    expect((await call(oldDomain, "/api/tenant")).status).toBe(404);
    expect((await json(await call(renamed, "/api/tenant"))).slug).toBe(t.b.slug);
  });

  it("refuses a suspended tenant with 403 and an archived one with 410", async () => {
    await sql(`UPDATE tenants SET status = 'suspended' WHERE id = $1`, [t.b.id]);
    await invalidateHosts(env.TENANT_CACHE, [t.b.domain]);
    const suspended = await call(t.b.domain, "/api/tenant");
    expect(suspended.status).toBe(403);
    expect(await json(suspended)).toMatchObject({ code: "tenant_suspended", status: 403 });

    await sql(`UPDATE tenants SET status = 'archived' WHERE id = $1`, [t.b.id]);
    await invalidateHosts(env.TENANT_CACHE, [t.b.domain]);
    const archived = await call(t.b.domain, "/api/tenant");
    expect(archived.status).toBe(410);
    expect(await json(archived)).toMatchObject({ code: "tenant_archived" });

    await sql(`UPDATE tenants SET status = 'active' WHERE id = $1`, [t.b.id]);
    await invalidateHosts(env.TENANT_CACHE, [t.b.domain]);
    expect((await call(t.b.domain, "/api/tenant")).status).toBe(200);
  });

  it("does not serve tenant endpoints on the platform host", async () => {
    const res = await call(PLATFORM_HOST, "/api/tenant");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });
});
