/** Liveness and the public profile of the business at this host; neither touches the database. */
import type { AppRouteHandler } from "../http/types";
import { tenantOf } from "../tenancy/scope";
import type * as R from "./system.routes";

export const health: AppRouteHandler<typeof R.health> = (c) => c.json({ status: "ok" as const }, 200);

export const currentTenant: AppRouteHandler<typeof R.currentTenant> = (c) => {
  const { slug, name, timeZone, locale, currency } = tenantOf(c);
  return c.json({ slug, name, time_zone: timeZone, locale, currency }, 200);
};
