/**
 * Bare baselines for `npm run bench` (issue 11): `select 1` through each
 * database path, with no tenant resolution, so every ratio in bench/RESULTS.md
 * is against the physical limit of its path. Hidden from the OpenAPI document
 * and answering 404 unless the Worker has BENCH_BASELINES=on (the bench sets it;
 * production never does).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { requestContext } from "../http/context";
import { ApiError } from "../http/problem";
import { jsonContent } from "../http/schemas";
import type { AppEnv } from "../http/types";

const onlyWhenEnabled = createMiddleware<AppEnv>(async (c, next) => {
  if (c.env.BENCH_BASELINES !== "on") throw new ApiError("not_found", "No such route.");
  await next();
});

const SelectOneSchema = z.object({ path: z.enum(["http", "websocket"]), one: z.number().int() });

export const selectOneHttp = createRoute({
  method: "get",
  path: "/ops/baseline/http",
  hide: true,
  summary: "`select 1` on the request's query handle (`database.http`; a per-request WebSocket when DB_QUERY_PATH=websocket)",
  middleware: [onlyWhenEnabled, requestContext] as const,
  responses: { 200: jsonContent(SelectOneSchema, "One row") },
});

export const selectOneWebSocket = createRoute({
  method: "get",
  path: "/ops/baseline/websocket",
  hide: true,
  summary: "`select 1` over the request's WebSocket connection (`database.client()`), opened and closed per request",
  middleware: [onlyWhenEnabled, requestContext] as const,
  responses: { 200: jsonContent(SelectOneSchema, "One row") },
});
