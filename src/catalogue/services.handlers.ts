import { listPage } from "../http/list-query";
import type { AppRouteHandler } from "../http/types";
import { tenantScope as scope } from "../tenancy/scope";
import type * as R from "./services.routes";
import { presentTimes } from "./common";
import * as S from "./services.service";

const present = <Row extends { created_at: Date; updated_at: Date; staff_ids: string[] }>(row: Row) => ({
  ...presentTimes(row),
  staff_ids: row.staff_ids ?? [],
});

export const listServices: AppRouteHandler<typeof R.listServices> = async (c) => {
  const { rows, list } = await S.listServices(await scope(c), c.req.valid("query"));
  return c.json(listPage(rows, list, c.req.url, present), 200);
};

export const createService: AppRouteHandler<typeof R.createService> = async (c) =>
  c.json(present(await S.createService(await scope(c), c.req.valid("json"))), 201);

export const getService: AppRouteHandler<typeof R.getService> = async (c) =>
  c.json(present(await S.getService(await scope(c), c.req.valid("param").id)), 200);

export const updateService: AppRouteHandler<typeof R.updateService> = async (c) =>
  c.json(present(await S.updateService(await scope(c), c.req.valid("param").id, c.req.valid("json"))), 200);

export const deleteService: AppRouteHandler<typeof R.deleteService> = async (c) => {
  await S.deleteService(await scope(c), c.req.valid("param").id);
  return c.body(null, 204);
};

export const moveService: AppRouteHandler<typeof R.moveService> = async (c) =>
  c.json(present(await S.moveService(await scope(c), c.req.valid("param").id, c.req.valid("json").direction)), 200);
