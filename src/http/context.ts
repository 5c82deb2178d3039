/**
 * Per-request services: checked config and a lazily opened database
 * connection that is closed after the response via `waitUntil`.
 */
import { createMiddleware } from "hono/factory";
import { LazyDatabase } from "../db/client";
import { loadConfig } from "../env";
import type { AppEnv } from "./types";

export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const config = loadConfig(c.env);
  const database = new LazyDatabase({
    databaseUrl: config.DATABASE_URL,
    proxy: config.DB_PROXY,
    httpEndpoint: config.DB_HTTP_ENDPOINT,
    queryPath: config.DB_QUERY_PATH,
  });
  c.set("config", config);
  c.set("database", database);
  try {
    await next();
  } finally {
    if (database.opened) {
      const closing = database.close();
      try {
        c.executionCtx.waitUntil(closing);
      } catch {
        await closing; // no execution context (e.g. app.request in a unit test)
      }
    }
  }
});
