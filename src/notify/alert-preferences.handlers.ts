/** The signed-in person's business alerts: parse, call the service, answer. */
import { requirePrincipal } from "../auth/guards";
import type { AppRouteHandler } from "../http/types";
import { tenantScope } from "../tenancy/scope";
import type * as R from "./alert-preferences.routes";
import * as alerts from "./alert-preferences.service";

export const getMyAlerts: AppRouteHandler<typeof R.getMyAlerts> = async (c) => {
  const { t, db } = await tenantScope(c);
  return c.json(await alerts.readMyAlerts(db, t, requirePrincipal(c).userId), 200);
};

export const putMyAlerts: AppRouteHandler<typeof R.putMyAlerts> = async (c) => {
  const { tenant, t, db } = await tenantScope(c);
  return c.json(await alerts.writeMyAlerts(db, t, tenant, requirePrincipal(c).userId, c.req.valid("json")), 200);
};
