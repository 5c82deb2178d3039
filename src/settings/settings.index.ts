/** Tenant booking settings and the business profile: routes mounted to their handlers. */
import { createRouter } from "../http/router";
import * as businessHandlers from "./business.handlers";
import * as businessRoutes from "./business.routes";
import * as handlers from "./settings.handlers";
import * as routes from "./settings.routes";

export const settingsRouter = createRouter()
  .openapi(routes.getSettings, handlers.getSettings)
  .openapi(routes.updateSettings, handlers.updateSettings)
  .openapi(businessRoutes.getBusiness, businessHandlers.getBusiness)
  .openapi(businessRoutes.updateBusiness, businessHandlers.updateBusiness);
