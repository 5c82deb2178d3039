/**
 * Security headers on every kind of response, and Swagger UI served from the
 * Worker's own static assets (no CDN).
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { daysAhead, postJson, seedCatalogue, slotsOn } from "./fixtures/booking";
import { call, json, PLATFORM_HOST, useTenants } from "./harness";

const HTML = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };

function expectBaseline(res: Response) {
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("referrer-policy")).toBe("no-referrer");
}

/** A page's CSP allows only its own nonced inline <style>/<script>, and the page has no other inline code. */
async function expectNoncedPage(res: Response) {
  expectBaseline(res);
  expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  const csp = res.headers.get("content-security-policy") ?? "";
  const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
  expect(nonce, csp).toBeTruthy();
  expect(csp).toContain(`style-src 'nonce-${nonce}'`);
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("unsafe-inline");
  const page = await res.text();
  const tags = [...page.matchAll(/<(script|style)\b([^>]*)>/g)];
  expect(tags.length).toBeGreaterThan(0);
  for (const [tag, , attrs] of tags) expect(attrs, tag).toContain(`nonce="${nonce}"`);
  expect(page).not.toMatch(/\sstyle="/); // style attributes cannot carry a nonce
  expect(page).not.toMatch(/\son[a-z]+="/); // nor can event handler attributes
  return nonce!;
}

async function fetchWith(overrides: Record<string, string>, url: string): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await createApp().fetch(new Request(url), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("security headers", () => {
  const t = useTenants();

  it("sends a nonce CSP on the booking pages, a fresh nonce each time", async () => {
    const cat = await seedCatalogue(t.a);
    const first = await expectNoncedPage(await call(t.a.domain, "/", { headers: HTML }));
    const second = await expectNoncedPage(await call(t.a.domain, "/", { headers: HTML }));
    expect(first).not.toBe(second);
    await expectNoncedPage(await call(t.a.domain, `/?service=${cat.serviceId}&staff=any`, { headers: HTML }));
    await expectNoncedPage(await call(t.a.domain, `/?lang=ar`, { headers: HTML }));
  });

  it("sends a nonce CSP on the manage pages", async () => {
    const cat = await seedCatalogue(t.a);
    const [slot] = await slotsOn(t.a.domain, cat.serviceId, daysAhead(30), cat.staffA.id);
    const booked = await postJson(t.a.domain, "/api/public/bookings", {
      service_id: cat.serviceId,
      staff_id: cat.staffA.id,
      start: slot!.start,
      customer: { name: "Header Check", email: "headers@check.ma" },
    });
    expect(booked.status).toBe(201);
    const { token } = (await json(booked)).manage;
    await expectNoncedPage(await call(t.a.domain, `/manage/${token}`, { headers: HTML }));
    await expectNoncedPage(await call(t.a.domain, `/manage/${token}/cancel`, { headers: HTML }));
  });

  it("sends a nonce CSP on the error pages (missing page, bad link, unknown host)", async () => {
    const missing = await call(t.a.domain, "/no-such-page", { headers: HTML });
    expect(missing.status).toBe(404);
    await expectNoncedPage(missing);
    const badLink = await call(t.a.domain, "/manage/not-a-token", { headers: HTML });
    expect(badLink.status).toBe(404);
    await expectNoncedPage(badLink);
    const unknown = await call("nobody-here.bookme.test", "/", { headers: HTML });
    expect(unknown.status).toBe(404);
    await expectNoncedPage(unknown);
  });

  it("sends nosniff, no-referrer and a deny-all CSP on API answers, errors included", async () => {
    for (const res of [
      await call(t.a.domain, "/api/tenant"),
      await call(t.a.domain, "/api/no-such-thing"),
      await call(t.a.domain, "/api/bookings"),
      await call(PLATFORM_HOST, "/health"),
      await call(PLATFORM_HOST, "/api/schema"),
    ]) {
      expectBaseline(res);
      expect(res.headers.get("content-security-policy")).toBe(
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      );
    }
  });

  it("sends HSTS in production only", async () => {
    expect((await call(t.a.domain, "/api/tenant")).headers.get("strict-transport-security")).toBeNull();
    expect((await call(t.a.domain, "/", { headers: HTML })).headers.get("strict-transport-security")).toBeNull();
    const prod = await fetchWith({ APP_ENV: "production" }, `http://${t.a.domain}/api/tenant`);
    expect(prod.headers.get("strict-transport-security")).toBe("max-age=63072000");
    const prodPage = await fetchWith({ APP_ENV: "production" }, `http://${t.a.domain}/no-such-page`);
    expect(prodPage.headers.get("strict-transport-security")).toBe("max-age=63072000");
  });
});

describe("Swagger UI", () => {
  it("loads only same-origin code: no CDN, no inline script", async () => {
    const res = await call(PLATFORM_HOST, "/api/schema/swagger");
    expect(res.status).toBe(200);
    expectBaseline(res);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|https?:)/);
    const page = await res.text();
    const sources = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.sort()).toEqual([
      "/api/schema/swagger-ui/init.js",
      "/api/schema/swagger-ui/swagger-ui-bundle.js",
      "/api/schema/swagger-ui/swagger-ui.css",
    ]);
    expect(page).not.toMatch(/<script>[^<]/);
  });

  // The pool's SELF does not route to static assets (vitest-pool-workers ≥ 0.13), so ask the ASSETS binding,
  // which serves exactly what the edge serves before the Worker; wrangler dev serves the same paths.
  const asset = (path: string) => (env as unknown as { ASSETS: Fetcher }).ASSETS.fetch(`http://any.bookme.test${path}`);

  it("serves the pinned swagger-ui-dist files from the Worker's static assets", async () => {
    const pinned = (await import("swagger-ui-dist/package.json")).version as string;
    expect(pinned).toBe("5.35.0");
    const bundle = await asset("/api/schema/swagger-ui/swagger-ui-bundle.js");
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toMatch(/javascript/);
    expect(bundle.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await bundle.text()).toContain("SwaggerUIBundle");
    const css = await asset("/api/schema/swagger-ui/swagger-ui.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toMatch(/text\/css/);
    await css.arrayBuffer();
    const init = await asset("/api/schema/swagger-ui/init.js");
    expect(await init.text()).toContain('url: "/api/schema"');
  });
});
