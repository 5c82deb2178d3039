import { createRoute, z } from "@hono/zod-openapi";
import { tenantHostErrors } from "../http/schemas";

export const health = createRoute({
  method: "get",
  path: "/health",
  tags: ["System"],
  summary: "Liveness; never touches the database",
  responses: {
    200: { description: "Alive", content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } } },
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
  responses: {
    200: { description: "Tenant profile", content: { "application/json": { schema: TenantProfileSchema } } },
    ...tenantHostErrors,
  },
});
