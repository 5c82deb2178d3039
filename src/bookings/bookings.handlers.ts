/** Handlers: parse the request, call the booking services, shape the answer. */
import { ownRecordsOnly, requirePrincipal, roleAtLeast } from "../auth/guards";
import { Forbidden } from "../domain/errors";
import { listPage } from "../http/list-query";
import type { AppEnv, AppRouteHandler } from "../http/types";
import type { Context } from "hono";
import { normaliseHost } from "../tenancy/naming";
import { ms, presentBooking, presentPublicBooking, type BookingRow } from "./booking.model";
import {
  bookingDetail,
  findBookingScoped,
  listBookings,
  listPayments,
  paymentSummary,
  recordPayment,
  rescheduleBooking,
  transitionBooking,
} from "./bookings.service";
import type * as R from "./bookings.routes";
import { limitBookingsPerAddress } from "./address-limit";
import { createBooking, createStaffBooking } from "./create-booking.service";
import { manageUrl, publicOrigin, signManageToken, verifyManageToken } from "./manage-token";
import { assertCustomerMay, cancelByCustomer, findManagedBooking, permissionsOf, rescheduleByCustomer } from "./manage.service";
import { publicSlots } from "./slot-check.service";
import { tenantOf } from "../tenancy/scope";
import { iso, localDateTime } from "./time";

type Ctx = Parameters<AppRouteHandler<typeof R.publicAvailability>>[0];

/** Staff-role callers only see their own bookings. */
const scopeOf = (c: { get: Ctx["get"] }): string | null => ownRecordsOnly(c);

// ---------------------------------------------------------------- availability

export const availabilityHandler: AppRouteHandler<typeof R.publicAvailability> = async (c) => {
  const tenant = tenantOf(c);
  const q = c.req.valid("query");
  const db = c.get("database").http;
  const { slots, names } = await publicSlots(
    db,
    tenant,
    { serviceId: q.service_id, staffId: q.staff_id ?? null, from: q.from, to: q.to, tz: q.tz },
    Date.now(),
  );
  return c.json(
    {
      service_id: q.service_id,
      time_zone: tenant.timeZone,
      display_time_zone: q.tz ?? null,
      from: q.from,
      to: q.to,
      slots: slots.map((s) => ({
        start: iso(s.start),
        end: iso(s.end),
        local_start: localDateTime(s.start, tenant.timeZone),
        ...(q.tz ? { display_start: localDateTime(s.start, q.tz) } : {}),
        staff_id: s.staffId,
        staff_name: names.get(s.staffId) ?? "",
        resource_id: s.resourceId ?? null,
        ...(s.seatsLeft !== undefined ? { seats_left: s.seatsLeft } : {}),
      })),
    },
    200,
  );
};

// ---------------------------------------------------------------- creation

async function manageLink(c: { req: { header(name: string): string | undefined; url: string }; get: Ctx["get"] }, booking: BookingRow) {
  const tenant = tenantOf(c);
  const { token, expiresAt } = await signManageToken(c.get("config").JWT_SECRET, {
    tenantId: tenant.id,
    bookingId: booking.id,
    version: booking.manage_token_version,
    endsAtMs: ms(booking.ends_at),
  });
  const host = normaliseHost(c.req.header("host") ?? new URL(c.req.url).host);
  return { token, url: manageUrl(publicOrigin(host, c.get("config").PUBLIC_URL_TEMPLATE), token), expires_at: iso(expiresAt * 1000) };
}

export const createPublicBookingHandler: AppRouteHandler<typeof R.createPublicBooking> = async (c) => {
  const tenant = tenantOf(c);
  const body = c.req.valid("json");
  const key = c.req.valid("header")["idempotency-key"] ?? null;
  await limitBookingsPerAddress(c);
  const db = c.get("database").http;
  const { booking, replayed } = await createBooking(db, tenant, {
    serviceId: body.service_id,
    staffId: body.staff_id ?? null,
    start: Date.parse(body.start),
    customer: body.customer,
    notes: body.notes,
    source: "public",
    idempotencyKey: key,
    actor: { type: "customer", id: null },
  });
  const result = { booking: presentPublicBooking(booking, tenant.timeZone), manage: await manageLink(c, booking) };
  return replayed ? c.json(result, 200) : c.json(result, 201);
};

