import type { AppRouteHandler } from "../http/types";
import { tenantScope as scope } from "../tenancy/scope";
import type * as R from "./public.routes";
import * as S from "./public.service";

export const publicCategories: AppRouteHandler<typeof R.publicCategories> = async (c) =>
  c.json({ results: await S.publicCategories(await scope(c)) }, 200);

export const publicServices: AppRouteHandler<typeof R.publicServices> = async (c) => {
  const rows = await S.publicServices(await scope(c), { categoryId: c.req.valid("query").category_id });
  // The API lists the staff by id only, in id order (the same order the database sorts uuids in).
  const results = rows.map(({ staff, ...r }) => ({ ...r, staff_ids: staff.map((f) => f.id).sort() }));
  return c.json({ results }, 200);
};

export const publicStaff: AppRouteHandler<typeof R.publicStaff> = async (c) =>
  c.json({ results: await S.publicStaff(await scope(c), { serviceId: c.req.valid("query").service_id }) }, 200);
