import { createRouter } from "../http/router";
import { requireTenantHost } from "../tenancy/middleware";
import { currentTenant, health } from "./system.routes";

export const healthRouter = createRouter().openapi(health, (c) => c.json({ status: "ok" as const }, 200));

export const tenantInfoRouter = createRouter();
tenantInfoRouter.use("/api/tenant", requireTenantHost);
tenantInfoRouter.openapi(currentTenant, (c) => {
  const { slug, name, timeZone, locale, currency } = c.get("tenant")!;
  return c.json({ slug, name, time_zone: timeZone, locale, currency }, 200);
});
