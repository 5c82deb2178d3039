import { createRoute, z } from "@hono/zod-openapi";
import { guard } from "../auth/guards";
import { dateField } from "../http/dates";
import { bearer, IdParams, jsonBody, jsonContent, staffErrors } from "../http/schemas";

const isoDate = dateField();
const MAX_DAYS = 366;
const dayCount = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;

/** starts_on..ends_on in order and at most a year long (issues on ends_on). */
export function checkDateRange(p: { starts_on: string; ends_on: string }, ctx: z.RefinementCtx) {
  const days = dayCount(p.starts_on, p.ends_on);
  if (days < 1) ctx.addIssue({ code: "custom", path: ["ends_on"], message: "The last date must not be before the first." });
  else if (days > MAX_DAYS) ctx.addIssue({ code: "custom", path: ["ends_on"], message: `At most ${MAX_DAYS} days.` });
}

export const ClosureSchema = z
  .object({
    id: z.uuid(),
    starts_on: z.string().openapi({ format: "date" }),
    ends_on: z.string().openapi({ format: "date" }),
    label: z.string(),
    created_at: z.string(),
  })
  .openapi("Closure");

export const ClosureCreateSchema = z
  .object({ starts_on: isoDate, ends_on: isoDate, label: z.string().trim().max(120).optional() })
  .strict()
  .superRefine(checkDateRange)
  .openapi("ClosureCreate", { description: "Local dates (business time zone), both included." });

export const ClosureListQuery = z.object({
  from: isoDate.optional().openapi({ description: "Only closures ending on or after this date" }),
});

const tags = ["Staff"];

export const listClosures = createRoute({
  method: "get",
  path: "/api/closures",
  tags,
  summary: "Business-wide closures: every staff member is off on these dates (staff and above)",
  security: bearer,
  middleware: guard("staff"),
  request: { query: ClosureListQuery },
  responses: { 200: jsonContent(z.object({ data: z.array(ClosureSchema) }), "Closures by first date"), ...staffErrors({ body: false }) },
});

export const createClosure = createRoute({
  method: "post",
  path: "/api/closures",
  tags,
  summary: "Close the business on a range of dates (admin and above)",
  security: bearer,
  middleware: guard("admin"),
  request: { body: jsonBody(ClosureCreateSchema) },
  responses: { 201: jsonContent(ClosureSchema, "Created"), ...staffErrors() },
});

export const deleteClosure = createRoute({
  method: "delete",
  path: "/api/closures/{id}",
  tags,
  summary: "Remove a closure (admin and above)",
  security: bearer,
  middleware: guard("admin"),
  request: { params: IdParams },
  responses: { 204: { description: "Removed" }, ...staffErrors({ body: false }) },
});
