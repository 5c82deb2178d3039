/** One place that builds routers, so every router validates, fails and documents the same way. */
import { OpenAPIHono, type Hook } from "@hono/zod-openapi";
import { nulFields } from "./nul";
import { ApiError, fieldErrors, type FieldError } from "./problem";
import { routeExtensions } from "./route-meta";
import type { AppEnv } from "./types";

const invalid = (errors: FieldError[]) => new ApiError("validation_failed", "Some fields are invalid.", { errors });

// zod failures become one 422 problem listing every field; a NUL anywhere in
// an input (which Postgres text cannot store) is one of those failures too.
export const defaultHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  const nul = nulFields((result as { data?: unknown }).data);
  if (!result.success) {
    const errors = fieldErrors(result.error.issues);
    const named = new Set(errors.map((e) => e.field));
    throw invalid([...errors, ...nul.filter((e) => !named.has(e.field))]);
  }
  if (nul.length) throw invalid(nul);
};

export function createRouter(): OpenAPIHono<AppEnv> {
  const router = new OpenAPIHono<AppEnv>({ strict: false, defaultHook });
  // Document what the route's guards enforce (x-min-role, x-host) from the guards themselves.
  const register = router.openapi;
  router.openapi = ((route, handler, hook) =>
    register({ ...routeExtensions(route.middleware), ...route }, handler, hook)) as typeof router.openapi;
  return router;
}
