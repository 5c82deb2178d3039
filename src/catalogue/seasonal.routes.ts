import { createRoute, z } from "@hono/zod-openapi";
import { guard } from "../auth/guards";
import { dateField } from "../http/dates";
import { bearer, IdParams, jsonBody, jsonContent, staffErrors } from "../http/schemas";
import { checkDateRange } from "./closures.routes";
import { WeeklyRule } from "./schedules.routes";
import { rangeErrors } from "./schedules.rules";

const isoDate = dateField();

export const SeasonSchema = z
  .object({
    id: z.uuid(),
    label: z.string(),
    starts_on: z.string().openapi({ format: "date" }),
    ends_on: z.string().openapi({ format: "date" }),
    staff_ids: z.array(z.uuid()),
    weekly: z.array(WeeklyRule),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("SeasonalHours");

export const SeasonWriteSchema = z
  .object({
    label: z.string().trim().max(120).optional(),
    starts_on: isoDate,
    ends_on: isoDate,
    staff_ids: z.array(z.uuid()).min(1).max(500),
    weekly: z
      .array(WeeklyRule)
      .max(70)
      .openapi({ description: "Replaces the weekly hours on these dates; a weekday without rules is a day off" }),
  })
  .strict()
  .superRefine((body, ctx) => {
    checkDateRange(body, ctx);
    const ranges = body.weekly.map((range, i) => ({ range, path: `weekly.${i}`, group: `w${range.weekday}` }));
    for (const e of rangeErrors(ranges)) {
      ctx.addIssue({ code: "custom", path: e.field.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message: e.message });
    }
  })
  .openapi("SeasonalHoursWrite", {
    description:
      "Seasonal hours (e.g. Ramadan) for local dates starts_on..ends_on: the chosen staff work these weekly hours instead of their own. A staff member's date override and a business closure still win.",
  });

export const AffectedBookingSchema = z
  .object({
    id: z.uuid(),
    staff_id: z.uuid(),
    staff_name: z.string(),
    service_name: z.string(),
    customer_name: z.string().nullable(),
    starts_at: z.string(),
    ends_at: z.string(),
  })
  .openapi("AffectedBooking");

const tags = ["Staff"];

export const listSeasons = createRoute({
  method: "get",
  path: "/api/seasonal-hours",
  tags,
  summary: "Seasonal hours (staff and above)",
  security: bearer,
  middleware: guard("staff"),
  request: { query: z.object({ from: isoDate.optional().openapi({ description: "Only seasons ending on or after this date" }) }) },
  responses: { 200: jsonContent(z.object({ data: z.array(SeasonSchema) }), "Seasons by first date"), ...staffErrors({ body: false }) },
});

export const previewSeason = createRoute({
  method: "post",
  path: "/api/seasonal-hours/preview",
  tags,
  summary: "Upcoming bookings that would fall outside these seasonal hours (admin and above; nothing is saved)",
  security: bearer,
  middleware: guard("admin"),
  request: { body: jsonBody(SeasonWriteSchema) },
  responses: { 200: jsonContent(z.object({ affected: z.array(AffectedBookingSchema) }), "The affected bookings"), ...staffErrors() },
});

export const createSeason = createRoute({
  method: "post",
  path: "/api/seasonal-hours",
  tags,
  summary: "Add seasonal hours for chosen staff (admin and above)",
  security: bearer,
  middleware: guard("admin"),
  request: { body: jsonBody(SeasonWriteSchema) },
  responses: { 201: jsonContent(SeasonSchema, "Created"), ...staffErrors() },
});

export const getSeason = createRoute({
  method: "get",
  path: "/api/seasonal-hours/{id}",
  tags,
  summary: "One season's hours (staff and above)",
  security: bearer,
  middleware: guard("staff"),
  request: { params: IdParams },
  responses: { 200: jsonContent(SeasonSchema, "The season"), ...staffErrors({ body: false }) },
});

export const replaceSeason = createRoute({
  method: "put",
  path: "/api/seasonal-hours/{id}",
  tags,
  summary: "Replace a season's dates, hours and staff (admin and above)",
  security: bearer,
  middleware: guard("admin"),
  request: { params: IdParams, body: jsonBody(SeasonWriteSchema) },
  responses: { 200: jsonContent(SeasonSchema, "The new season"), ...staffErrors() },
});

export const deleteSeason = createRoute({
  method: "delete",
  path: "/api/seasonal-hours/{id}",
  tags,
  summary: "Remove seasonal hours (admin and above)",
  security: bearer,
  middleware: guard("admin"),
  request: { params: IdParams },
  responses: { 204: { description: "Removed" }, ...staffErrors({ body: false }) },
});
