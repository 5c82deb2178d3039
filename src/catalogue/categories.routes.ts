import { createRoute, z } from "@hono/zod-openapi";
import { listQuerySchema, pageSchema, type ListSpec } from "../http/list-query";
import type { TenantTables } from "../db/schema/tenant";
import { bearer, IdParams, jsonBody, jsonContent, nameField, staffErrors } from "../http/schemas";
import { docTables } from "../db/schema/tenant";
import { guard } from "../auth/guards";
import { MoveSchema } from "./common";

export const CategorySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    position: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("ServiceCategory");

export const CategoryCreateSchema = z
  .object({
    name: nameField(80),
    position: z.number().int().min(0).max(10_000).optional().openapi({ description: "Defaults to after the last category" }),
  })
  .strict()
  .openapi("ServiceCategoryCreate");

export const CategoryUpdateSchema = CategoryCreateSchema.partial().strict().openapi("ServiceCategoryUpdate");

export const categoryListSpec = (t: TenantTables): ListSpec => ({
  search: [t.serviceCategories.name],
  ordering: { name: t.serviceCategories.name, position: t.serviceCategories.position, created_at: t.serviceCategories.createdAt },
  defaultOrdering: "position,name",
  tiebreak: t.serviceCategories.id,
});

const tags = ["Catalogue"];

export const listCategories = createRoute({
  method: "get",
  path: "/api/service-categories",
  tags,
  summary: "Service categories (staff and above)",
  security: bearer,
  middleware: guard("staff"),
  request: { query: listQuerySchema(categoryListSpec(docTables)) },
  responses: { 200: jsonContent(pageSchema(CategorySchema), "A page of categories"), ...staffErrors({ body: false }) },
});

export const createCategory = createRoute({
  method: "post",
  path: "/api/service-categories",
  tags,
  summary: "Create a category (admin and above)",
  security: bearer,
  middleware: guard("admin"),
  request: { body: jsonBody(CategoryCreateSchema) },
  responses: { 201: jsonContent(CategorySchema, "Created"), ...staffErrors({ conflict: true }) },
});

export const getCategory = createRoute({
  method: "get",
  path: "/api/service-categories/{id}",
  tags,
  summary: "One category",
  security: bearer,
  middleware: guard("staff"),
  request: { params: IdParams },
  responses: { 200: jsonContent(CategorySchema, "The category"), ...staffErrors({ body: false }) },
});

export const updateCategory = createRoute({
  method: "patch",
  path: "/api/service-categories/{id}",
  tags,
  summary: "Rename or reorder a category (admin and above)",
  security: bearer,
  middleware: guard("admin"),
  request: { params: IdParams, body: jsonBody(CategoryUpdateSchema) },
  responses: { 200: jsonContent(CategorySchema, "Updated"), ...staffErrors({ conflict: true }) },
});

export const deleteCategory = createRoute({
  method: "delete",
  path: "/api/service-categories/{id}",
  tags,
  summary: "Delete a category; its services become uncategorised (admin and above)",
  security: bearer,
  middleware: guard("admin"),
  request: { params: IdParams },
  responses: { 204: { description: "Deleted" }, ...staffErrors({ body: false }) },
});

export const moveCategory = createRoute({
  method: "post",
  path: "/api/service-categories/{id}/move",
  tags,
  summary: "Move a category one place up or down (admin and above); at either end it stays put",
  description: "Swaps the category with its neighbour in the order (position, then name) and renumbers the categories from 0.",
  security: bearer,
  middleware: guard("admin"),
  request: { params: IdParams, body: jsonBody(MoveSchema) },
  responses: { 200: jsonContent(CategorySchema, "The category in its new place"), ...staffErrors() },
});
