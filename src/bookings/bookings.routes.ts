/** Route definitions of availability, bookings, manage links and payments (handlers in bookings.handlers.ts). */
import { LOCALES } from "../domain/locales";
import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { PAYMENT_KINDS, PAYMENT_METHODS } from "../db/schema/tenant";
import { dateField, instantField } from "../http/dates";
import { listQuerySchema, pageSchema } from "../http/list-query";
import { bearer, jsonBody, jsonContent, problemResponseSpec, tenantHostErrors, validationErrors } from "../http/schemas";
import { guard, publicGuard } from "../auth/guards";
import { bookingListSpec, BookingSchema, PublicBookingSchema } from "./booking.model";
import { MAX_AVAILABILITY_QUERY_DAYS } from "./slot-check.service";

const localDate = dateField();
const instant = instantField();
const id = z.guid();

// ---------------------------------------------------------------- public

export const AvailabilityQuery = z.object({
  service_id: id,
  from: localDate.openapi({ description: "First local date (business time zone)" }),
  to: localDate.openapi({ description: `Last local date, inclusive; at most ${MAX_AVAILABILITY_QUERY_DAYS} days after from` }),
  staff_id: id.optional().openapi({ description: "Omit for any available staff member" }),
  tz: z.string().max(64).optional().openapi({ description: "Customer's IANA zone: adds display_start to each slot" }),
});

export const SlotSchema = z
  .object({
    start: z.string(),
    end: z.string(),
    local_start: z.string().openapi({ description: "Wall clock in the business's zone" }),
    display_start: z.string().optional().openapi({ description: "Wall clock in the customer's `tz`" }),
    staff_id: z.string(),
    staff_name: z.string(),
    resource_id: z.string().nullable(),
    seats_left: z.number().int().optional(),
  })
  .openapi("Slot");

export const AvailabilitySchema = z
  .object({
    service_id: z.string(),
    time_zone: z.string(),
    display_time_zone: z.string().nullable(),
    from: z.string(),
    to: z.string(),
    slots: z.array(SlotSchema),
  })
  .openapi("Availability");

export const publicAvailability = createRoute({
  middleware: publicGuard,
  method: "get",
  path: "/api/public/availability",
  tags: ["Public booking"],
  summary: "Bookable start times of a service",
  description: `Unknown or inactive service → 422 (field service_id); staff not performing it → 422; range over ${MAX_AVAILABILITY_QUERY_DAYS} days → 422.`,
  request: { query: AvailabilityQuery },
  responses: { 200: jsonContent(AvailabilitySchema, "Slots, sorted by start"), ...tenantHostErrors, ...validationErrors },
});

const CustomerBody = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.string().max(254).optional(),
  phone: z.string().max(40).optional(),
  locale: z.enum(LOCALES).optional(),
});

export const PublicBookingBody = z
  .object({
    service_id: id,
    staff_id: id.optional(),
    start: instant,
    customer: CustomerBody,
    notes: z.string().max(2000).optional(),
  })
  .openapi("PublicBookingRequest");

const ManageLinkSchema = z.object({ token: z.string(), url: z.string(), expires_at: z.string() }).openapi("ManageLink");
const PublicCreatedSchema = z.object({ booking: PublicBookingSchema, manage: ManageLinkSchema }).openapi("PublicCreatedBooking");

const conflictResponse = {
  409: problemResponseSpec(
    "Taken meanwhile (reason staff_unavailable | resource_unavailable | session_full, next_slots) or not allowed now",
  ),
};

/** `Idempotency-Key`: printable ASCII, 8–200 characters; a retry with the same key and body returns the same booking. */
const IdempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .min(8)
    .max(200)
    .regex(/^[\x21-\x7e]+$/)
    .optional(),
});

