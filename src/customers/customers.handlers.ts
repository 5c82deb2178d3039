import { ownRecordsOnly, requirePrincipal } from "../auth/guards";
import type { Locale } from "../domain/locales";
import { iso } from "../http/json";
import { listPage } from "../http/list-query";
import type { AppRouteHandler } from "../http/types";
import { tenantScope as scope } from "../tenancy/scope";
import type * as R from "./customers.routes";
import * as S from "./customers.service";

const present = <Row extends { locale: string; created_at: Date; updated_at: Date }>(r: Row) => ({
  ...r,
  locale: r.locale as Locale,
  created_at: iso(r.created_at)!,
  updated_at: iso(r.updated_at)!,
});

export const listCustomers: AppRouteHandler<typeof R.listCustomers> = async (c) => {
  const s = await scope(c);
  const { rows, list } = await S.listCustomers(s, c.req.valid("query"), ownRecordsOnly(c));
  return c.json(listPage(rows, list, c.req.url, present), 200);
};

export const createCustomer: AppRouteHandler<typeof R.createCustomer> = async (c) => {
  const s = await scope(c);
  return c.json(present(await S.createCustomer(s, c.req.valid("json"), requirePrincipal(c).userId)), 201);
};

export const getCustomer: AppRouteHandler<typeof R.getCustomer> = async (c) => {
  const s = await scope(c);
  return c.json(present(await S.getCustomer(s, c.req.valid("param").id, ownRecordsOnly(c))), 200);
};

export const updateCustomer: AppRouteHandler<typeof R.updateCustomer> = async (c) => {
  const s = await scope(c);
  return c.json(present(await S.updateCustomer(s, c.req.valid("param").id, c.req.valid("json"), ownRecordsOnly(c))), 200);
};

export const deleteCustomer: AppRouteHandler<typeof R.deleteCustomer> = async (c) => {
  await S.deleteCustomer(await scope(c), c.req.valid("param").id);
  return c.body(null, 204);
};

export const mergeCustomer: AppRouteHandler<typeof R.mergeCustomer> = async (c) => {
  const s = await scope(c);
  const body = c.req.valid("json");
  const merged = await S.mergeCustomers(s, {
    targetId: c.req.valid("param").id,
    sourceId: body.source_id ?? null,
    bookingIds: body.booking_ids ?? [],
    actorUserId: requirePrincipal(c).userId,
  });
  return c.json(
    { customer: present(merged.customer), moved_booking_ids: merged.movedBookingIds, merged_customer_id: merged.mergedCustomerId },
    200,
  );
};
