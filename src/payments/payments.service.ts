/**
 * Takings: the payments list across bookings and the day/period report
 * (payments by method and by staff member, bookings by status, no-show
 * rate). Periods are local dates of the business (`from`..`to`, inclusive),
 * turned into instants by Postgres from the zone name. Each read is ONE
 * statement on the request's HTTP handle. Staff-role callers (`onlyUserId`)
 * see only payments and bookings of their own staff row, in the SQL.
 */
import { eq, gte, ilike, lt, or, type SQL, sql } from "drizzle-orm";
import { localDayWindow } from "../bookings/calendar.service";
import { type Queryable, rowsOf } from "../db/client";
import { BOOKING_STATUSES, type BookingStatus, type TenantTables, tenantTables } from "../db/schema/tenant";
import { InvalidInput } from "../domain/errors";
import type { TenantContext } from "../domain/tenant";
import { type ListQuery, toListQuery, totalCount } from "../http/list-query";
import { paymentListSpec } from "./payments.routes";

/** The longest period one report or export covers. */
export const MAX_PERIOD_DAYS = 366;
/** Rows of one CSV export at most (the JSON list pages instead). */
export const MAX_EXPORT_ROWS = 10_000;

const DAY_MS = 86_400_000;

/** Today's local date in `zone`. */
export function todayIn(zone: string, now = Date.now()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export interface Period {
  from: string;
  to: string;
}

/** `from`/`to` as given, each defaulting to the other (or today); refused when reversed or too long. */
export function resolvePeriod(zone: string, query: { from?: string; to?: string }, now = Date.now()): Period {
  const from = query.from ?? query.to ?? todayIn(zone, now);
  const to = query.to ?? query.from ?? from;
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (days < 1) throw new InvalidInput([{ field: "to", message: "Must not be before from." }], "The period ends before it starts.");
  if (days > MAX_PERIOD_DAYS)
    throw new InvalidInput([{ field: "to", message: `At most ${MAX_PERIOD_DAYS} days after from.` }], "The period is too long.");
  return { from, to };
}

/** The period's first instant and the instant after it, by the slot engine's zone rules (see localDayWindow). */
function bounds(zone: string, period: Period): { lo: SQL; hi: SQL } {
  const w = localDayWindow(zone, period.from, period.to);
  return { lo: sql`${new Date(w.start).toISOString()}::timestamptz`, hi: sql`${new Date(w.end).toISOString()}::timestamptz` };
}

export interface PaymentFilters {
  from?: string;
  to?: string;
  search?: string;
  [key: string]: unknown;
}

function listConditions(t: TenantTables, tenant: TenantContext, period: Period, onlyUserId: string | null, search?: string): SQL[] {
  const p = t.paymentTransactions;
  const win = bounds(tenant.timeZone, period);
  const conditions: (SQL | undefined)[] = [
    gte(p.createdAt, win.lo),
    lt(p.createdAt, win.hi),
    onlyUserId ? eq(t.staff.userId, onlyUserId) : undefined,
  ];
  if (search) {
    const like = `%${search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    conditions.push(or(ilike(p.reference, like), ilike(t.customers.name, like), ilike(t.bookings.contactName, like)));
  }
  return conditions.filter((c): c is SQL => c !== undefined);
}

function paymentRows(db: Queryable, t: TenantTables, where: SQL | undefined, list: Pick<ListQuery, "orderBy" | "limit" | "offset">) {
  const p = t.paymentTransactions;
  const b = t.bookings;
  return db
    .select({
      id: p.id,
      booking_id: p.bookingId,
      kind: p.kind,
      method: p.method,
      amount_minor: p.amountMinor,
      currency: p.currency,
      reference: p.reference,
      recorded_by: p.recordedBy,
      created_at: p.createdAt,
      staff_id: b.staffId,
      staff_name: t.staff.displayName,
      service_name: t.services.name,
      customer_id: b.customerId,
      customer_name: sql<string>`coalesce(${t.customers.name}, ${b.contactName}, '')`,
      booking_starts_at: b.startsAt,
      booking_status: b.status,
      total_count: totalCount(),
    })
    .from(p)
    .innerJoin(b, eq(b.id, p.bookingId))
    .innerJoin(t.staff, eq(t.staff.id, b.staffId))
    .innerJoin(t.services, eq(t.services.id, b.serviceId))
    .leftJoin(t.customers, eq(t.customers.id, b.customerId))
    .where(where)
    .orderBy(...list.orderBy)
    .limit(list.limit)
    .offset(list.offset);
}

export type PaymentListRow = Awaited<ReturnType<typeof paymentRows>>[number];

/** One page of payments of the period (filters and ordering of `paymentListSpec`). */
export async function listPayments(db: Queryable, tenant: TenantContext, query: PaymentFilters, onlyUserId: string | null) {
  const t = tenantTables(tenant.schemaName);
  const period = resolvePeriod(tenant.timeZone, query);
  const search = typeof query.search === "string" ? query.search : undefined;
  // The list helper's own search covers one table; ours spans the customer too, so it is passed as a condition.
  const list = toListQuery(paymentListSpec(t), { ...query, search: undefined }, listConditions(t, tenant, period, onlyUserId, search));
  const rows = await paymentRows(db, t, list.where, list);
  return { rows, list, period };
}

/** Every payment of the period for a CSV export (at most MAX_EXPORT_ROWS, oldest first). */
export async function exportPayments(db: Queryable, tenant: TenantContext, query: PaymentFilters, onlyUserId: string | null) {
  const t = tenantTables(tenant.schemaName);
  const period = resolvePeriod(tenant.timeZone, query);
  const search = typeof query.search === "string" ? query.search : undefined;
  const list = toListQuery(
    paymentListSpec(t),
    { ...query, search: undefined, ordering: query.ordering ?? "created_at", page: 1, page_size: MAX_EXPORT_ROWS },
    listConditions(t, tenant, period, onlyUserId, search),
  );
  const rows = await paymentRows(db, t, list.where, { ...list, limit: MAX_EXPORT_ROWS, offset: 0 });
  return { rows, period };
}

export interface MoneyLine {
  currency: string;
  count: number;
  /** Deposits and payments. */
  payments_minor: number;
  refunds_minor: number;
  net_minor: number;
}

export interface TakingsReport extends Period {
  time_zone: string;
  staff_id: string | null;
  totals: MoneyLine[];
  by_method: (MoneyLine & { method: string })[];
  by_staff: (MoneyLine & { staff_id: string; staff_name: string })[];
  bookings_by_status: Record<BookingStatus, number>;
  bookings_total: number;
  /** no_show / (completed + no_show) of the bookings starting in the period; null when none has an outcome yet. */
  no_show_rate: number | null;
}

interface RawLine {
  currency: string;
  count: number | string;
  payments_minor: number | string;
  refunds_minor: number | string;
  method?: string;
  staff_id?: string;
  staff_name?: string;
}

const line = (r: RawLine): MoneyLine => {
  const payments = Number(r.payments_minor);
  const refunds = Number(r.refunds_minor);
  return { currency: r.currency, count: Number(r.count), payments_minor: payments, refunds_minor: refunds, net_minor: payments - refunds };
};

/** The takings report of a period, in one statement. */
export async function takingsReport(
  db: Queryable,
  tenant: TenantContext,
  query: { from?: string; to?: string; staff_id?: string },
  onlyUserId: string | null,
): Promise<TakingsReport> {
  const t = tenantTables(tenant.schemaName);
  const period = resolvePeriod(tenant.timeZone, query);
  const p = t.paymentTransactions;
  const b = t.bookings;
  const f = t.staff;
  const zone = tenant.timeZone;
  const win = bounds(zone, period);
  const staffId = query.staff_id ?? null;
  const scope = sql`(${onlyUserId}::uuid IS NULL OR ${f.userId} = ${onlyUserId}::uuid) AND (${staffId}::uuid IS NULL OR ${f.id} = ${staffId}::uuid)`;
  const sums = sql`count(*) AS count,
      coalesce(sum(amount_minor) FILTER (WHERE kind <> 'refund'), 0) AS payments_minor,
      coalesce(sum(amount_minor) FILTER (WHERE kind = 'refund'), 0) AS refunds_minor`;
  const statement = sql`
WITH pay AS (
  SELECT ${p.kind} AS kind, ${p.method} AS method, ${p.amountMinor} AS amount_minor, ${p.currency} AS currency,
         ${f.id} AS staff_id, ${f.displayName} AS staff_name
    FROM ${p} JOIN ${b} ON ${b.id} = ${p.bookingId} JOIN ${f} ON ${f.id} = ${b.staffId}
   WHERE ${p.createdAt} >= ${win.lo} AND ${p.createdAt} < ${win.hi} AND ${scope}
), bk AS (
  SELECT ${b.status} AS status, count(*) AS n
    FROM ${b} JOIN ${f} ON ${f.id} = ${b.staffId}
   WHERE ${b.startsAt} >= ${win.lo} AND ${b.startsAt} < ${win.hi} AND ${scope}
   GROUP BY ${b.status}
)
SELECT
  (SELECT coalesce(json_agg(x ORDER BY x.currency), '[]'::json) FROM (SELECT currency, ${sums} FROM pay GROUP BY currency) x) AS totals,
  (SELECT coalesce(json_agg(x ORDER BY x.method, x.currency), '[]'::json)
     FROM (SELECT method, currency, ${sums} FROM pay GROUP BY method, currency) x) AS by_method,
  (SELECT coalesce(json_agg(x ORDER BY x.staff_name, x.staff_id, x.currency), '[]'::json)
     FROM (SELECT staff_id, staff_name, currency, ${sums} FROM pay GROUP BY staff_id, staff_name, currency) x) AS by_staff,
  (SELECT coalesce(json_object_agg(status, n), '{}'::json) FROM bk) AS by_status`;
  const [row] = await rowsOf<{ totals: RawLine[]; by_method: RawLine[]; by_staff: RawLine[]; by_status: Record<string, number | string> }>(
    db,
    statement,
  );
  const byStatus = Object.fromEntries(BOOKING_STATUSES.map((s) => [s, Number(row!.by_status[s] ?? 0)])) as Record<BookingStatus, number>;
  const outcomes = byStatus.completed + byStatus.no_show;
  return {
    ...period,
    time_zone: zone,
    staff_id: staffId,
    totals: row!.totals.map(line),
    by_method: row!.by_method.map((r) => ({ method: r.method!, ...line(r) })),
    by_staff: row!.by_staff.map((r) => ({ staff_id: r.staff_id!, staff_name: r.staff_name!, ...line(r) })),
    bookings_by_status: byStatus,
    bookings_total: Object.values(byStatus).reduce((n, v) => n + v, 0),
    no_show_rate: outcomes === 0 ? null : Math.round((byStatus.no_show / outcomes) * 10_000) / 10_000,
  };
}

// ---------------------------------------------------------------- CSV

/** One CSV cell: quoted when needed; text that a spreadsheet would run as a formula is prefixed with '. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csv(rows: unknown[][]): string {
  return `${rows.map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

/** Minor units as a decimal amount in the currency's own precision (MAD: 2 decimals). */
export function majorAmount(minor: number, currency: string): string {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return (minor / 10 ** digits).toFixed(digits);
}

const localStamp = (value: Date, zone: string) =>
  new Intl.DateTimeFormat("sv-SE", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(value);

export function paymentsCsv(rows: Omit<PaymentListRow, "total_count">[], zone: string): string {
  return csv([
    [
      "created_at_local",
      "payment_id",
      "booking_id",
      "kind",
      "method",
      "amount",
      "currency",
      "staff",
      "service",
      "customer",
      "booking_start_local",
      "reference",
    ],
    ...rows.map((r) => [
      localStamp(r.created_at, zone),
      r.id,
      r.booking_id,
      r.kind,
      r.method,
      majorAmount(r.kind === "refund" ? -r.amount_minor : r.amount_minor, r.currency),
      r.currency,
      r.staff_name,
      r.service_name,
      r.customer_name,
      localStamp(r.booking_starts_at, zone),
      r.reference,
    ]),
  ]);
}

export function takingsCsv(report: TakingsReport): string {
  const money = (l: MoneyLine) => [
    l.currency,
    l.count,
    majorAmount(l.payments_minor, l.currency),
    majorAmount(l.refunds_minor, l.currency),
    majorAmount(l.net_minor, l.currency),
  ];
  return csv([
    ["section", "key", "currency", "count", "payments", "refunds", "net"],
    ...report.totals.map((l) => ["total", `${report.from}..${report.to}`, ...money(l)]),
    ...report.by_method.map((l) => ["method", l.method, ...money(l)]),
    ...report.by_staff.map((l) => ["staff", l.staff_name, ...money(l)]),
    ...BOOKING_STATUSES.map((s) => ["bookings", s, "", report.bookings_by_status[s], "", "", ""]),
    ["no_show_rate", "", "", report.no_show_rate ?? "", "", "", ""],
  ]);
}
