import { createRoute, z } from "@hono/zod-openapi";
import { listQuerySchema, pageSchema, type ListSpec } from "../http/list-query";
import type { TenantTables } from "../db/schema/tenant";
import { bearer, booleanQuery, IdParams, jsonBody, jsonContent, nameField, staffErrors } from "../http/schemas";
import { docTables } from "../db/schema/tenant";
import { guard } from "../auth/guards";
import { MoveSchema, resourceTypeField } from "./common";

export const ServiceSchema = z
  .object({
    id: z.uuid(),
    category_id: z.uuid().nullable(),
    name: z.string(),
    description: z.string(),
    duration_min: z.number().int(),
    price_minor: z.number().int().openapi({ description: "Price in minor units (centimes)", example: 15000 }),
    currency: z.string().openapi({ example: "MAD" }),
    buffer_before_min: z.number().int(),
    buffer_after_min: z.number().int(),
    capacity: z.number().int().openapi({ description: "1 = one customer at a time; more = group session seats" }),
    required_resource_type: z.string().nullable(),
    position: z.number().int().openapi({ description: "Display order inside its category (then by name)" }),
    is_active: z.boolean(),
    staff_ids: z.array(z.uuid()).openapi({ description: "Staff who perform this service" }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Service");

const fields = {
  category_id: z.uuid().nullable(),
  name: nameField(120),
  description: z.string().trim().max(2000),
  duration_min: z.number().int().min(5).max(1440),
  price_minor: z.number().int().min(0).max(100_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/, "Use an ISO 4217 code such as MAD."),
  buffer_before_min: z.number().int().min(0).max(240),
  buffer_after_min: z.number().int().min(0).max(240),
  capacity: z.number().int().min(1).max(500),
  required_resource_type: resourceTypeField.nullable(),
  position: z.number().int().min(0).max(10_000),
  is_active: z.boolean(),
  staff_ids: z
    .array(z.uuid())
    .max(200)
    .refine((ids) => new Set(ids).size === ids.length, "List each staff member once.")
    .openapi({ description: "Replaces the whole set of staff who perform the service" }),
};

export const ServiceCreateSchema = z
  .object({
    ...fields,
    category_id: fields.category_id.optional(),
    description: fields.description.optional(),
    price_minor: fields.price_minor.optional(),
    currency: fields.currency.optional().openapi({ description: "Defaults to the business's currency" }),
    buffer_before_min: fields.buffer_before_min.optional(),
    buffer_after_min: fields.buffer_after_min.optional(),
    capacity: fields.capacity.optional(),
    required_resource_type: fields.required_resource_type.optional(),
    position: fields.position.optional().openapi({ description: "Defaults to after the last service of its category" }),
    is_active: fields.is_active.optional(),
    staff_ids: fields.staff_ids.optional(),
  })
  .strict()
  .openapi("ServiceCreate");

export const ServiceUpdateSchema = z.object(fields).partial().strict().openapi("ServiceUpdate");
export type ServiceWrite = z.infer<typeof ServiceUpdateSchema>;

export const serviceListSpec = (t: TenantTables): ListSpec => ({
  search: [t.services.name, t.services.description],
  filters: {
    category_id: { column: t.services.categoryId, schema: z.uuid() },
    is_active: { column: t.services.isActive, schema: booleanQuery },
  },
  ordering: {
    name: t.services.name,
    price_minor: t.services.priceMinor,
    duration_min: t.services.durationMin,
    position: t.services.position,
    created_at: t.services.createdAt,
  },
  defaultOrdering: "name",
  tiebreak: t.services.id,
});

const tags = ["Catalogue"];

export const listServices = createRoute({
  method: "get",
  path: "/api/services",
  tags,
  summary: "Services with their staff (staff and above)",
  security: bearer,
  middleware: guard("staff"),
  request: {
    query: listQuerySchema(serviceListSpec(docTables)).extend({
      staff_id: z.uuid().optional().openapi({ description: "Only services this staff member performs" }),
    }),
  },
  responses: { 200: jsonContent(pageSchema(ServiceSchema), "A page of services"), ...staffErrors({ body: false }) },
});

export const createService = createRoute({
  method: "post",
  path: "/api/services",
  tags,
  summary: "Create a service and the set of staff performing it (admin and above)",
  security: bearer,
  middleware: guard("admin"),
  request: { body: jsonBody(ServiceCreateSchema) },
  responses: { 201: jsonContent(ServiceSchema, "Created"), ...staffErrors() },
});

export const getService = createRoute({
  method: "get",
  path: "/api/services/{id}",
  tags,
  summary: "One service",
  security: bearer,
  middleware: guard("staff"),
  request: { params: IdParams },
  responses: { 200: jsonContent(ServiceSchema, "The service"), ...staffErrors({ body: false }) },
});

export const updateService = createRoute({
  method: "patch",
  path: "/api/services/{id}",
  tags,
  summary: "Change a service; `staff_ids`, when sent, replaces the whole set (admin and above)",
  security: bearer,
  middleware: guard("admin"),
  request: { params: IdParams, body: jsonBody(ServiceUpdateSchema) },
  responses: { 200: jsonContent(ServiceSchema, "Updated"), ...staffErrors() },
});

export const deleteService = createRoute({
  method: "delete",
  path: "/api/services/{id}",
  tags,
  summary: "Delete a service that was never booked; one with bookings answers 409 (deactivate it instead)",
  security: bearer,
  middleware: guard("admin"),
  request: { params: IdParams },
  responses: { 204: { description: "Deleted" }, ...staffErrors({ body: false, conflict: true }) },
});

export const moveService = createRoute({
  method: "post",
  path: "/api/services/{id}/move",
  tags,
  summary: "Move a service one place up or down inside its category (admin and above); at either end it stays put",
  description:
    "Swaps the service with its neighbour in the category's order (position, then name) and renumbers the category's services from 0.",
  security: bearer,
  middleware: guard("admin"),
  request: { params: IdParams, body: jsonBody(MoveSchema) },
  responses: { 200: jsonContent(ServiceSchema, "The service in its new place"), ...staffErrors() },
});