export const createStaffBookingHandler: AppRouteHandler<typeof R.createStaffBooking> = async (c) => {
  const tenant = tenantOf(c);
  const principal = requirePrincipal(c);
  const body = c.req.valid("json");
  const key = c.req.valid("header")["idempotency-key"] ?? null;
  const { booking, replayed, warnings } = await createStaffBooking(
    c.get("database").http,
    tenant,
    { userId: principal.userId, onlyUserId: scopeOf(c) },
    {
      serviceId: body.service_id,
      staffId: body.staff_id ?? null,
      start: Date.parse(body.start),
      customer: body.customer ?? null,
      customerId: body.customer_id ?? null,
      notes: body.notes,
      status: body.status,
      offGrid: body.off_grid === true,
      idempotencyKey: key,
    },
  );
  const result = { booking: presentBooking(booking, tenant.timeZone), manage: await manageLink(c, booking), warnings };
  return replayed ? c.json(result, 200) : c.json(result, 201);
};

// ---------------------------------------------------------------- manage links

/** The booking a manage token grants (revoked versions and other bookings read as an invalid link). */
async function managed(c: { get: Ctx["get"] }, token: string) {
  const tenant = tenantOf(c);
  const grant = await verifyManageToken(c.get("config").JWT_SECRET, token, tenant.id);
  const db = c.get("database").http;
  return { db, booking: await findManagedBooking(db, tenant, grant) };
}

export const manageGetHandler: AppRouteHandler<typeof R.manageGet> = async (c) => {
  const tenant = tenantOf(c);
  const { booking: b } = await managed(c, c.req.valid("param").token);
  const may = permissionsOf(b, Date.now());
  return c.json(
    {
      booking: presentPublicBooking(b, tenant.timeZone),
      read_only: may.readOnly,
      can_cancel: may.canCancel,
      can_reschedule: may.canReschedule,
      cancellation_cutoff_min: b.cancellation_cutoff_min,
      reschedule_cutoff_min: b.reschedule_cutoff_min,
    },
    200,
  );
};

export const manageCancelHandler: AppRouteHandler<typeof R.manageCancel> = async (c) => {
  const tenant = tenantOf(c);
  const { db, booking: b } = await managed(c, c.req.valid("param").token);
  assertCustomerMay(b, "cancel", Date.now());
  const booking = await cancelByCustomer(db, tenant, b);
  return c.json({ booking: presentPublicBooking(booking, tenant.timeZone) }, 200);
};

export const manageRescheduleHandler: AppRouteHandler<typeof R.manageReschedule> = async (c) => {
  const tenant = tenantOf(c);
  const { db, booking: b } = await managed(c, c.req.valid("param").token);
  const { start } = c.req.valid("json");
  assertCustomerMay(b, "reschedule", Date.now());
  const booking = await rescheduleByCustomer(db, tenant, b, Date.parse(start));
  return c.json({ booking: presentPublicBooking(booking, tenant.timeZone), manage: await manageLink(c, booking) }, 200);
};

// ---------------------------------------------------------------- staff side

export const listBookingsHandler: AppRouteHandler<typeof R.listBookings> = async (c) => {
  const tenant = tenantOf(c);
  const zone = tenant.timeZone;
  const { rows, list } = await listBookings(c.get("database").http, tenant, c.req.valid("query"), scopeOf(c));
  const page = listPage(rows, list, c.req.url, (row) => ({
    ...presentBooking(row as unknown as BookingRow, zone),
    customer_name: row.customer_name,
    customer_email: row.customer_email,
    customer_phone: row.customer_phone,
    staff_name: row.staff_name,
  }));
  return c.json(page, 200);
};

