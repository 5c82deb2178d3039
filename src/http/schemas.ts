/** OpenAPI components shared by every route: the problem body and error responses. */
import { z } from "@hono/zod-openapi";

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
