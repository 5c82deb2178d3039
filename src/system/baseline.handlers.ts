/** Bare baselines: one `select 1` per request on the chosen path (see baseline.routes.ts). */
import type { AppRouteHandler } from "../http/types";
import type * as R from "./baseline.routes";
import * as S from "./baseline.service";

export const selectOneHttp: AppRouteHandler<typeof R.selectOneHttp> = async (c) =>
  c.json({ path: "http" as const, one: await S.selectOne(c.get("database").http) }, 200);

export const selectOneWebSocket: AppRouteHandler<typeof R.selectOneWebSocket> = async (c) =>
  c.json({ path: "websocket" as const, one: await S.selectOne(await c.get("database").db()) }, 200);
