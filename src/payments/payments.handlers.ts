import { ownRecordsOnly } from "../auth/guards";
import { iso } from "../http/json";
import { listPage } from "../http/list-query";
import type { AppRouteHandler } from "../http/types";
import { tenantScope as scope } from "../tenancy/scope";
import type * as R from "./payments.routes";
import * as S from "./payments.service";

const present = (r: Omit<S.PaymentListRow, "total_count">) => {
  const { booking_starts_at, created_at, ...rest } = r;
  return { ...rest, created_at: iso(created_at)!, booking_start: iso(booking_starts_at)! };
};

const attachment = (body: string, name: string) =>
  new Response(body, {
    status: 200,
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"` },
  });

export const listPayments: AppRouteHandler<typeof R.listPayments> = async (c) => {
  const s = await scope(c);
  const { rows, list, period } = await S.listPayments(s.db, s.tenant, c.req.valid("query"), ownRecordsOnly(c));
  return c.json({ ...listPage(rows, list, c.req.url, present), ...period, time_zone: s.tenant.timeZone }, 200);
};

export const exportPayments: AppRouteHandler<typeof R.exportPayments> = async (c) => {
  const s = await scope(c);
  const { rows, period } = await S.exportPayments(s.db, s.tenant, c.req.valid("query"), ownRecordsOnly(c));
  return attachment(S.paymentsCsv(rows, s.tenant.timeZone), `payments-${period.from}_${period.to}.csv`) as never;
};

export const takingsReport: AppRouteHandler<typeof R.takingsReport> = async (c) => {
  const s = await scope(c);
  return c.json(await S.takingsReport(s.db, s.tenant, c.req.valid("query"), ownRecordsOnly(c)), 200);
};

export const exportTakings: AppRouteHandler<typeof R.exportTakings> = async (c) => {
  const s = await scope(c);
  const report = await S.takingsReport(s.db, s.tenant, c.req.valid("query"), ownRecordsOnly(c));
  return attachment(S.takingsCsv(report), `takings-${report.from}_${report.to}.csv`) as never;
};
