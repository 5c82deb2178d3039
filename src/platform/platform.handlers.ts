/** The platform admin API's handlers: read the request, call platform.service, shape the answer. */
import type { Context } from "hono";
import { requirePrincipal } from "../auth/guards";
import { presentCreatedInvitation, revealLinks } from "../auth/invitations";
import { signingKeys } from "../auth/signing-keys";
import { InvalidInput } from "../domain/errors";
import { listPage, toListQuery } from "../http/list-query";
import { ApiError } from "../http/problem";
import type { AppEnv, AppRouteHandler } from "../http/types";
import type * as R from "./platform.routes";
import { tenantListSpec } from "./platform.routes";
import * as platform from "./platform.service";

const actorOf = (c: Context<AppEnv>) => `user:${requirePrincipal(c).userId}`;

// provisionTenant speaks TypeScript names; its field errors must name the body's keys.
const WIRE_FIELDS: Record<string, string> = { contactEmail: "contact_email", timeZone: "time_zone" };
const wireFields = <T extends { field: string }>(errors: T[]) => errors.map((e) => ({ ...e, field: WIRE_FIELDS[e.field] ?? e.field }));

function withWireFieldNames(error: unknown): unknown {
  if (error instanceof ApiError && error.errors) {
    return new ApiError(error.code, error.message, { errors: wireFields(error.errors), extra: error.extra, headers: error.headers });
  }
  if (error instanceof InvalidInput) return new InvalidInput(wireFields(error.fields), error.message);
  return error;
}

export const createTenant: AppRouteHandler<typeof R.createTenant> = async (c) => {
  const { contact_email: contactEmail, time_zone: timeZone, ...rest } = c.req.valid("json");
  const input = { ...rest, contactEmail, timeZone };
  platform.refusePlatformHost(c.get("config").platformHosts, input.domain);
  const database = c.get("database");
  const detail = await platform
    .createTenant(await database.client(), database.http, c.env.TENANT_CACHE, input, actorOf(c))
    .catch((error) => {
      throw withWireFieldNames(error);
    });
  return c.json(detail, 201);
};

export const listTenants: AppRouteHandler<typeof R.listTenants> = async (c) => {
  const list = toListQuery(tenantListSpec, c.req.valid("query"));
  const rows = await platform.listTenants(c.get("database").http, list);
  return c.json(listPage(rows, list, c.req.url, platform.presentSummary), 200);
};

export const getTenant: AppRouteHandler<typeof R.getTenant> = async (c) => {
  const { id } = c.req.valid("param");
  return c.json(await platform.loadTenant(c.get("database").http, id), 200);
};

export const changeStatus: AppRouteHandler<typeof R.changeStatus> = async (c) => {
  const { id } = c.req.valid("param");
  const change = c.req.valid("json");
  const db = c.get("database").http;
  return c.json(await platform.changeStatus(db, c.env.TENANT_CACHE, id, change, actorOf(c)), 200);
};

export const listDomains: AppRouteHandler<typeof R.listDomains> = async (c) => {
  const { id } = c.req.valid("param");
  return c.json({ results: await platform.listDomains(c.get("database").http, id) }, 200);
};

export const addDomain: AppRouteHandler<typeof R.addDomain> = async (c) => {
  const { id } = c.req.valid("param");
  const input = c.req.valid("json");
  const domain = platform.checkedDomain(c.get("config").platformHosts, input.domain);
  const actor = actorOf(c);
  const db = c.get("database").http;
  return c.json(await platform.addDomain(db, c.env.TENANT_CACHE, id, { domain, primary: input.primary }, actor), 201);
};

export const setPrimaryDomain: AppRouteHandler<typeof R.setPrimaryDomain> = async (c) => {
  const { id, domainId } = c.req.valid("param");
  const actor = actorOf(c);
  const db = c.get("database").http;
  return c.json({ results: await platform.setPrimaryDomain(db, c.env.TENANT_CACHE, id, domainId, actor) }, 200);
};

export const removeDomain: AppRouteHandler<typeof R.removeDomain> = async (c) => {
  const { id, domainId } = c.req.valid("param");
  const actor = actorOf(c);
  await platform.removeDomain(c.get("database").http, c.env.TENANT_CACHE, id, domainId, actor);
  return c.body(null, 204);
};

export const lifecycle: AppRouteHandler<typeof R.lifecycle> = async (c) => {
  const { id } = c.req.valid("param");
  const { limit } = c.req.valid("query");
  return c.json({ results: await platform.lifecycle(c.get("database").http, id, limit) }, 200);
};

export const inviteToTenant: AppRouteHandler<typeof R.inviteToTenant> = async (c) => {
  const { id } = c.req.valid("param");
  const { email, role } = c.req.valid("json");
  const db = c.get("database").http;
  const invitedBy = requirePrincipal(c).userId;
  const { invitation, origin } = await platform.inviteToTenant(db, signingKeys(c), c.get("config").PUBLIC_URL_TEMPLATE, {
    tenantId: id,
    email,
    role,
    invitedBy,
  });
  return c.json(presentCreatedInvitation(invitation, origin, revealLinks(c)), 201);
};

export const migrationState: AppRouteHandler<typeof R.migrationState> = async (c) => {
  const { id } = c.req.valid("param");
  return c.json(await platform.migrationState(c.get("database").http, id), 200);
};

export const setWhatsAppSender: AppRouteHandler<typeof R.setWhatsAppSender> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  return c.json(await platform.setWhatsAppSender(c.get("database").http, id, body, actorOf(c)), 200);
};
