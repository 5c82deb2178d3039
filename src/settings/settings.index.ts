/** Tenant booking settings: routes mounted to their handlers. */
import { createRouter } from "../http/router";
import * as handlers from "./settings.handlers";
import * as routes from "./settings.routes";

export const settingsRouter = createRouter()
  .openapi(routes.getSettings, handlers.getSettings)
  .openapi(routes.updateSettings, handlers.updateSettings);
