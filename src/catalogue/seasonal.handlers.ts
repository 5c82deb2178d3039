import type { AppRouteHandler } from "../http/types";
import { tenantScope as scope } from "../tenancy/scope";
import type * as R from "./seasonal.routes";
import * as S from "./seasonal.service";

export const listSeasons: AppRouteHandler<typeof R.listSeasons> = async (c) =>
  c.json({ data: await S.listSeasons(await scope(c), c.req.valid("query").from) }, 200);

export const previewSeason: AppRouteHandler<typeof R.previewSeason> = async (c) =>
  c.json({ affected: await S.previewSeason(await scope(c), c.req.valid("json")) }, 200);

export const createSeason: AppRouteHandler<typeof R.createSeason> = async (c) =>
  c.json(await S.createSeason(await scope(c), c.req.valid("json")), 201);

export const getSeason: AppRouteHandler<typeof R.getSeason> = async (c) =>
  c.json(await S.getSeason(await scope(c), c.req.valid("param").id), 200);

export const replaceSeason: AppRouteHandler<typeof R.replaceSeason> = async (c) =>
  c.json(await S.replaceSeason(await scope(c), c.req.valid("param").id, c.req.valid("json")), 200);

export const deleteSeason: AppRouteHandler<typeof R.deleteSeason> = async (c) => {
  await S.deleteSeason(await scope(c), c.req.valid("param").id);
  return c.body(null, 204);
};
