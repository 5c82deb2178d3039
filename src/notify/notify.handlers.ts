/** Handlers of webhook endpoints and the outbox read API: parse, call notify.service, shape the answer. */
import { iso } from "../http/json";
import { listPage, toListQuery } from "../http/list-query";
import type { AppRouteHandler } from "../http/types";
import { tenantScope as scope } from "../tenancy/scope";
import type * as R from "./notify.routes";
import { notificationListSpec, webhookListSpec } from "./notify.routes";
import * as S from "./notify.service";

const presentEndpoint = <R extends { created_at: Date; updated_at: Date }>(r: R) => ({
  ...r,
  created_at: iso(r.created_at)!,
  updated_at: iso(r.updated_at)!,
});

const presentNotification = <R extends { next_attempt_at: Date; sent_at: Date | null; created_at: Date; updated_at: Date }>(r: R) => ({
  ...r,
  next_attempt_at: iso(r.next_attempt_at)!,
  sent_at: iso(r.sent_at),
  created_at: iso(r.created_at)!,
  updated_at: iso(r.updated_at)!,
});

export const listWebhooks: AppRouteHandler<typeof R.listWebhooks> = async (c) => {
  const s = await scope(c);
  const list = toListQuery(webhookListSpec(s.t), c.req.valid("query"));
  return c.json(listPage(await S.listWebhookEndpoints(s, list), list, c.req.url, presentEndpoint), 200);
};

export const createWebhook: AppRouteHandler<typeof R.createWebhook> = async (c) => {
  const { secret, ...row } = await S.createWebhookEndpoint(await scope(c), c.req.valid("json"), c.get("config").APP_ENV);
  return c.json({ ...presentEndpoint(row), secret }, 201);
};

export const getWebhook: AppRouteHandler<typeof R.getWebhook> = async (c) =>
  c.json(presentEndpoint(await S.findWebhookEndpoint(await scope(c), c.req.valid("param").id)), 200);

export const updateWebhook: AppRouteHandler<typeof R.updateWebhook> = async (c) => {
  const row = await S.updateWebhookEndpoint(await scope(c), c.req.valid("param").id, c.req.valid("json"), c.get("config").APP_ENV);
  return c.json(presentEndpoint(row), 200);
};

export const deleteWebhook: AppRouteHandler<typeof R.deleteWebhook> = async (c) => {
  await S.deleteWebhookEndpoint(await scope(c), c.req.valid("param").id);
  return c.body(null, 204);
};

export const listNotifications: AppRouteHandler<typeof R.listNotifications> = async (c) => {
  const s = await scope(c);
  const list = toListQuery(notificationListSpec(s.t), c.req.valid("query"));
  return c.json(listPage(await S.listOutbox(s, list), list, c.req.url, presentNotification), 200);
};

export const getNotification: AppRouteHandler<typeof R.getNotification> = async (c) => {
  const { attempts, ...row } = await S.findNotification(await scope(c), c.req.valid("param").id);
  return c.json({ ...presentNotification(row), attempt_log: attempts.map((a) => ({ ...a, created_at: iso(a.created_at)! })) }, 200);
};

export const retryNotification: AppRouteHandler<typeof R.retryNotification> = async (c) =>
  c.json(presentNotification(await S.retryNotification(await scope(c), c.req.valid("param").id)), 200);
