/**
 * Pieces every staff-side resource route shares: guards, the tenant's tables
 * and database, id params, and turning constraint violations into problems.
 */
import { z } from "@hono/zod-openapi";
import { requireRole } from "../auth/guards";
import type { MembershipRole } from "../db/schema/public";
import { TEMPLATE_SCHEMA, tenantTables } from "../db/schema/tenant";
import { pgErrorCode, uniqueViolation } from "../db/errors";
import { ApiError } from "../http/problem";
export { isTimeZone } from "../availability";
import { problemResponseSpec, tenantHostErrors, validationErrors } from "../http/schemas";
import { requireTenantHost } from "../tenancy/middleware";
import type { Database } from "../db/client";

/** Route middleware: tenant host first (404 elsewhere), then the role (401/403). */
export const guard = (minimum: MembershipRole) => [requireTenantHost, requireRole(minimum)];
export const publicGuard = [requireTenantHost];

export const bearer = [{ bearerAuth: [] }];

export { tenantScope as scope, type TenantScope } from "../tenancy/scope";

export const IdParams = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, example: "0b7c3f9e-4a51-4c2b-9a8e-3d2f1c0e5b6a" }),
});

export const notFound = (what: string) => new ApiError("not_found", `No ${what} with this id here.`);

/** Error responses of a staff-side route (with a body unless `body: false`). */
export function staffErrors(opts: { body?: boolean; conflict?: boolean } = {}) {
  return {
    ...tenantHostErrors,
    401: problemResponseSpec("Missing or invalid access token"),
    ...(opts.body === false ? { 422: validationErrors[422] } : validationErrors),
    ...(opts.conflict ? { 409: problemResponseSpec("Conflicts with existing data") } : {}),
  };
}

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

/** drizzle wraps driver errors (DrizzleQueryError); the SQLSTATE is on its `cause`. */

/** Rethrows a unique violation of one of `fields` (constraint → field) as 409 naming the field. */
export function rethrowUnique(error: unknown, fields: Record<string, string>, what: string): never {
  const constraint = uniqueViolation(error);
  if (constraint && fields[constraint]) {
    const field = fields[constraint];
    throw new ApiError("conflict", `Another ${what} already has this ${field}.`, {
      errors: [{ field, message: `Already used by another ${what}.` }],
    });
  }
  throw error;
}

/** A delete refused by a foreign key (23503): the row is still referenced, e.g. by bookings. */
export function rethrowReferenced(error: unknown, detail: string): never {
  if (pgErrorCode(error) === "23503") throw new ApiError("conflict", detail);
  throw error;
}


/** One 422 problem from several field errors, thrown only when there are some. */
export function failIf(errors: { field: string; message: string }[]): void {
  if (errors.length) throw new ApiError("validation_failed", "Some fields are invalid.", { errors });
}

/** `?is_active=true|false` as a boolean (zod's stringbool documents as a string). */
export const booleanQuery = z
  .stringbool({ truthy: ["true", "1"], falsy: ["false", "0"] })
  .openapi({ type: "string", enum: ["true", "false"], example: "true" });

export const nameField = (max = 120) => z.string().trim().min(1).max(max);

/** Tables of the migration template: list specs only need column names to shape a documented query string. */
export const docTables = tenantTables(TEMPLATE_SCHEMA);

/** Resource types are short slugs so a service's `required_resource_type` matches a resource's `type` exactly. */
export const resourceTypeField = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "Use lower-case letters, digits, - or _ (at most 40), e.g. room.")
  .openapi({ example: "room" });

/** The database or an open transaction on it. */
export type Executor = Database | Parameters<Parameters<Database["transaction"]>[0]>[0];
