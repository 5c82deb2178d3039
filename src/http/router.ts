/** One place that builds routers, so every router validates and fails the same way. */
import { OpenAPIHono, type Hook } from "@hono/zod-openapi";
import { ApiError, fieldErrors } from "./problem";
import type { AppEnv } from "./types";

// zod failures become one 422 problem listing every field.
export const defaultHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (!result.success) {
    throw new ApiError("validation_failed", "Some fields are invalid.", {
      errors: fieldErrors(result.error.issues),
    });
  }
};

export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ strict: false, defaultHook });
}