export const createPublicBooking = createRoute({
  middleware: publicGuard,
  method: "post",
  path: "/api/public/bookings",
  tags: ["Public booking"],
  summary: "Book a slot (no login)",
  description:
    "Re-checks the slot, stores the booking with exactly the contact details given (its `contact`, where its messages go), returns a manage link. " +
    "It never shows or changes a customer record: the booking is linked to the record whose email and phone are exactly the ones given, " +
    "to a new record when neither is known, otherwise to none until staff merge it. `Idempotency-Key` makes retries return the same booking (200).",
  request: {
    headers: IdempotencyHeaders,
    body: jsonBody(PublicBookingBody),
  },
  responses: {
    201: jsonContent(PublicCreatedSchema, "Booked"),
    200: jsonContent(PublicCreatedSchema, "Replay of an earlier request with the same Idempotency-Key"),
    429: problemResponseSpec(
      "Too many bookings from this client address (`reason` `address_limit`), or the contact already has the business's maximum of upcoming bookings (`contact_cap`); see Retry-After",
    ),
    ...conflictResponse,
    ...tenantHostErrors,
    ...validationErrors,
  },
});

const TokenParam = z.object({ token: z.string().min(10).max(2000) });
const ManageViewSchema = z
  .object({
    booking: PublicBookingSchema,
    read_only: z
      .boolean()
      .openapi({ description: "Cancelled, completed or no-show: the link still shows the booking, every action is refused (409)." }),
    can_cancel: z.boolean(),
    can_reschedule: z.boolean(),
    cancellation_cutoff_min: z.number().int(),
    reschedule_cutoff_min: z.number().int(),
  })
  .openapi("ManagedBooking");
const tokenErrors = { 401: problemResponseSpec("The link has expired"), ...tenantHostErrors };

export const manageGet = createRoute({
  middleware: publicGuard,
  method: "get",
  path: "/api/public/bookings/manage/{token}",
  tags: ["Public booking"],
  summary: "A booking seen through its manage link",
  request: { params: TokenParam },
  responses: { 200: jsonContent(ManageViewSchema, "The booking"), ...tokenErrors },
});

export const manageCancel = createRoute({
  middleware: publicGuard,
  method: "post",
  path: "/api/public/bookings/manage/{token}/cancel",
  tags: ["Public booking"],
  summary: "Cancel through the manage link (before the cut-off)",
  request: { params: TokenParam },
  responses: { 200: jsonContent(z.object({ booking: PublicBookingSchema }), "Cancelled"), ...conflictResponse, ...tokenErrors },
});

export const manageReschedule = createRoute({
  middleware: publicGuard,
  method: "post",
  path: "/api/public/bookings/manage/{token}/reschedule",
  tags: ["Public booking"],
  summary: "Move the booking (before the cut-off); the old link stops working, a new one is returned",
  request: { params: TokenParam, body: jsonBody(z.object({ start: instant })) },
  responses: { 200: jsonContent(PublicCreatedSchema, "Rescheduled"), ...conflictResponse, ...tokenErrors, ...validationErrors },
});

// ---------------------------------------------------------------- staff side

export { bookingListSpec };

export const BookingListQuery = listQuerySchema(bookingListSpec()).extend({
  from: localDate.optional().openapi({ description: "Bookings starting on or after this local date" }),
  to: localDate.optional().openapi({ description: "Bookings starting on or before this local date" }),
});

const BookingListItem = BookingSchema.extend({
  customer_name: z.string().openapi({ description: "The customer record's, or the booking's contact when not linked" }),
  customer_email: z.string().nullable(),
  customer_phone: z.string().nullable(),
  staff_name: z.string(),
}).openapi("BookingListItem");

// Staff side: a tenant host and at least the staff role, stated on each route so the OpenAPI document shows it.
const secured = { security: bearer, middleware: guard("staff") };
const authErrors = { 401: problemResponseSpec("Missing or invalid token"), ...tenantHostErrors };

export const listBookings = createRoute({
  method: "get",
  path: "/api/bookings",
  tags: ["Bookings"],
  summary: "Bookings (staff see their own)",
  ...secured,
  request: { query: BookingListQuery },
  responses: { 200: jsonContent(pageSchema(BookingListItem), "A page"), ...authErrors, ...validationErrors },
});

/** With `customer_id`, every detail is optional: what is typed replaces the record's for this booking's contact. */
const StaffCustomerBody = CustomerBody.extend({ name: z.string().trim().min(1).max(200).optional() });

