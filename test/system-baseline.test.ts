import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { call, countRoundTrips, json, PLATFORM_HOST } from "./harness";

// The bench's bare `select 1` routes (src/system/baseline.routes.ts).
const app = createApp();
const get = (path: string, extra: Record<string, string> = {}) =>
  app.request(`http://bench.unknown.test${path}`, {}, { ...env, BENCH_BASELINES: "on", ...extra });

describe("bench baselines", () => {
  it("answer 404 unless BENCH_BASELINES=on", async () => {
    for (const path of ["/ops/baseline/http", "/ops/baseline/websocket"]) {
      expect((await call(PLATFORM_HOST, path)).status).toBe(404);
    }
  });

  it("are not in the OpenAPI document", async () => {
    const doc = await json<{ paths: Record<string, unknown> }>(await call(PLATFORM_HOST, "/api/schema"));
    expect(Object.keys(doc.paths).filter((p) => p.startsWith("/ops/"))).toEqual([]);
  });

  it("run `select 1` in one HTTP request on any host, with no tenant lookup", async () => {
    let body: unknown;
    const cost = await countRoundTrips(async () => {
      const res = await get("/ops/baseline/http");
      expect(res.status).toBe(200);
      body = await res.json();
    });
    expect(body).toEqual({ path: "http", one: 1 });
    expect(cost).toEqual({ connections: 0, flights: 1, httpRequests: 1 });
  });

  it("run `select 1` over a WebSocket opened for the request", async () => {
    let body: unknown;
    const cost = await countRoundTrips(async () => {
      const res = await get("/ops/baseline/websocket");
      expect(res.status).toBe(200);
      body = await res.json();
    });
    expect(body).toEqual({ path: "websocket", one: 1 });
    expect(cost.connections).toBe(1);
    expect(cost.httpRequests).toBe(0);
  });

  it("take the old per-request WebSocket path on the query handle when DB_QUERY_PATH=websocket", async () => {
    const cost = await countRoundTrips(async () => {
      const res = await get("/ops/baseline/http", { DB_QUERY_PATH: "websocket" });
      expect(await res.json()).toEqual({ path: "http", one: 1 });
    });
    expect(cost.connections).toBe(1);
    expect(cost.httpRequests).toBe(0);
  });
});