export const getBookingHandler: AppRouteHandler<typeof R.getBooking> = async (c) => {
  const tenant = tenantOf(c);
  const db = c.get("database").http;
  const row = await bookingDetail(db, tenant, c.req.valid("param").id, scopeOf(c));
  return c.json(
    {
      ...presentBooking(row, tenant.timeZone),
      customer: row.customer,
      service_name: row.service_name,
      staff_name: row.staff_name,
      events: row.events,
      payments: paymentSummary(row.price_minor, row.currency, row.paid, row.refunded),
    },
    200,
  );
};

/** complete / no-show: the declared optional `{"force": true}`, for owners and admins only. */
function forceOf(f: boolean | undefined, role: Parameters<typeof roleAtLeast>[0]): boolean {
  // Recording an outcome before the appointment is a deliberate correction, not a staff shortcut.
  if (f === true && !roleAtLeast(role, "admin"))
    throw new Forbidden("Only an owner or admin may record an outcome before the appointment starts.");
  return f === true;
}

/** The staff member's transition of booking `id`. */
async function transition(
  c: Context<AppEnv>,
  id: string,
  action: "confirm" | "complete" | "cancel" | "no_show",
  opts: { reason?: string | null; force?: boolean } = {},
) {
  const tenant = tenantOf(c);
  const db = c.get("database").http;
  const booking = await transitionBooking(db, tenant, {
    id,
    action,
    reason: opts.reason ?? null,
    force: opts.force ?? false,
    actor: { type: "user", id: requirePrincipal(c).userId },
    onlyUserId: scopeOf(c),
  });
  return { booking: presentBooking(booking, tenant.timeZone) };
}

export const confirmHandler: AppRouteHandler<typeof R.confirmBooking> = async (c) =>
  c.json(await transition(c, c.req.valid("param").id, "confirm"), 200);

// The declared body ({reason}); a blank one arrives as {}.
export const cancelHandler: AppRouteHandler<typeof R.cancelBooking> = async (c) =>
  c.json(await transition(c, c.req.valid("param").id, "cancel", { reason: c.req.valid("json").reason || null }), 200);

const outcomeHandler =
  (action: "complete" | "no_show"): AppRouteHandler<typeof R.completeBooking> =>
  async (c) =>
    c.json(
      await transition(c, c.req.valid("param").id, action, { force: forceOf(c.req.valid("json")?.force, requirePrincipal(c).role) }),
      200,
    );

export const completeHandler = outcomeHandler("complete");
export const noShowHandler: AppRouteHandler<typeof R.noShowBooking> = outcomeHandler("no_show");

export const rescheduleHandler: AppRouteHandler<typeof R.rescheduleStaffBooking> = async (c) => {
  const tenant = tenantOf(c);
  const principal = requirePrincipal(c);
  const onlyUserId = scopeOf(c);
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const db = c.get("database").http;
  const current = await findBookingScoped(db, tenant, id, onlyUserId);
  const booking = await rescheduleBooking(db, tenant, {
    booking: current,
    start: Date.parse(body.start),
    staffId: body.staff_id ?? null,
    actor: { type: "user", id: principal.userId },
    onlyUserId,
    ignoreMinNotice: true,
  });
  return c.json({ booking: presentBooking(booking, tenant.timeZone) }, 200);
};

export const createPaymentHandler: AppRouteHandler<typeof R.createPayment> = async (c) => {
  const tenant = tenantOf(c);
  const principal = requirePrincipal(c);
  const body = c.req.valid("json");
  const db = c.get("database").http;
  const result = await recordPayment(db, tenant, {
    bookingId: c.req.valid("param").id,
    payment: { kind: body.kind, method: body.method, amountMinor: body.amount_minor, currency: body.currency, reference: body.reference },
    userId: principal.userId,
    onlyUserId: scopeOf(c),
  });
  return c.json({ payment: { ...result.payment, created_at: iso(ms(result.payment.created_at)) }, summary: result.summary }, 201);
};

export const listPaymentsHandler: AppRouteHandler<typeof R.listBookingPayments> = async (c) => {
  const tenant = tenantOf(c);
  const db = c.get("database").http;
  const { payments, summary } = await listPayments(db, tenant, c.req.valid("param").id, scopeOf(c));
  return c.json({ results: payments.map((p) => ({ ...p, created_at: iso(ms(p.created_at)) })), summary }, 200);
};