// Its own object (not an `extend` of the public body, which the document would render as allOf with `customer` required).
export const StaffBookingBody = z
  .object({
    service_id: id,
    staff_id: id.optional().openapi({ description: "Omit for any available staff member (required with off_grid)" }),
    start: instant,
    notes: z.string().max(2000).optional(),
    customer: StaffCustomerBody.optional().openapi({
      description:
        "The customer's details (name and an email or phone) unless `customer_id` is given; then optional overrides of the record's contact",
    }),
    customer_id: id.optional().openapi({
      description:
        "Book for this existing customer record; the booking's contact is taken from it unless typed in `customer`. " +
        "Unknown, another business's, or (staff role) not one of the caller's customers → 422 naming customer_id",
    }),
    off_grid: z
      .boolean()
      .optional()
      .openapi({
        description:
          "Owner/admin only (staff role → 403): accept this exact start even off the slot grid, outside working hours or in the past " +
          "(a walk-in). `staff_id` is required; only the service/staff existence and the no-double-booking constraints apply; " +
          "the response's `warnings` say what is unusual",
      }),
    status: z.enum(["pending", "confirmed"]).optional(),
  })
  .openapi("StaffBookingRequest");

const BookingWarnings = z
  .array(z.enum(["in_the_past", "outside_working_hours", "during_time_off"]))
  .openapi({ description: "What is unusual about an off_grid booking; empty otherwise" });
const StaffCreatedSchema = z
  .object({ booking: BookingSchema, manage: ManageLinkSchema, warnings: BookingWarnings })
  .openapi("StaffCreatedBooking");

export const createStaffBooking = createRoute({
  method: "post",
  path: "/api/bookings",
  tags: ["Bookings"],
  summary: "Book for a customer (minimum notice does not apply)",
  description:
    "Give `customer` (new or matched by email/phone) or `customer_id` (an existing record). Staff-role users book only their own calendar " +
    "and only customers they added or served (another staff member's calendar → 403). `off_grid: true` (owner/admin; staff role → 403) " +
    "books a custom time (walk-in) with `warnings`.",
  ...secured,
  request: {
    headers: IdempotencyHeaders,
    body: jsonBody(StaffBookingBody),
  },
  responses: {
    201: jsonContent(StaffCreatedSchema, "Booked"),
    200: jsonContent(StaffCreatedSchema, "Replay"),
    ...conflictResponse,
    ...authErrors,
    ...validationErrors,
  },
});

const PaymentSummarySchema = z
  .object({
    price_minor: z.number().int(),
    paid_minor: z.number().int(),
    refunded_minor: z.number().int(),
    due_minor: z.number().int(),
    currency: z.string(),
  })
  .openapi("PaymentSummary");

const EventSchema = z.object({
  id: z.number().int(),
  actor_type: z.string(),
  actor_id: z.string().nullable(),
  action: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  created_at: z.string(),
});

const BookingDetailSchema = BookingSchema.extend({
  customer: z
    .object({ id: z.string(), name: z.string(), email: z.string().nullable(), phone: z.string().nullable() })
    .nullable()
    .openapi({ description: "The linked customer record; null for an anonymous booking not linked yet (see `contact`)" }),
  service_name: z.string(),
  staff_name: z.string(),
  events: z.array(EventSchema),
  payments: PaymentSummarySchema,
}).openapi("BookingDetail");

const IdParam = z.object({ id });

export const getBooking = createRoute({
  method: "get",
  path: "/api/bookings/{id}",
  tags: ["Bookings"],
  summary: "A booking with its history and payment totals",
  ...secured,
  request: { params: IdParam },
  responses: { 200: jsonContent(BookingDetailSchema, "The booking"), ...authErrors, ...validationErrors },
});

const reasonBody = z.object({ reason: z.string().trim().max(500).optional() });
const forceBody = z.object({ force: z.boolean().optional() });

/**
 * The bodies of transitions are optional and clients send `Content-Type: application/json` with
 * nothing after it: a blank body reads as `{}` (the declared body's validator would call it malformed JSON).
 */
