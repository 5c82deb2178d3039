/** The business profile and branding of the business at this host. */
import type { AppRouteHandler } from "../http/types";
import { invalidateHosts } from "../tenancy/host-cache";
import { tenantScope as scope } from "../tenancy/scope";
import type * as R from "./business.routes";
import * as business from "./business.service";

export const getBusiness: AppRouteHandler<typeof R.getBusiness> = async (c) => {
  const { tenant, t, db } = await scope(c);
  return c.json(await business.readProfile(db, t, tenant), 200);
};

export const updateBusiness: AppRouteHandler<typeof R.updateBusiness> = async (c) => {
  const { tenant, t, db } = await scope(c);
  const { profile, hosts } = await business.updateProfile(db, t, tenant, c.req.valid("json"));
  // Name, language, zone and currency travel in the cached tenant context of every host.
  await invalidateHosts(c.env.TENANT_CACHE, hosts);
  return c.json(profile, 200);
};
