/**
 * The staff screen's forms → the API's request bodies, judged by the API's
 * own zod schemas (staff.routes.ts, schedules.routes.ts, which carry the
 * schedule rules), and their issues → one message per form field in the
 * page's language. No rule of its own beyond turning form fields into bodies.
 */
import type { z } from "@hono/zod-openapi";
import { Temporal } from "temporal-polyfill";
import { DateOverrideSetSchema, ScheduleReplaceSchema, startTime, TimeOffCreateSchema } from "../catalogue/schedules.routes";
import { StaffCreateSchema, StaffUpdateSchema } from "../catalogue/staff.routes";
import { dateField } from "../http/dates";
import type { StaffMessages } from "./i18n/staff";

export type Form = Record<string, unknown>;
export type Errors = Record<string, string>;
type Parsed<T> = { ok: true; data: T } | { ok: false; errors: Errors };

/** Rows of one weekday the editor can send (the API takes 70 weekly rules in all). */
export const MAX_DAY_ROWS = 10;
/** Rows of the date-override form. */
export const OVERRIDE_ROWS = 3;

export const str = (v: unknown) => (typeof v === "string" ? v.trim() : "");
export const listOf = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x) => typeof x === "string") : typeof v === "string" && v ? [v] : [];
export const weeklyKey = (day: number, part: "start" | "end", row: number) => `w${day}_${part}_${row}`;
export const overrideKey = (part: "start" | "end", row: number) => `o_${part}_${row}`;

type Issue = z.core.$ZodIssue;

/** A time range's issue: the rules' end-before-start and overlap checks are custom issues; the rest is the format. */
function rangeMessage(issue: Issue, part: unknown, w: StaffMessages): string {
  if (issue.code !== "custom") return w.errors.badTime;
  return part === "end" ? w.errors.endBeforeStart : w.errors.overlap;
}

const DETAIL_FIELDS = ["display_name", "email", "phone", "time_zone", "service_ids"] as const;

function detailErrors(issues: { path: PropertyKey[] }[], w: StaffMessages): Errors {
  const out: Errors = {};
  for (const { path } of issues) {
    const key = String(path[0] ?? "display_name");
    const field = (DETAIL_FIELDS as readonly string[]).includes(key) ? (key as (typeof DETAIL_FIELDS)[number]) : "display_name";
    out[field] ??= w.errors[field];
  }
  return out;
}

/** Service errors (`service_ids.1`: not in this business) in the same shape as zod's. */
export const serviceFieldErrors = (fields: { field: string }[], w: StaffMessages) =>
  detailErrors(
    fields.map((f) => ({ path: f.field.split(".") })),
    w,
  );

/** The details form (create or edit); empty contact fields clear them. */
export function parseDetails(form: Form, w: StaffMessages, mode: "create" | "update") {
  const body = {
    display_name: str(form.display_name),
    email: str(form.email) || null,
    phone: str(form.phone) || null,
    time_zone: str(form.time_zone) || null,
    service_ids: listOf(form.service_ids),
  };
  const parsed =
    mode === "create"
      ? StaffCreateSchema.safeParse({
          ...body,
          email: body.email ?? undefined,
          phone: body.phone ?? undefined,
          time_zone: body.time_zone ?? undefined,
        })
      : StaffUpdateSchema.safeParse(body);
  if (parsed.success) return { ok: true as const, data: { ...parsed.data, display_name: body.display_name } };
  return { ok: false as const, errors: detailErrors(parsed.error.issues, w) };
}

