/** The superuser admin API on the platform host: routes mounted to their handlers. */
import { createRouter } from "../http/router";
import * as handlers from "./platform.handlers";
import * as routes from "./platform.routes";

export const platformRouter = createRouter()
  .openapi(routes.createTenant, handlers.createTenant)
  .openapi(routes.listTenants, handlers.listTenants)
  .openapi(routes.getTenant, handlers.getTenant)
  .openapi(routes.changeStatus, handlers.changeStatus)
  .openapi(routes.listDomains, handlers.listDomains)
  .openapi(routes.addDomain, handlers.addDomain)
  .openapi(routes.setPrimaryDomain, handlers.setPrimaryDomain)
  .openapi(routes.removeDomain, handlers.removeDomain)
  .openapi(routes.lifecycle, handlers.lifecycle)
  .openapi(routes.inviteToTenant, handlers.inviteToTenant)
  .openapi(routes.migrationState, handlers.migrationState)
  .openapi(routes.setWhatsAppSender, handlers.setWhatsAppSender);
