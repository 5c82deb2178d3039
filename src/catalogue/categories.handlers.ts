import { listPage } from "../http/list-query";
import type { AppRouteHandler } from "../http/types";
import { tenantScope as scope } from "../tenancy/scope";
import type * as R from "./categories.routes";
import { presentTimes as present } from "./common";
import * as S from "./categories.service";

export const listCategories: AppRouteHandler<typeof R.listCategories> = async (c) => {
  const { rows, list } = await S.listCategories(await scope(c), c.req.valid("query"));
  return c.json(listPage(rows, list, c.req.url, present), 200);
};

export const createCategory: AppRouteHandler<typeof R.createCategory> = async (c) =>
  c.json(present(await S.createCategory(await scope(c), c.req.valid("json"))), 201);

export const getCategory: AppRouteHandler<typeof R.getCategory> = async (c) =>
  c.json(present(await S.getCategory(await scope(c), c.req.valid("param").id)), 200);

export const updateCategory: AppRouteHandler<typeof R.updateCategory> = async (c) =>
  c.json(present(await S.updateCategory(await scope(c), c.req.valid("param").id, c.req.valid("json"))), 200);

export const deleteCategory: AppRouteHandler<typeof R.deleteCategory> = async (c) => {
  await S.deleteCategory(await scope(c), c.req.valid("param").id);
  return c.body(null, 204);
};

export const moveCategory: AppRouteHandler<typeof R.moveCategory> = async (c) =>
  c.json(present(await S.moveCategory(await scope(c), c.req.valid("param").id, c.req.valid("json").direction)), 200);
