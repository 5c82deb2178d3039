/**
 * The customer pages, served at the root of each tenant's own domain:
 *   GET  /                      booking steps (query: service, staff, from, date, start, lang)
 *   POST /book                  create the booking → 303 to the manage page
 *   GET  /manage/:token         the booking (confirmation after booking), .ics, cancel, reschedule
 *   POST /manage/:token/messages/stop|resume   no more WhatsApp/SMS to the booking's phone, or again
 * Mounted after the API routers; nothing here matches /api or /health.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { errorHandler } from "../http/errors";
import { ApiError } from "../http/problem";
import type { AppEnv } from "../http/types";
import { bookingPage, bookPost } from "./booking.handlers";
import { htmlErrorResponse } from "./error-page";
import {
  calendarFile,
  cancelConfirmPage,
  cancelPost,
  managePage,
  messagesResumePost,
  messagesStopPost,
  rescheduleConfirmPage,
  reschedulePage,
  reschedulePost,
} from "./manage.handlers";

export const webRouter = new Hono<AppEnv>();

// Forms are small; refuse anything bigger before parsing it.
webRouter.post(
  "*",
  bodyLimit({
    maxSize: 16 * 1024,
    onError: () => {
      throw new ApiError("payload_too_large", "The form is too large.");
    },
  }),
);
webRouter.get("/", bookingPage);
webRouter.post("/book", bookPost);
webRouter.get("/manage/:token", managePage);
webRouter.get("/manage/:token/calendar.ics", calendarFile);
webRouter.get("/manage/:token/cancel", cancelConfirmPage);
webRouter.post("/manage/:token/cancel", cancelPost);
webRouter.get("/manage/:token/reschedule", reschedulePage);
webRouter.get("/manage/:token/reschedule/confirm", rescheduleConfirmPage);
webRouter.post("/manage/:token/reschedule", reschedulePost);
webRouter.post("/manage/:token/messages/stop", messagesStopPost);
webRouter.post("/manage/:token/messages/resume", messagesResumePost);

// Errors of these pages are pages too, whatever the Accept header says.
webRouter.onError(errorHandler({ wants: () => true, render: htmlErrorResponse }));
