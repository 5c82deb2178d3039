/** OpenAPI components shared by every route: the problem body and error responses. */
import { z } from "@hono/zod-openapi";
import { emailProblem } from "../domain/contact";

export const ProblemSchema = z
  .object({
    type: z.string().url(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    instance: z.string().optional(),
    request_id: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

/** The errors any tenant-host route can answer with. */
export const tenantHostErrors = {
  404: problem("Unknown host or object"),
  403: problem("Tenant suspended or action forbidden"),
  410: problem("Tenant archived"),
} as const;

export const validationErrors = {
  400: problem("Malformed request body"),
  413: problem("Request body too large"),
  422: problem("Validation failed"),
} as const;

export { problem as problemResponseSpec };

/** Security requirement of a route that takes a bearer access token. */
export const bearer = [{ bearerAuth: [] }];

/** A JSON response: `responses: { 200: jsonContent(Schema, "The thing") }`. */
export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** A required JSON request body: `request: { body: jsonBody(Schema) }`. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

export const IdParams = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, example: "0b7c3f9e-4a51-4c2b-9a8e-3d2f1c0e5b6a" }),
});

/** Error responses of a staff-side route (with a body unless `body: false`). */
export function staffErrors(opts: { body?: boolean; conflict?: boolean } = {}) {
  return {
    ...tenantHostErrors,
    401: problem("Missing or invalid access token"),
    ...(opts.body === false ? { 422: validationErrors[422] } : validationErrors),
    ...(opts.conflict ? { 409: problem("Conflicts with existing data") } : {}),
  };
}

/** `?is_active=true|false` as a boolean (zod's stringbool documents as a string). */
export const booleanQuery = z
  .stringbool({ truthy: ["true", "1"], falsy: ["false", "0"] })
  .openapi({ type: "string", enum: ["true", "false"], example: "true" });

export const nameField = (max = 120) => z.string().trim().min(1).max(max);

/**
 * Contact fields of customers and staff: validated here (so every field error
 * comes back at once) and normalised by the handler.
 */
export const emailInput = z
  .string()
  .max(254)
  .refine((v) => emailProblem(v) === null, "Enter a valid email address.");
export const phoneInput = z
  .string()
  .max(40)
  // The number itself is checked by the handler, in the business's country (national forms differ).
  .regex(/^[0-9+\s.\-/()]{3,}$/, "Enter a valid phone number: +212612345678 or 0612345678.");
