/**
 * Decides, from the Host header alone, whether a request is for the platform
 * or for a tenant, and refuses unknown, suspended and archived tenants.
 */
import { createMiddleware } from "hono/factory";
import { ApiError } from "../http/problem";
import { describeGuard } from "../http/route-meta";
import type { AppEnv } from "../http/types";
import { normaliseHost } from "./naming";
import { resolveHost } from "./resolve";

export const resolveTenant = createMiddleware<AppEnv>(async (c, next) => {
  const host = normaliseHost(c.req.header("host") ?? new URL(c.req.url).host);
  const config = c.get("config");
  const database = c.get("database");
  const resolution = await resolveHost(host, {
    kv: c.env.TENANT_CACHE,
    platformHosts: config.platformHosts,
    db: () => database.http,
  });
  if (resolution.kind === "platform") {
    c.set("hostKind", "platform");
    c.set("tenant", null);
    return next();
  }
  if (resolution.kind === "unknown") {
    throw new ApiError("tenant_not_found", `No business is served at ${host || "this host"}.`);
  }
  const { tenant } = resolution;
  if (tenant.status === "suspended") {
    throw new ApiError("tenant_suspended", `${tenant.name} is temporarily unavailable: the account is suspended.`);
  }
  if (tenant.status === "archived") {
    throw new ApiError("tenant_archived", `${tenant.name} no longer takes bookings here: the account was closed.`);
  }
  c.set("hostKind", "tenant");
  c.set("tenant", tenant);
  return next();
});

export const requireTenantHost = describeGuard(
  createMiddleware<AppEnv>(async (c, next) => {
    if (c.get("hostKind") !== "tenant") {
      throw new ApiError("not_found", "This endpoint is served on a business's own domain.");
    }
    return next();
  }),
  { "x-host": "tenant" },
);

export const requirePlatformHost = describeGuard(
  createMiddleware<AppEnv>(async (c, next) => {
    if (c.get("hostKind") !== "platform") {
      throw new ApiError("not_found", "This endpoint is served on the platform host only.");
    }
    return next();
  }),
  { "x-host": "platform" },
);
