/** Members and invitations of the business at this host: read the request, call the team services, shape the answer. */
import { ownRecordsOnly, requirePrincipal } from "../auth/guards";
import { presentCreatedInvitation, revealLinks } from "../auth/invitations";
import { signingKeys } from "../auth/signing-keys";
import { listPage, toListQuery } from "../http/list-query";
import type { AppRouteHandler } from "../http/types";
import { tenantOf } from "../tenancy/scope";
import * as invitations from "./invitations.service";
import type * as R from "./memberships.routes";
import { membershipListSpec } from "./memberships.routes";
import * as members from "./memberships.service";

export const listMemberships: AppRouteHandler<typeof R.listMemberships> = async (c) => {
  const scope = members.memberScope(tenantOf(c).id, ownRecordsOnly(c));
  const list = toListQuery(membershipListSpec, c.req.valid("query"), [scope]);
  const rows = await members.listMembers(c.get("database").http, list);
  return c.json(listPage(rows, list, c.req.url, members.presentMember), 200);
};

export const getMembership: AppRouteHandler<typeof R.getMembership> = async (c) => {
  const onlyUserId = ownRecordsOnly(c);
  const { id } = c.req.valid("param");
  return c.json(await members.getMember(c.get("database").http, tenantOf(c).id, id, onlyUserId), 200);
};

export const updateMembership: AppRouteHandler<typeof R.updateMembership> = async (c) => {
  const principal = requirePrincipal(c);
  const { id } = c.req.valid("param");
  const { role } = c.req.valid("json");
  const tenant = tenantOf(c);
  return c.json(await members.changeRole(c.get("database").http, tenant.id, principal.role, id, role), 200);
};

export const deleteMembership: AppRouteHandler<typeof R.deleteMembership> = async (c) => {
  const principal = requirePrincipal(c);
  const { id } = c.req.valid("param");
  const tenant = tenantOf(c);
  await members.removeMember(c.get("database").http, tenant.id, principal.role, id);
  return c.body(null, 204);
};

export const createInvitation: AppRouteHandler<typeof R.createInvitation> = async (c) => {
  const principal = requirePrincipal(c);
  const { email, role } = c.req.valid("json");
  const tenant = tenantOf(c);
  const origin = new URL(c.req.url).origin;
  const created = await invitations.invite(c.get("database").http, signingKeys(c), tenant, origin, {
    email,
    role,
    invitedBy: principal.userId,
    inviterRole: principal.role,
  });
  return c.json(presentCreatedInvitation(created, origin, revealLinks(c)), 201);
};

export const listInvitations: AppRouteHandler<typeof R.listInvitations> = async (c) => {
  return c.json({ results: await invitations.listPending(c.get("database").http, tenantOf(c).id) }, 200);
};

export const resendInvitation: AppRouteHandler<typeof R.resendInvitation> = async (c) => {
  const principal = requirePrincipal(c);
  const { id } = c.req.valid("param");
  const origin = new URL(c.req.url).origin;
  const created = await invitations.resend(c.get("database").http, signingKeys(c), tenantOf(c), origin, id, principal);
  return c.json(presentCreatedInvitation(created, origin, revealLinks(c)), 201);
};

export const revokeInvitation: AppRouteHandler<typeof R.revokeInvitation> = async (c) => {
  const { id } = c.req.valid("param");
  await invitations.revoke(c.get("database").http, tenantOf(c).id, id);
  return c.body(null, 204);
};

export const acceptInvitation: AppRouteHandler<typeof R.acceptInvitation> = async (c) => {
  const { token, password, display_name: displayName } = c.req.valid("json");
  const tenant = tenantOf(c);
  return c.json(await invitations.accept(c.get("database").http, signingKeys(c), tenant.id, { token, password, displayName }), 201);
};
