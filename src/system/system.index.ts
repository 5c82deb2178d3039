/** Liveness (any host, mounted before tenancy) and the tenant profile: routes mounted to their handlers. */
import { createRouter } from "../http/router";
import * as baselineHandlers from "./baseline.handlers";
import * as baselineRoutes from "./baseline.routes";
import * as handlers from "./system.handlers";
import * as routes from "./system.routes";

export const healthRouter = createRouter().openapi(routes.health, handlers.health);

export const tenantInfoRouter = createRouter().openapi(routes.currentTenant, handlers.currentTenant);

/** Bench-only `select 1` baselines (BENCH_BASELINES=on), mounted before tenancy: no tenant lookup. */
export const baselineRouter = createRouter()
  .openapi(baselineRoutes.selectOneHttp, baselineHandlers.selectOneHttp)
  .openapi(baselineRoutes.selectOneWebSocket, baselineHandlers.selectOneWebSocket);
