/** The router of availability, bookings, manage links and payments: routes (with their guards) mounted to handlers. */
import { createRouter } from "../http/router";
import * as H from "./bookings.handlers";
import * as R from "./bookings.routes";

export const bookingsRouter = createRouter();

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
