import { requirePrincipal, roleAtLeast } from "../auth/guards";
import { listPage } from "../http/list-query";
import type { AppRouteHandler } from "../http/types";
import { tenantScope as scope } from "../tenancy/scope";
import { presentTimes as present } from "./common";
import type * as R from "./staff.routes";
import * as S from "./staff.service";

/** The caller as the staff and schedule services judge ownership. */
export function actorOf(c: Parameters<typeof requirePrincipal>[0]): S.Actor {
  const principal = requirePrincipal(c);
  return { userId: principal.userId, isAdmin: roleAtLeast(principal.role, "admin") };
}

export const listStaff: AppRouteHandler<typeof R.listStaff> = async (c) => {
  const { rows, list } = await S.listStaff(await scope(c), c.req.valid("query"));
  return c.json(listPage(rows, list, c.req.url, present), 200);
};

export const createStaff: AppRouteHandler<typeof R.createStaff> = async (c) =>
  c.json(present(await S.createStaff(await scope(c), c.req.valid("json"))), 201);

export const getStaff: AppRouteHandler<typeof R.getStaff> = async (c) =>
  c.json(present(await S.getStaff(await scope(c), c.req.valid("param").id)), 200);

export const updateStaff: AppRouteHandler<typeof R.updateStaff> = async (c) => {
  const s = await scope(c);
  return c.json(present(await S.updateStaff(s, c.req.valid("param").id, c.req.valid("json"), actorOf(c))), 200);
};

export const deleteStaff: AppRouteHandler<typeof R.deleteStaff> = async (c) => {
  await S.deleteStaff(await scope(c), c.req.valid("param").id);
  return c.body(null, 204);
};
