/** Issue 14: the embeddable booking page — frame-ancestors per business, only for framed requests; /embed.js. */
import { describe, expect, it } from "vitest";
import { quoteSchema } from "../src/tenancy/naming";
import { call, sql, useTenants } from "./harness";

const tenants = useTenants();
const framed = { headers: { "sec-fetch-dest": "iframe" } };

describe("embeddable booking page", () => {
  it("a framed request gets frame-ancestors for the business's listed origins only, and the resize script", async () => {
    const a = tenants.a;
    await sql(
      `INSERT INTO ${quoteSchema(a.schemaName)}.settings (id, embed_origins) VALUES (1, $1::text[])
       ON CONFLICT (id) DO UPDATE SET embed_origins = EXCLUDED.embed_origins`,
      [["http://127.0.0.1:8961", "https://salon.example", "javascript:alert(1)"]],
    );
    const res = await call(a.domain, "/", framed);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("frame-ancestors 'self' http://127.0.0.1:8961 https://salon.example;");
    expect(csp).not.toContain("javascript");
    expect(res.headers.get("x-frame-options")).toBeNull();
    expect(res.headers.get("x-bookme-frame-ancestors")).toBeNull();
    const body = await res.text();
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1]!;
    expect(body).toContain(`<script nonce="${nonce}">(function(){function h(){parent.postMessage({type:"bookme:height"`);

    // The same page opened normally (a plain link) keeps refusing frames, without a settings query.
    const plain = await call(a.domain, "/");
    expect(plain.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(plain.headers.get("x-frame-options")).toBe("DENY");
    expect(await plain.text()).not.toContain("bookme:height");
  });

  it("a business without listed origins is never framed; the API never", async () => {
    const res = await call(tenants.b.domain, "/", framed);
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    const api = await call(tenants.a.domain, "/api/health", framed);
    expect(api.headers.get("content-security-policy") ?? "").not.toContain("127.0.0.1:8961");
  });

  it("serves /embed.js: a Book button or an inline frame that resizes on the page's message", async () => {
    const res = await call(tenants.a.domain, "/embed.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/javascript");
    const js = await res.text();
    expect(js).toContain('createElement("iframe")');
    expect(js).toContain("bookme:height");
    expect(js).toContain("e.origin === origin");
  });
});
