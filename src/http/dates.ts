/**
 * Calendar dates and instants accepted from clients. Outside a sane range
 * (years 0000 or 9999) they overflow date arithmetic, Intl or Postgres and
 * used to surface as 500s; every date input goes through these so such a
 * value is a 422 naming the field.
 */
import { z } from "@hono/zod-openapi";

export const MIN_DATE = "1970-01-01";
export const MAX_DATE = "2100-12-31";
const MIN_MS = Date.parse(`${MIN_DATE}T00:00:00Z`);
const MAX_MS = Date.parse(`${MAX_DATE}T23:59:59.999Z`);
const RANGE_MESSAGE = `Must be between ${MIN_DATE} and ${MAX_DATE}.`;

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

const dateInRange = (value: string) => {
  const ms = Date.parse(`${value}T00:00:00Z`);
  return ms >= MIN_MS && ms <= MAX_MS;
};

/** `YYYY-MM-DD` that exists on the calendar and lies within the sane range. */
export function isSaneDate(value: string | undefined): value is string {
  return !!value && isCalendarDate(value) && dateInRange(value);
}

/** An ISO 8601 instant within the sane range. */
export function isSaneInstant(value: string): boolean {
  const ms = Date.parse(value);
  return /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(ms) && ms >= MIN_MS && ms <= MAX_MS;
}

// One message per bad value: the range is only judged once the format is right.
export const dateField = (message = "Use YYYY-MM-DD.") =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, message)
    .refine((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || isCalendarDate(d), "Not a calendar date.")
    .refine((d) => !isCalendarDate(d) || dateInRange(d), RANGE_MESSAGE)
    .openapi({ format: "date", example: "2026-12-24" });

export const instantField = (message = "Use an ISO 8601 instant with an offset, e.g. 2026-12-24T09:00:00Z.") =>
  z.iso
    .datetime({ offset: true, message })
    .refine((v) => Number.isNaN(Date.parse(v)) || !/^\d{4}-/.test(v) || isSaneInstant(v), RANGE_MESSAGE)
    .openapi({ example: "2026-12-24T09:00:00Z" });
