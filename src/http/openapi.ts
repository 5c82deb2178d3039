/**
 * Document-wide OpenAPI rules applied once, after every router is mounted,
 * instead of repeating them in each route file: every operation gets an
 * `operationId` derived from its method and path (unless it sets its own),
 * and an operation that declares no `security` is public (`security: []`).
 */
import type { AppOpenAPI } from "./types";

/** `get /api/bookings/{id}/confirm` → `getBookingsByIdConfirm`; unique because method + path are. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .split("/")
    .filter((part) => part && part !== "api")
    .map((part) => {
      const param = /^\{(.+)\}$/.exec(part);
      return param ? `by-${param[1]}` : part;
    })
    .flatMap((part) => part.split(/[-_.]/))
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1));
  return method.toLowerCase() + words.join("");
}

export function finishOpenApi(app: AppOpenAPI): void {
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== "route") continue;
    const route = definition.route as { method: string; path: string; operationId?: string; security?: unknown[] };
    route.operationId ??= operationIdOf(route.method, route.path);
    route.security ??= [];
  }
}
