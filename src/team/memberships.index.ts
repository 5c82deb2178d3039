/** Members and invitations of the business at this host: routes mounted to their handlers. */
import { createRouter } from "../http/router";
import * as handlers from "./memberships.handlers";
import * as routes from "./memberships.routes";

export const membershipsRouter = createRouter()
  .openapi(routes.listMemberships, handlers.listMemberships)
  .openapi(routes.getMembership, handlers.getMembership)
  .openapi(routes.updateMembership, handlers.updateMembership)
  .openapi(routes.deleteMembership, handlers.deleteMembership)
  .openapi(routes.createInvitation, handlers.createInvitation)
  .openapi(routes.listInvitations, handlers.listInvitations)
  .openapi(routes.resendInvitation, handlers.resendInvitation)
  .openapi(routes.revokeInvitation, handlers.revokeInvitation)
  .openapi(routes.acceptInvitation, handlers.acceptInvitation);
