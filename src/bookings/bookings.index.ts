/** The router of availability, bookings, manage links and payments. */
import type { RouteConfig } from "@hono/zod-openapi";
import { requireRole } from "../auth/guards";
import { createRouter } from "../http/router";
import { requireTenantHost } from "../tenancy/middleware";
import * as H from "./bookings.handlers";
import * as R from "./bookings.routes";

// Guards go on each route (not path-wide `use`), so the OpenAPI document states them (x-host, x-min-role).
const publicRoute = <T extends RouteConfig>(route: T) => ({ ...route, middleware: [requireTenantHost] });
const staffRoute = <T extends RouteConfig>(route: T) => ({ ...route, middleware: [requireTenantHost, requireRole("staff")] });

export const bookingsRouter = createRouter();

bookingsRouter
  .openapi(publicRoute(R.publicAvailability), H.availabilityHandler)
  .openapi(publicRoute(R.createPublicBooking), H.createPublicBookingHandler)
  .openapi(publicRoute(R.manageGet), H.manageGetHandler)
  .openapi(publicRoute(R.manageCancel), H.manageCancelHandler)
  .openapi(publicRoute(R.manageReschedule), H.manageRescheduleHandler)
  .openapi(staffRoute(R.listBookings), H.listBookingsHandler)
  .openapi(staffRoute(R.createStaffBooking), H.createStaffBookingHandler)
  .openapi(staffRoute(R.getBooking), H.getBookingHandler)
  .openapi(staffRoute(R.confirmBooking), H.confirmHandler)
  .openapi(staffRoute(R.completeBooking), H.completeHandler)
  .openapi(staffRoute(R.cancelBooking), H.cancelHandler)
  .openapi(staffRoute(R.noShowBooking), H.noShowHandler)
  .openapi(staffRoute(R.rescheduleStaffBooking), H.rescheduleHandler)
  .openapi(staffRoute(R.createPayment), H.createPaymentHandler)
  .openapi(staffRoute(R.listBookingPayments), H.listPaymentsHandler);
