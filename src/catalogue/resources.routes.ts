import { createRoute, z } from "@hono/zod-openapi";
import { listQuerySchema, pageSchema, type ListSpec } from "../http/list-query";
import type { TenantTables } from "../db/schema/tenant";
import { bearer, booleanQuery, IdParams, jsonBody, jsonContent, nameField, staffErrors } from "../http/schemas";
import { docTables } from "../db/schema/tenant";
import { guard } from "../auth/guards";
import { resourceTypeField } from "./common";

export const ResourceSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    type: z.string(),
    capacity: z.number().int(),
    is_active: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Resource");

const fields = {
  name: nameField(120),
  type: resourceTypeField,
  capacity: z.number().int().min(1).max(500),
  is_active: z.boolean(),
};

export const ResourceCreateSchema = z
  .object({ ...fields, capacity: fields.capacity.optional(), is_active: fields.is_active.optional() })
  .strict()
  .openapi("ResourceCreate");
export const ResourceUpdateSchema = z.object(fields).partial().strict().openapi("ResourceUpdate");

export const resourceListSpec = (t: TenantTables): ListSpec => ({
  search: [t.resources.name, t.resources.type],
  filters: {
    type: { column: t.resources.type, schema: z.string().max(40) },
    is_active: { column: t.resources.isActive, schema: booleanQuery },
  },
  ordering: { name: t.resources.name, type: t.resources.type, capacity: t.resources.capacity, created_at: t.resources.createdAt },
  defaultOrdering: "name",
  tiebreak: t.resources.id,
});

const tags = ["Catalogue"];

export const listResources = createRoute({
  method: "get",
  path: "/api/resources",
  tags,
  summary: "Rooms, chairs, equipment (staff and above)",
  security: bearer,
  middleware: guard("staff"),
  request: { query: listQuerySchema(resourceListSpec(docTables)) },
  responses: { 200: jsonContent(pageSchema(ResourceSchema), "A page of resources"), ...staffErrors({ body: false }) },
});

export const createResource = createRoute({
  method: "post",
  path: "/api/resources",
  tags,
  summary: "Add a resource (admin and above)",
  security: bearer,
  middleware: guard("admin"),
  request: { body: jsonBody(ResourceCreateSchema) },
  responses: { 201: jsonContent(ResourceSchema, "Created"), ...staffErrors() },
});

export const getResource = createRoute({
  method: "get",
  path: "/api/resources/{id}",
  tags,
  summary: "One resource",
  security: bearer,
  middleware: guard("staff"),
  request: { params: IdParams },
  responses: { 200: jsonContent(ResourceSchema, "The resource"), ...staffErrors({ body: false }) },
});

export const updateResource = createRoute({
  method: "patch",
  path: "/api/resources/{id}",
  tags,
  summary: "Change a resource (admin and above)",
  security: bearer,
  middleware: guard("admin"),
  request: { params: IdParams, body: jsonBody(ResourceUpdateSchema) },
  responses: { 200: jsonContent(ResourceSchema, "Updated"), ...staffErrors() },
});

export const deleteResource = createRoute({
  method: "delete",
  path: "/api/resources/{id}",
  tags,
  summary: "Delete a resource never booked; otherwise 409 (deactivate instead) (admin and above)",
  security: bearer,
  middleware: guard("admin"),
  request: { params: IdParams },
  responses: { 204: { description: "Deleted" }, ...staffErrors({ body: false, conflict: true }) },
});
