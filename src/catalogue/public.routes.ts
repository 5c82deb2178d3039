import { createRoute, z } from "@hono/zod-openapi";
import { publicGuard } from "../auth/guards";
import { jsonContent, tenantHostErrors, validationErrors } from "../http/schemas";

export const PublicCategorySchema = z.object({ id: z.uuid(), name: z.string(), position: z.number().int() }).openapi("PublicCategory");

export const PublicServiceSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    duration_min: z.number().int(),
    price_minor: z.number().int(),
    currency: z.string(),
    capacity: z.number().int(),
    category: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    staff_ids: z.array(z.uuid()).openapi({ description: "Active staff who perform it" }),
  })
  .openapi("PublicService");

export const PublicStaffSchema = z.object({ id: z.uuid(), display_name: z.string() }).openapi("PublicStaff");

const results = <T extends z.ZodType>(item: T) => z.object({ results: z.array(item) });
const tags = ["Public"];
const errors = { ...tenantHostErrors, 422: validationErrors[422] };

export const publicCategories = createRoute({
  method: "get",
  path: "/api/public/categories",
  tags,
  summary: "Categories that have at least one active service (no login)",
  middleware: publicGuard,
  responses: { 200: jsonContent(results(PublicCategorySchema), "Categories by position"), ...errors },
});

export const publicServices = createRoute({
  method: "get",
  path: "/api/public/services",
  tags,
  summary: "Active services with category, price, duration and staff (no login)",
  middleware: publicGuard,
  request: { query: z.object({ category_id: z.uuid().optional() }) },
  responses: { 200: jsonContent(results(PublicServiceSchema), "Services by category position, then name"), ...errors },
});

export const publicStaff = createRoute({
  method: "get",
  path: "/api/public/staff",
  tags,
  summary: "Active staff: id and display name only (no login)",
  middleware: publicGuard,
  request: { query: z.object({ service_id: z.uuid().optional().openapi({ description: "Only staff performing this active service" }) }) },
  responses: { 200: jsonContent(results(PublicStaffSchema), "Staff by name"), ...errors },
});
