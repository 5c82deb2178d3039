/** The router of availability, bookings, manage links and payments. */
import { requireRole } from "../auth/guards";
import { createRouter } from "../http/router";
import { requireTenantHost } from "../tenancy/middleware";
import * as H from "./bookings.handlers";
import * as R from "./bookings.routes";

export const bookingsRouter = createRouter();
bookingsRouter.use("/api/public/availability", requireTenantHost);
bookingsRouter.use("/api/public/bookings", requireTenantHost);
bookingsRouter.use("/api/public/bookings/*", requireTenantHost);
bookingsRouter.use("/api/bookings", requireTenantHost, requireRole("staff"));
bookingsRouter.use("/api/bookings/*", requireTenantHost, requireRole("staff"));

bookingsRouter
  .openapi(R.publicAvailability, H.availabilityHandler)
  .openapi(R.createPublicBooking, H.createPublicBookingHandler)
  .openapi(R.manageGet, H.manageGetHandler)
  .openapi(R.manageCancel, H.manageCancelHandler)
  .openapi(R.manageReschedule, H.manageRescheduleHandler)
  .openapi(R.listBookings, H.listBookingsHandler)
  .openapi(R.createStaffBooking, H.createStaffBookingHandler)
  .openapi(R.getBooking, H.getBookingHandler)
  .openapi(R.confirmBooking, H.confirmHandler)
  .openapi(R.completeBooking, H.completeHandler)
  .openapi(R.cancelBooking, H.cancelHandler)
  .openapi(R.noShowBooking, H.noShowHandler)
  .openapi(R.rescheduleStaffBooking, H.rescheduleHandler)
  .openapi(R.createPayment, H.createPaymentHandler)
  .openapi(R.listBookingPayments, H.listPaymentsHandler);