/** Every filled row of every weekday; a day with none is closed. */
export function parseWeekly(form: Form, w: StaffMessages): Parsed<{ weekly: { weekday: number; start: string; end: string }[] }> {
  const weekly: { weekday: number; start: string; end: string }[] = [];
  const rows: [number, number][] = [];
  for (let day = 1; day <= 7; day++) {
    for (let row = 0; row < MAX_DAY_ROWS; row++) {
      const start = str(form[weeklyKey(day, "start", row)]);
      const end = str(form[weeklyKey(day, "end", row)]);
      if (!start && !end) continue;
      weekly.push({ weekday: day, start, end });
      rows.push([day, row]);
    }
  }
  const parsed = ScheduleReplaceSchema.safeParse({ weekly });
  if (parsed.success) return { ok: true, data: { weekly: parsed.data.weekly ?? [] } };
  const errors: Errors = {};
  for (const issue of parsed.error.issues) {
    const [, index, part] = issue.path;
    const at = rows[Number(index)];
    if (!at) continue;
    errors[weeklyKey(at[0], part === "end" ? "end" : "start", at[1])] ??= rangeMessage(issue, part, w);
  }
  return { ok: false, errors };
}

/** One date with its filled rows; none = closed that day. */
export function parseOverride(form: Form, w: StaffMessages): Parsed<{ date: string; ranges: { start: string; end: string }[] }> {
  const errors: Errors = {};
  const date = str(form.o_date);
  if (!dateField().safeParse(date).success) errors.o_date = w.errors.badDate;
  const ranges: { start: string; end: string }[] = [];
  const rows: number[] = [];
  for (let row = 0; row < OVERRIDE_ROWS; row++) {
    const start = str(form[overrideKey("start", row)]);
    const end = str(form[overrideKey("end", row)]);
    if (!start && !end) continue;
    ranges.push({ start, end });
    rows.push(row);
  }
  const parsed = DateOverrideSetSchema.safeParse({ ranges });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [, index, part] = issue.path;
      const row = rows[Number(index)];
      if (row === undefined) continue;
      errors[overrideKey(part === "end" ? "end" : "start", row)] ??= rangeMessage(issue, part, w);
    }
  }
  if (Object.keys(errors).length || !parsed.success) return { ok: false, errors };
  return { ok: true, data: { date, ranges: parsed.data.ranges } };
}

/** The first instant of a wall-clock time in `zone` (a time skipped by a clock change moves forward, as the engine does). */
const instantOf = (date: string, time: string, zone: string) =>
  Temporal.PlainDateTime.from(`${date}T${time}`).toZonedDateTime(zone, { disambiguation: "compatible" }).toInstant().toString();

/**
 * A period of time off from local dates (and optional times) in the person's
 * zone: without times, whole days from the first day's start to the end of
 * the last day (the last day defaults to the first).
 */
export function parseTimeOff(form: Form, w: StaffMessages, zone: string): Parsed<{ starts_at: string; ends_at: string; note?: string }> {
  const errors: Errors = {};
  const from = str(form.off_from);
  const to = str(form.off_to) || from;
  const fromTime = str(form.off_from_time);
  const toTime = str(form.off_to_time);
  if (!dateField().safeParse(from).success) errors.off_from = w.errors.badDate;
  if (!dateField().safeParse(to).success) errors.off_to = w.errors.badDate;
  if (fromTime && !startTime.safeParse(fromTime).success) errors.off_from_time = w.errors.badTime;
  if (toTime && !startTime.safeParse(toTime).success) errors.off_to_time = w.errors.badTime;
  if (Object.keys(errors).length) return { ok: false, errors };
  const endDay = toTime ? to : Temporal.PlainDate.from(to).add({ days: 1 }).toString();
  const parsed = TimeOffCreateSchema.safeParse({
    starts_at: instantOf(from, fromTime || "00:00", zone),
    ends_at: instantOf(endDay, toTime || "00:00", zone),
    note: str(form.note) || undefined,
  });
  if (parsed.success) return { ok: true, data: parsed.data };
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0]);
    if (key === "note") errors.note ??= w.errors.note;
    else if (key === "ends_at") errors[toTime ? "off_to_time" : "off_to"] ??= w.errors.endBeforeStart;
    else errors.off_from ??= w.errors.badDate;
  }
  return { ok: false, errors };
}
