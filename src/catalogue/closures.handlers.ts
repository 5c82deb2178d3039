import { iso } from "../http/json";
import type { AppRouteHandler } from "../http/types";
import { tenantScope as scope } from "../tenancy/scope";
import type * as R from "./closures.routes";
import * as S from "./closures.service";

const present = <T extends { created_at: Date }>(row: T) => ({ ...row, created_at: iso(row.created_at)! });

export const listClosures: AppRouteHandler<typeof R.listClosures> = async (c) =>
  c.json({ data: (await S.listClosures(await scope(c), c.req.valid("query").from)).map(present) }, 200);

export const createClosure: AppRouteHandler<typeof R.createClosure> = async (c) =>
  c.json(present(await S.createClosure(await scope(c), c.req.valid("json"))), 201);

export const deleteClosure: AppRouteHandler<typeof R.deleteClosure> = async (c) => {
  await S.deleteClosure(await scope(c), c.req.valid("param").id);
  return c.body(null, 204);
};
