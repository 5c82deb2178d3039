import { createRoute, z } from "@hono/zod-openapi";
import { listQuerySchema, pageSchema, type ListSpec } from "../http/list-query";
import type { TenantTables } from "../db/schema/tenant";
import { bearer, booleanQuery, emailInput, IdParams, jsonBody, jsonContent, nameField, phoneInput, staffErrors } from "../http/schemas";
import { docTables } from "../db/schema/tenant";
import { guard } from "../auth/guards";
import { isTimeZone } from "../availability";

export const StaffSchema = z
  .object({
    id: z.uuid(),
    user_id: z.uuid().nullable(),
    display_name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    time_zone: z.string().nullable().openapi({ description: "IANA zone of this person's hours; null = the business's zone" }),
    is_active: z.boolean(),
    service_ids: z.array(z.uuid()).openapi({ description: "Services this person performs" }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Staff");

export const timeZoneInput = z
  .string()
  .max(64)
  .refine(isTimeZone, "Use an IANA time zone such as Africa/Casablanca.")
  .openapi({ example: "Africa/Casablanca" });

/** What a staff member may change on their own record. */
const selfFields = {
  display_name: nameField(120),
  email: emailInput.nullable(),
  phone: phoneInput.nullable(),
  time_zone: timeZoneInput.nullable(),
};
/** Only admins and owners may link a user, (de)activate someone or change what they perform. */
export const PRIVILEGED_STAFF_FIELDS = ["user_id", "is_active", "service_ids"] as const;
const fields = {
  ...selfFields,
  user_id: z.uuid().nullable(),
  is_active: z.boolean(),
  service_ids: z
    .array(z.uuid())
    .max(500)
    .refine((ids) => new Set(ids).size === ids.length, "List each service once.")
    .openapi({ description: "Replaces the whole set of services this person performs" }),
};

export const StaffCreateSchema = z
  .object({
    ...fields,
    email: fields.email.optional(),
    phone: fields.phone.optional(),
    time_zone: fields.time_zone.optional(),
    user_id: fields.user_id.optional(),
    is_active: fields.is_active.optional(),
    service_ids: fields.service_ids.optional(),
  })
  .strict()
  .openapi("StaffCreate");

export const StaffUpdateSchema = z.object(fields).partial().strict().openapi("StaffUpdate", {
  description:
    "Staff-role callers may change only their own display_name, email, phone and time_zone; `service_ids`, when sent, replaces the whole set.",
});
export type StaffWrite = z.infer<typeof StaffUpdateSchema>;

export const staffListSpec = (t: TenantTables): ListSpec => ({
  search: [t.staff.displayName, t.staff.email],
  filters: { is_active: { column: t.staff.isActive, schema: booleanQuery } },
  ordering: { display_name: t.staff.displayName, created_at: t.staff.createdAt },
  defaultOrdering: "display_name",
  tiebreak: t.staff.id,
});

const tags = ["Staff"];

export const listStaff = createRoute({
  method: "get",
  path: "/api/staff",
  tags,
  summary: "Staff members (staff and above)",
  security: bearer,
  middleware: guard("staff"),
  request: { query: listQuerySchema(staffListSpec(docTables)) },
  responses: { 200: jsonContent(pageSchema(StaffSchema), "A page of staff"), ...staffErrors({ body: false }) },
});

export const createStaff = createRoute({
  method: "post",
  path: "/api/staff",
  tags,
  summary: "Add a staff member (admin and above)",
  security: bearer,
  middleware: guard("admin"),
  request: { body: jsonBody(StaffCreateSchema) },
  responses: { 201: jsonContent(StaffSchema, "Created"), ...staffErrors({ conflict: true }) },
});

export const getStaff = createRoute({
  method: "get",
  path: "/api/staff/{id}",
  tags,
  summary: "One staff member",
  security: bearer,
  middleware: guard("staff"),
  request: { params: IdParams },
  responses: { 200: jsonContent(StaffSchema, "The staff member"), ...staffErrors({ body: false }) },
});

export const updateStaff = createRoute({
  method: "patch",
  path: "/api/staff/{id}",
  tags,
  summary: "Change a staff member (admin and above; staff role: own record, non-privileged fields)",
  security: bearer,
  middleware: guard("staff"),
  request: { params: IdParams, body: jsonBody(StaffUpdateSchema) },
  responses: { 200: jsonContent(StaffSchema, "Updated"), ...staffErrors({ conflict: true }) },
});

export const deleteStaff = createRoute({
  method: "delete",
  path: "/api/staff/{id}",
  tags,
  summary: "Remove a staff member who has no bookings; otherwise 409 (deactivate instead) (admin and above)",
  security: bearer,
  middleware: guard("admin"),
  request: { params: IdParams },
  responses: { 204: { description: "Deleted" }, ...staffErrors({ body: false, conflict: true }) },
});
