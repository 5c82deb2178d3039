import { listPage } from "../http/list-query";
import type { AppRouteHandler } from "../http/types";
import { tenantScope as scope } from "../tenancy/scope";
import type * as R from "./resources.routes";
import { presentTimes as present } from "./common";
import * as S from "./resources.service";

export const listResources: AppRouteHandler<typeof R.listResources> = async (c) => {
  const { rows, list } = await S.listResources(await scope(c), c.req.valid("query"));
  return c.json(listPage(rows, list, c.req.url, present), 200);
};

export const createResource: AppRouteHandler<typeof R.createResource> = async (c) =>
  c.json(present(await S.createResource(await scope(c), c.req.valid("json"))), 201);

export const getResource: AppRouteHandler<typeof R.getResource> = async (c) =>
  c.json(present(await S.getResource(await scope(c), c.req.valid("param").id)), 200);

export const updateResource: AppRouteHandler<typeof R.updateResource> = async (c) =>
  c.json(present(await S.updateResource(await scope(c), c.req.valid("param").id, c.req.valid("json"))), 200);

export const deleteResource: AppRouteHandler<typeof R.deleteResource> = async (c) => {
  await S.deleteResource(await scope(c), c.req.valid("param").id);
  return c.body(null, 204);
};
