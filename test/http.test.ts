import { describe, expect, it } from "vitest";
import { call, countRoundTrips, json, PLATFORM_HOST, useTenants } from "./harness";

describe("HTTP basics", () => {
  const t = useTenants();

  it("answers /health on any host without touching the database", async () => {
    const counts = await countRoundTrips(async () => {
      for (const host of ["unknown.bookme.test", PLATFORM_HOST, t.a.domain]) {
        const res = await call(host, "/health");
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ status: "ok" });
      }
    });
    expect(counts.connections).toBe(0);
  });

  it("serves the OpenAPI 3.1 document and Swagger UI on every host", async () => {
    for (const host of [t.a.domain, PLATFORM_HOST, "unknown.bookme.test"]) {
      const doc = await json(await call(host, "/api/schema"));
      expect(doc.openapi).toBe("3.1.0");
      expect(doc.paths["/api/tenant"]).toBeDefined();
      expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
      const ui = await call(host, "/api/schema/swagger");
      expect(ui.status).toBe(200);
      expect(ui.headers.get("content-type")).toMatch(/text\/html/);
    }
  });

  it("documents snake_case field names only, in bodies, responses and query parameters", async () => {
    const doc = await json<any>(await call(PLATFORM_HOST, "/api/schema"));
    const camel: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}[${i}]`));
      if (!node || typeof node !== "object") return;
      for (const [key, value] of Object.entries(node)) {
        if (key === "properties" && value && typeof value === "object") {
          for (const name of Object.keys(value)) if (/[a-z][A-Z]/.test(name)) camel.push(`${where}.${name}`);
        }
        if (key === "parameters" && Array.isArray(value)) {
          for (const p of value) if (p?.in === "query" && /[a-z][A-Z]/.test(p.name)) camel.push(`${where}?${p.name}`);
        }
        walk(value, `${where}.${key}`);
      }
    };
    walk(doc.paths, "paths");
    walk(doc.components?.schemas, "schemas");
    expect(camel).toEqual([]);
    expect(Object.keys(doc.components.schemas.TokenPair.properties)).toEqual(
      expect.arrayContaining(["access_token", "refresh_token", "expires_in", "token_type", "is_superuser"]),
    );
    expect(Object.keys(doc.components.schemas.TenantProfile.properties)).toContain("time_zone");
  });

  it("answers an unknown route with a 404 problem, not HTML", async () => {
    const res = await call(t.a.domain, "/api/no-such-thing");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await json(res)).toMatchObject({ status: 404, code: "not_found", instance: "/api/no-such-thing" });
  });

  it("refuses malformed JSON with a 400 problem", async () => {
    const res = await call(PLATFORM_HOST, "/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"email": "a@b.ma", "password": ',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = await json(res);
    expect(body).toMatchObject({ status: 400, code: "bad_request", detail: "The request body is not valid JSON." });
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts|stack/i);
  });

  it("refuses an oversized body with a 413 problem before reading it", async () => {
    const res = await call(t.a.domain, "/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "a@b.ma", password: "x".repeat(20_000) }),
    });
    expect(res.status).toBe(413);
    expect(await json(res)).toMatchObject({ status: 413, code: "payload_too_large" });
  });

  it("lists every invalid field of a well-formed body in one 422 problem", async () => {
    const res = await call(PLATFORM_HOST, "/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: 42 }),
    });
    expect(res.status).toBe(422);
    const body = await json(res);
    expect(body.code).toBe("validation_failed");
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(["email", "password"]);
  });

  it("ignores a stale bearer token on routes that need no login", async () => {
    const stale = { authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c3RhbGU" };
    const res = await call(t.a.domain, "/api/tenant", { headers: stale });
    expect(res.status).toBe(200);
    expect((await json(res)).slug).toBe(t.a.slug);
  });

  it("echoes a request id in the header and the problem body", async () => {
    const res = await call("unknown.bookme.test", "/api/tenant", { headers: { "x-request-id": "req-test-123" } });
    expect(res.headers.get("x-request-id")).toBe("req-test-123");
    expect((await json(res)).request_id).toBe("req-test-123");
  });
});
