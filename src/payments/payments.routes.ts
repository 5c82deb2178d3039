/** Route definitions of the takings API: the payments list, its CSV export and the takings report. */
import { createRoute, z } from "@hono/zod-openapi";
import { guard } from "../auth/guards";
import { BOOKING_STATUSES, docTables, PAYMENT_KINDS, PAYMENT_METHODS, type TenantTables } from "../db/schema/tenant";
import { dateField } from "../http/dates";
import { type ListSpec, listQuerySchema, pageSchema } from "../http/list-query";
import { bearer, jsonContent, staffErrors } from "../http/schemas";

const localDate = dateField();
const tags = ["Takings"];

const PeriodQuery = {
  from: localDate.optional().openapi({ description: "First local date of the period (business time zone); default: to, else today" }),
  to: localDate.optional().openapi({ description: "Last local date, inclusive (at most 366 days after from); default: from" }),
};

export const paymentListSpec = (t: TenantTables): ListSpec => ({
  filters: {
    kind: { column: t.paymentTransactions.kind, schema: z.enum(PAYMENT_KINDS) },
    method: { column: t.paymentTransactions.method, schema: z.enum(PAYMENT_METHODS) },
    staff_id: { column: t.bookings.staffId, schema: z.uuid() },
    booking_id: { column: t.paymentTransactions.bookingId, schema: z.uuid() },
  },
  ordering: { created_at: t.paymentTransactions.createdAt, amount_minor: t.paymentTransactions.amountMinor },
  defaultOrdering: "-created_at",
  tiebreak: t.paymentTransactions.id,
});

export const PaymentListQuery = listQuerySchema(paymentListSpec(docTables))
  .extend(PeriodQuery)
  .extend({ search: z.string().trim().max(100).optional().openapi({ description: "Customer name or payment reference (substring)" }) });

export const PaymentListItemSchema = z
  .object({
    id: z.uuid(),
    booking_id: z.uuid(),
    kind: z.enum(PAYMENT_KINDS),
    method: z.enum(PAYMENT_METHODS),
    amount_minor: z.number().int().openapi({ description: "Always positive; a refund's kind says it counts against the takings" }),
    currency: z.string(),
    reference: z.string(),
    recorded_by: z.string().nullable(),
    created_at: z.string(),
    staff_id: z.uuid(),
    staff_name: z.string(),
    service_name: z.string(),
    customer_id: z.string().nullable(),
    customer_name: z.string(),
    booking_start: z.string(),
    booking_status: z.enum(BOOKING_STATUSES),
  })
  .openapi("PaymentListItem");

export const PaymentPageSchema = pageSchema(PaymentListItemSchema).extend({ from: z.string(), to: z.string(), time_zone: z.string() });

export const listPayments = createRoute({
  method: "get",
  path: "/api/payments",
  tags,
  summary: "Payments, deposits and refunds of a period, across bookings (staff and above)",
  description:
    "The period is `from`..`to` in local dates of the business (default: today), by the instant each payment was recorded. " +
    "Owners and admins see every payment; a staff-role user only those of bookings on their own calendar.",
  security: bearer,
  middleware: guard("staff"),
  request: { query: PaymentListQuery },
  responses: { 200: jsonContent(PaymentPageSchema.openapi("PaymentPage"), "A page of payments"), ...staffErrors({ body: false }) },
});

const csvContent = (description: string) => ({
  description,
  content: { "text/csv": { schema: z.string().openapi({ description: "RFC 4180, UTF-8, header row first" }) } },
});

export const exportPayments = createRoute({
  method: "get",
  path: "/api/payments/export",
  tags,
  summary: "The same payments as CSV (every row of the period, at most 10,000; staff and above)",
  description: "Amounts in the currency's major unit, refunds negative; times on the business's wall clock.",
  security: bearer,
  middleware: guard("staff"),
  request: { query: PaymentListQuery.omit({ page: true, page_size: true }) },
  responses: { 200: csvContent("Payments as CSV (attachment)"), ...staffErrors({ body: false }) },
});

export const TakingsQuery = z.object({
  ...PeriodQuery,
  staff_id: z.uuid().optional().openapi({ description: "Only this staff member's bookings and payments" }),
});

const MoneyLineSchema = z.object({
  currency: z.string(),
  count: z.number().int(),
  payments_minor: z.number().int().openapi({ description: "Deposits and payments" }),
  refunds_minor: z.number().int(),
  net_minor: z.number().int().openapi({ description: "payments_minor − refunds_minor" }),
});

export const TakingsReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    time_zone: z.string(),
    staff_id: z.string().nullable(),
    totals: z.array(MoneyLineSchema).openapi({ description: "One line per currency" }),
    by_method: z.array(MoneyLineSchema.extend({ method: z.enum(PAYMENT_METHODS) })),
    by_staff: z.array(MoneyLineSchema.extend({ staff_id: z.string(), staff_name: z.string() })),
    bookings_by_status: z.object(
      Object.fromEntries(BOOKING_STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof BOOKING_STATUSES)[number], z.ZodNumber>,
    ),
    bookings_total: z.number().int(),
    no_show_rate: z
      .number()
      .nullable()
      .openapi({ description: "no_show / (completed + no_show) of the bookings starting in the period; null when none has an outcome" }),
  })
  .openapi("TakingsReport");

export const takingsReport = createRoute({
  method: "get",
  path: "/api/reports/takings",
  tags,
  summary: "Takings of a day or period: payments by method and by staff member, bookings by status, no-show rate (staff and above)",
  description:
    "Payments count on the local date they were recorded; bookings on the local date they start. " +
    "A staff-role user gets the report of their own calendar only.",
  security: bearer,
  middleware: guard("staff"),
  request: { query: TakingsQuery },
  responses: { 200: jsonContent(TakingsReportSchema, "The report"), ...staffErrors({ body: false }) },
});

export const exportTakings = createRoute({
  method: "get",
  path: "/api/reports/takings/export",
  tags,
  summary: "The takings report as CSV (staff and above)",
  security: bearer,
  middleware: guard("staff"),
  request: { query: TakingsQuery },
  responses: { 200: csvContent("The report as CSV (attachment)"), ...staffErrors({ body: false }) },
});
