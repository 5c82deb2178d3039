/**
 * Guards describe themselves so the OpenAPI document can state what a route
 * enforces (`x-min-role`, `x-host`) without each route repeating it: the
 * extension is read from the very middleware that does the checking.
 */
export type RouteExtensions = { "x-min-role"?: string; "x-host"?: "tenant" | "platform" };

const described = new WeakMap<object, RouteExtensions>();

export function describeGuard<T extends object>(middleware: T, extensions: RouteExtensions): T {
  described.set(middleware, extensions);
  return middleware;
}

export function routeExtensions(middleware: unknown): RouteExtensions {
  const list = Array.isArray(middleware) ? middleware : middleware ? [middleware] : [];
  return Object.assign({}, ...list.map((m) => (typeof m === "function" ? described.get(m) : undefined) ?? {}));
}
