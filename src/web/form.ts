/**
 * The booking form: reading and checking what the customer typed, with
 * messages keyed by field so the page can show each next to its input. The
 * same normalisers as the API (email, Moroccan/international phone) decide.
 */
import { emailProblem, tryNormalisePhone } from "../domain/contact";
import { hasNul } from "../http/nul";
import type { Messages } from "./i18n";

export interface BookingForm {
  service: string;
  staff: string;
  start: string;
  key: string;
  name: string;
  email: string;
  phone: string;
  notes: string;
}

export type FieldErrors = Partial<Record<"name" | "email" | "phone" | "notes" | "contact", string>>;

const str = (v: unknown, max = 2000) => (typeof v === "string" ? v.slice(0, max) : "");

export function readBookingForm(body: Record<string, unknown>): BookingForm {
  return {
    service: str(body.service, 64),
    staff: str(body.staff, 64),
    start: str(body.start, 64),
    key: str(body.key, 128),
    name: str(body.name, 500),
    email: str(body.email, 500),
    phone: str(body.phone, 100),
    notes: str(body.notes, 4000),
  };
}

export function checkBookingForm(form: BookingForm, m: Messages, country: string): FieldErrors {
  const errors: FieldErrors = {};
  const name = form.name.trim();
  if (!name || name.length > 120 || hasNul(name)) errors.name = m.errors.name;
  if (form.email.trim() && emailProblem(form.email)) errors.email = m.errors.email;
  if (form.phone.trim() && !tryNormalisePhone(form.phone, country)) errors.phone = m.errors.phone;
  if (!form.email.trim() && !form.phone.trim()) errors.contact = m.errors.contact;
  if (form.notes.length > 1000 || hasNul(form.notes)) errors.notes = m.errors.notes;
  return errors;
}

/** Field errors of the engine's 422 (customer.email, customer.phone, customer) in the page's words. */
export function engineFieldErrors(errors: { field: string }[] | undefined, m: Messages): FieldErrors | null {
  if (!errors?.length) return null;
  const out: FieldErrors = {};
  for (const e of errors) {
    if (e.field === "customer.email") out.email = m.errors.email;
    else if (e.field === "customer.phone") out.phone = m.errors.phone;
    else if (e.field === "customer") out.contact = m.errors.contact;
    else if (e.field === "customer.name") out.name = m.errors.name;
    else return null;
  }
  return out;
}

export const isUuid = (v: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
export { isSaneDate as isDate } from "../http/dates";
