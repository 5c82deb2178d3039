import { createRoute, z } from "@hono/zod-openapi";
import { bearer, IdParams, jsonBody, jsonContent, staffErrors } from "../http/schemas";
import { guard } from "../auth/guards";
import { rangeErrors } from "./schedules.rules";
import { dateField, instantField } from "../http/dates";

export const startTime = z
  .string()
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, "Use HH:MM (00:00–23:59).")
  .openapi({ example: "09:00" });
const endTime = z
  .string()
  .regex(/^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/, "Use HH:MM (00:01–24:00).")
  .openapi({ example: "18:00", description: "24:00 = end of the day" });
const Range = z.object({ start: startTime, end: endTime }).strict();

const isoDate = dateField();
const instant = instantField();

export const WeeklyRule = z
  .object({ weekday: z.number().int().min(1).max(7).openapi({ description: "ISO weekday, Monday = 1" }), ...Range.shape })
  .strict()
  .openapi("WeeklyRule");
const DateOverride = z
  .object({ date: isoDate, ranges: z.array(Range).max(12).openapi({ description: "[] = day off" }) })
  .strict()
  .openapi("DateOverride");

/** One date's hours: [] closes the day; ranges end after they start and do not overlap. */
export const DateOverrideSetSchema = z
  .object({ ranges: z.array(Range).max(12).openapi({ description: "[] = day off" }) })
  .strict()
  .superRefine((body, ctx) => {
    const errors = rangeErrors(body.ranges.map((range, j) => ({ range, path: `ranges.${j}`, group: "d" })));
    for (const e of errors) {
      ctx.addIssue({ code: "custom", path: e.field.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message: e.message });
    }
  })
  .openapi("DateOverrideSet");
const TimeOffInput = z.object({ starts_at: instant, ends_at: instant, note: z.string().trim().max(200).optional() }).strict();
export const TimeOffCreateSchema = TimeOffInput.superRefine((p, ctx) => {
  if (Date.parse(p.ends_at) <= Date.parse(p.starts_at)) {
    ctx.addIssue({ code: "custom", path: ["ends_at"], message: "The end must be after the start." });
  }
}).openapi("TimeOffCreate");
export const TimeOff = z.object({ id: z.uuid(), starts_at: z.string(), ends_at: z.string(), note: z.string() }).openapi("TimeOff");

export const ScheduleSchema = z
  .object({
    staff_id: z.uuid(),
    weekly: z.array(WeeklyRule),
    overrides: z.array(DateOverride),
    time_off: z.array(TimeOff),
  })
  .openapi("StaffAvailability");

export const ScheduleReplaceSchema = z
  .object({
    weekly: z.array(WeeklyRule).max(70).optional(),
    overrides: z.array(DateOverride).max(400).optional(),
    time_off: z.array(TimeOffInput).max(500).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const issue = (field: string, message: string) =>
      ctx.addIssue({ code: "custom", path: field.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message });
    const ranges = [
      ...(body.weekly ?? []).map((range, i) => ({ range, path: `weekly.${i}`, group: `w${range.weekday}` })),
      ...(body.overrides ?? []).flatMap((o, i) =>
        o.ranges.map((range, j) => ({ range, path: `overrides.${i}.ranges.${j}`, group: `d${o.date}` })),
      ),
    ];
    for (const e of rangeErrors(ranges)) issue(e.field, e.message);
    const seen = new Set<string>();
    (body.overrides ?? []).forEach((o, i) => {
      if (seen.has(o.date)) issue(`overrides.${i}.date`, "Each date may have one override.");
      seen.add(o.date);
    });
    (body.time_off ?? []).forEach((p, i) => {
      if (Date.parse(p.ends_at) <= Date.parse(p.starts_at)) issue(`time_off.${i}.ends_at`, "The end must be after the start.");
    });
  })
  .openapi("StaffAvailabilityReplace", {
    description: "Each key sent replaces that whole set (weekly rules, date overrides, time off); keys left out are kept.",
  });

const tags = ["Staff"];

export const getSchedule = createRoute({
  method: "get",
  path: "/api/staff/{id}/availability",
  tags,
  summary: "A staff member's weekly hours, date overrides and time off (staff and above)",
  security: bearer,
  middleware: guard("staff"),
  request: { params: IdParams },
  responses: { 200: jsonContent(ScheduleSchema, "The schedule"), ...staffErrors({ body: false }) },
});

export const replaceSchedule = createRoute({
  method: "put",
  path: "/api/staff/{id}/availability",
  tags,
  summary: "Replace weekly hours, overrides and/or time off (admin and above; staff role: own record only)",
  security: bearer,
  middleware: guard("staff"),
  request: { params: IdParams, body: jsonBody(ScheduleReplaceSchema) },
  responses: { 200: jsonContent(ScheduleSchema, "The new schedule"), ...staffErrors() },
});

const TimeOffParams = IdParams.extend({
  timeOffId: z.uuid().openapi({ param: { name: "timeOffId", in: "path" } }),
});

export const addTimeOff = createRoute({
  method: "post",
  path: "/api/staff/{id}/time-off",
  tags,
  summary: "Add one period of time off (admin and above; staff role: own record only)",
  security: bearer,
  middleware: guard("staff"),
  request: { params: IdParams, body: jsonBody(TimeOffCreateSchema) },
  responses: { 201: jsonContent(TimeOff, "Created"), ...staffErrors() },
});

export const removeTimeOff = createRoute({
  method: "delete",
  path: "/api/staff/{id}/time-off/{timeOffId}",
  tags,
  summary: "Remove one period of time off (admin and above; staff role: own record only)",
  security: bearer,
  middleware: guard("staff"),
  request: { params: TimeOffParams },
  responses: { 204: { description: "Removed" }, ...staffErrors({ body: false }) },
});

const OverrideParams = IdParams.extend({
  date: isoDate.openapi({ param: { name: "date", in: "path" } }),
});

export const setOverride = createRoute({
  method: "put",
  path: "/api/staff/{id}/overrides/{date}",
  tags,
  summary: "Set one date's own hours, replacing the weekly hours that day ([] = closed) (admin and above; staff role: own record only)",
  security: bearer,
  middleware: guard("staff"),
  request: { params: OverrideParams, body: jsonBody(DateOverrideSetSchema) },
  responses: { 200: jsonContent(DateOverride, "The date's override"), ...staffErrors() },
});

export const removeOverride = createRoute({
  method: "delete",
  path: "/api/staff/{id}/overrides/{date}",
  tags,
  summary: "Remove one date's override: the weekly hours apply again (admin and above; staff role: own record only)",
  security: bearer,
  middleware: guard("staff"),
  request: { params: OverrideParams },
  responses: { 204: { description: "Removed" }, ...staffErrors({ body: false }) },
});
