/** Booking settings of the business at this host, with its time zone, locale and currency alongside. */
import { iso } from "../http/json";
import type { AppRouteHandler } from "../http/types";
import type { TenantContext } from "../domain/tenant";
import { tenantScope as scope } from "../tenancy/scope";
import type * as R from "./settings.routes";
import * as settings from "./settings.service";

const present = (row: settings.SettingsRow, tenant: TenantContext) => ({
  ...row,
  time_zone: tenant.timeZone,
  locale: tenant.locale,
  currency: tenant.currency,
  updated_at: iso(row.updated_at)!,
});

export const getSettings: AppRouteHandler<typeof R.getSettings> = async (c) => {
  const { tenant, t, db } = await scope(c);
  return c.json(present(await settings.readSettings(db, t), tenant), 200);
};

export const updateSettings: AppRouteHandler<typeof R.updateSettings> = async (c) => {
  const { tenant, t, db } = await scope(c);
  const options = { allowLocalHttpOrigins: c.get("config").APP_ENV !== "production" };
  return c.json(present(await settings.updateSettings(db, t, c.req.valid("json"), options), tenant), 200);
};
