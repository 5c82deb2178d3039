/** Liveness (any host, mounted before tenancy) and the tenant profile: routes mounted to their handlers. */
import { createRouter } from "../http/router";
import * as handlers from "./system.handlers";
import * as routes from "./system.routes";

export const healthRouter = createRouter().openapi(routes.health, handlers.health);

export const tenantInfoRouter = createRouter().openapi(routes.currentTenant, handlers.currentTenant);
