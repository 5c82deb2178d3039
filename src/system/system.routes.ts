import { createRoute, z } from "@hono/zod-openapi";
import { publicGuard } from "../auth/guards";
import { jsonContent, tenantHostErrors } from "../http/schemas";

export const health = createRoute({
  method: "get",
  path: "/health",
  tags: ["System"],
  summary: "Liveness; never touches the database",
  responses: {
    200: jsonContent(z.object({ status: z.literal("ok") }), "Alive"),
  },
});

export const TenantProfileSchema = z
  .object({
    slug: z.string(),
    name: z.string(),
    time_zone: z.string(),
    locale: z.string(),
    currency: z.string(),
  })
  .openapi("TenantProfile");

export const currentTenant = createRoute({
  method: "get",
  path: "/api/tenant",
  tags: ["Tenant"],
  summary: "The business served at this host",
  middleware: publicGuard,
  responses: {
    200: jsonContent(TenantProfileSchema, "Tenant profile"),
    ...tenantHostErrors,
  },
});