const blankJsonIsEmptyObject: MiddlewareHandler = async (c, next) => {
  if (/^application\/json/i.test(c.req.header("content-type") ?? "") && !(await c.req.text()).trim()) {
    // Hono's request keeps each body reading as a promise; json() parses the cached text.
    (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve("{}");
  }
  await next();
};

const FORCE_NOTE =
  ' Only once the appointment has started; an owner or admin may send `{"force": true}` to record it earlier (kept in the event\'s `after` as `override: true`).';

const transition = <Req extends { params: typeof IdParam }>(
  path: string,
  summary: string,
  opts: { request?: Req; middleware?: MiddlewareHandler[]; description?: string } = {},
) =>
  createRoute({
    method: "post",
    path: `/api/bookings/{id}/${path}`,
    tags: ["Bookings"],
    summary,
    ...(opts.description ? { description: opts.description } : {}),
    ...secured,
    ...(opts.middleware ? { middleware: [...secured.middleware, ...opts.middleware] } : {}),
    request: opts.request ?? ({ params: IdParam } as Req),
    responses: { 200: jsonContent(z.object({ booking: BookingSchema }), "Done"), ...conflictResponse, ...authErrors, ...validationErrors },
  });

export const confirmBooking = transition("confirm", "pending → confirmed");
/** An optional JSON body, blank allowed (see blankJsonIsEmptyObject). */
const optionalJson = <T extends z.ZodType>(schema: T) => ({
  request: { params: IdParam, body: { required: false, content: { "application/json": { schema } } } },
  middleware: [blankJsonIsEmptyObject],
});

export const completeBooking = transition("complete", "confirmed → completed", {
  description: `Marks the appointment done.${FORCE_NOTE}`,
  ...optionalJson(forceBody),
});
export const cancelBooking = transition("cancel", "pending | confirmed → cancelled", optionalJson(reasonBody));
export const noShowBooking = transition("no-show", "confirmed → no_show", {
  description: `Marks that the customer did not come.${FORCE_NOTE}`,
  ...optionalJson(forceBody),
});

export const rescheduleStaffBooking = createRoute({
  method: "post",
  path: "/api/bookings/{id}/reschedule",
  tags: ["Bookings"],
  summary: "Move a booking (keeps its id)",
  ...secured,
  request: { params: IdParam, body: jsonBody(z.object({ start: instant, staff_id: id.optional() })) },
  responses: { 200: jsonContent(z.object({ booking: BookingSchema }), "Moved"), ...conflictResponse, ...authErrors, ...validationErrors },
});

export const PaymentBody = z
  .object({
    kind: z.enum(PAYMENT_KINDS),
    method: z.enum(PAYMENT_METHODS),
    amount_minor: z.number().int().positive().max(1_000_000_000),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
    reference: z.string().max(200).optional(),
  })
  .openapi("PaymentRequest");

const PaymentSchema = z
  .object({
    id: z.string(),
    booking_id: z.string(),
    kind: z.string(),
    method: z.string(),
    amount_minor: z.number().int(),
    currency: z.string(),
    reference: z.string(),
    recorded_by: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("Payment");

export const createPayment = createRoute({
  method: "post",
  path: "/api/bookings/{id}/payments",
  tags: ["Payments"],
  summary: "Record a deposit, payment or refund",
  ...secured,
  request: { params: IdParam, body: jsonBody(PaymentBody) },
  responses: {
    201: jsonContent(z.object({ payment: PaymentSchema, summary: PaymentSummarySchema }), "Recorded"),
    ...authErrors,
    ...validationErrors,
  },
});

export const listBookingPayments = createRoute({
  method: "get",
  path: "/api/bookings/{id}/payments",
  tags: ["Payments"],
  summary: "Transactions of a booking and its totals",
  ...secured,
  request: { params: IdParam },
  responses: {
    200: jsonContent(z.object({ results: z.array(PaymentSchema), summary: PaymentSummarySchema }), "Transactions"),
    ...authErrors,
    ...validationErrors,
  },
});
