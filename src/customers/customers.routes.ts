import { createRoute, z } from "@hono/zod-openapi";
import { guard } from "../auth/guards";
import { docTables, type TenantTables } from "../db/schema/tenant";
import { LOCALES } from "../domain/locales";
import { type ListSpec, listQuerySchema, pageSchema } from "../http/list-query";
import { bearer, emailInput, IdParams, jsonBody, jsonContent, nameField, phoneInput, staffErrors } from "../http/schemas";

export const CustomerSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string().nullable().openapi({ description: "Trimmed and lower-cased" }),
    phone: z.string().nullable().openapi({ description: "E.164", example: "+212612345678" }),
    locale: z.enum(LOCALES),
    notes: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Customer");

const fields = {
  name: nameField(120),
  email: emailInput.nullable().openapi({ example: "sara@example.ma" }),
  phone: phoneInput.nullable().openapi({ description: "International or Moroccan national form; stored as E.164", example: "0612345678" }),
  locale: z.enum(LOCALES),
  notes: z.string().trim().max(2000),
};

export const CustomerCreateSchema = z
  .object({
    ...fields,
    email: fields.email.optional(),
    phone: fields.phone.optional(),
    locale: fields.locale.optional().openapi({ description: "Defaults to the business's locale" }),
    notes: fields.notes.optional(),
  })
  .strict()
  .openapi("CustomerCreate", { description: "Needs an email or a phone number (or both)." });

export const CustomerUpdateSchema = z.object(fields).partial().strict().openapi("CustomerUpdate");
export type CustomerWrite = z.infer<typeof CustomerUpdateSchema>;

/** Search is built by the handler (it also matches phone numbers typed in national form). */
export const customerListSpec = (t: TenantTables): ListSpec => ({
  filters: { locale: { column: t.customers.locale, schema: z.enum(LOCALES) } },
  ordering: { name: t.customers.name, created_at: t.customers.createdAt, email: t.customers.email },
  defaultOrdering: "name",
  tiebreak: t.customers.id,
});

const tags = ["Customers"];

export const listCustomers = createRoute({
  method: "get",
  path: "/api/customers",
  tags,
  summary: "Customers; `search` matches name, email and phone (national forms too) (staff and above)",
  description: "Owners and admins see every customer; a staff-role user only those they served (a booking on their own calendar) or added.",
  security: bearer,
  middleware: guard("staff"),
  request: { query: listQuerySchema(customerListSpec(docTables)) },
  responses: { 200: jsonContent(pageSchema(CustomerSchema), "A page of customers"), ...staffErrors({ body: false }) },
});

export const createCustomer = createRoute({
  method: "post",
  path: "/api/customers",
  tags,
  summary: "Add a customer; email and phone are unique per business (staff and above)",
  security: bearer,
  middleware: guard("staff"),
  request: { body: jsonBody(CustomerCreateSchema) },
  responses: { 201: jsonContent(CustomerSchema, "Created"), ...staffErrors({ conflict: true }) },
});

export const getCustomer = createRoute({
  method: "get",
  path: "/api/customers/{id}",
  tags,
  summary: "One customer (a staff-role user: only one they served or added, else 404)",
  security: bearer,
  middleware: guard("staff"),
  request: { params: IdParams },
  responses: { 200: jsonContent(CustomerSchema, "The customer"), ...staffErrors({ body: false }) },
});

export const updateCustomer = createRoute({
  method: "patch",
  path: "/api/customers/{id}",
  tags,
  summary: "Change a customer (staff and above; a staff-role user only one they served or added, else 404)",
  security: bearer,
  middleware: guard("staff"),
  request: { params: IdParams, body: jsonBody(CustomerUpdateSchema) },
  responses: { 200: jsonContent(CustomerSchema, "Updated"), ...staffErrors({ conflict: true }) },
});

export const deleteCustomer = createRoute({
  method: "delete",
  path: "/api/customers/{id}",
  tags,
  summary: "Delete a customer without bookings; otherwise 409 (admin and above)",
  security: bearer,
  middleware: guard("admin"),
  request: { params: IdParams },
  responses: { 204: { description: "Deleted" }, ...staffErrors({ body: false, conflict: true }) },
});

export const CustomerMergeSchema = z
  .object({
    source_id: z.uuid().optional().openapi({ description: "The duplicate record: its bookings move to this customer, then it is deleted" }),
    booking_ids: z
      .array(z.uuid())
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "Bookings to attach to this customer as well (e.g. anonymous bookings that were not linked)" }),
  })
  .strict()
  .openapi("CustomerMerge", { description: "Needs source_id, booking_ids or both." });

export const CustomerMergeResultSchema = z
  .object({
    customer: CustomerSchema,
    moved_booking_ids: z.array(z.uuid()),
    merged_customer_id: z.uuid().nullable().openapi({ description: "The deleted source record, if any" }),
  })
  .openapi("CustomerMergeResult");

export const mergeCustomer = createRoute({
  method: "post",
  path: "/api/customers/{id}/merge",
  tags,
  summary:
    "Merge a duplicate customer (and/or attach bookings) into this one; each moved booking records a `customer_merged` event (admin and above)",
  description:
    "All or nothing, in one statement. This customer's own fields are kept; the bookings keep their contact snapshots. " +
    "An unknown id, source_id or booking id of this business → 404; source_id equal to id → 422.",
  security: bearer,
  middleware: guard("admin"),
  request: { params: IdParams, body: jsonBody(CustomerMergeSchema) },
  responses: { 200: jsonContent(CustomerMergeResultSchema, "Merged"), ...staffErrors({ conflict: true }) },
});
