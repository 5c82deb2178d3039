/**
 * /admin/settings: the business profile and branding (owner) and the booking
 * policy (admin and above), on the same services as PATCH /api/business and
 * PATCH /api/settings.
 *
 *   GET      /admin/settings            the profile (owner) or the policy (admin)
 *   GET/POST /admin/settings/profile    owner; a time zone or currency change with
 *                                       upcoming bookings asks to confirm first
 *   GET/POST /admin/settings/policy     admin and above
 */
import { Hono } from "hono";
import type { z } from "@hono/zod-openapi";
import { bestTextOn } from "../domain/colour";
import { Conflict, InvalidInput } from "../domain/errors";
import { BusinessProfileUpdateSchema } from "../settings/business.routes";
import * as business from "../settings/business.service";
import { SettingsUpdateSchema } from "../settings/settings.routes";
import * as settings from "../settings/settings.service";
import { invalidateHosts } from "../tenancy/host-cache";
import { tenantScope } from "../tenancy/scope";
import { INTL_LOCALE } from "../web/i18n";
import { settingsMessages } from "./i18n/settings";
import { adminHtml } from "./layout";
import { type FieldErrors, PolicyPage, ProfilePage, type Values } from "./settings.pages";
import { type AdminContext, type AdminEnv, formOf, requirePageRole, sessionOf } from "./session";

const PROFILE_FIELDS = [
  "name",
  "description",
  "logo_url",
  "accent_color",
  "contact_phone",
  "whatsapp",
  "address",
  "map_url",
  "locale",
  "time_zone",
  "currency",
] as const;
const NUMBER_FIELDS = [
  "slot_interval_min",
  "min_notice_min",
  "booking_window_days",
  "cancellation_cutoff_min",
  "reschedule_cutoff_min",
  "max_active_bookings_per_contact",
] as const;
const NUMBER_RANGES: Record<(typeof NUMBER_FIELDS)[number], [number, number]> = {
  slot_interval_min: [5, 240],
  min_notice_min: [0, 43200],
  booking_window_days: [1, 730],
  cancellation_cutoff_min: [0, 43200],
  reschedule_cutoff_min: [0, 43200],
  max_active_bookings_per_contact: [1, 100],
};

const words = (c: AdminContext) => settingsMessages(c.get("admin").lang);
const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");

function profileValues(p: business.BusinessProfile): Values {
  const v: Values = {};
  for (const key of PROFILE_FIELDS) v[key] = p[key] ?? "";
  if (!v.accent_color) v.accent_color = "#0f766e";
  return v;
}

/** Localised messages for the fields zod or the service refused (the first issue of each). */
function errorsOf(c: AdminContext, issues: { field: string }[], values: Values): FieldErrors {
  const e = words(c).errors;
  const out: FieldErrors = {};
  for (const { field } of issues) {
    const key = field.split(".")[0]!;
    if (out[key]) continue;
    if (key === "accent_color" && /^#[0-9a-f]{6}$/i.test(values.accent_color ?? "")) {
      const ratio = bestTextOn(values.accent_color!).ratio;
      out[key] = e.accentContrast(new Intl.NumberFormat(INTL_LOCALE[c.get("admin").lang], { maximumFractionDigits: 2 }).format(ratio));
    } else if (key in NUMBER_RANGES) {
      const [min, max] = NUMBER_RANGES[key as keyof typeof NUMBER_RANGES];
      out[key] = e.number(min, max);
    } else {
      out[key] = (e as Record<string, unknown>)[key] as string;
    }
  }
  return out;
}

const issuesOf = (error: z.ZodError) => error.issues.map((i) => ({ field: i.path.join(".") }));

async function profilePage(c: AdminContext) {
  const { tenant, t, db } = await tenantScope(c as never);
  const profile = await business.readProfile(db, t, tenant);
  const req = c.get("admin");
  return adminHtml(
    c,
    <ProfilePage
      req={req}
      s={words(c)}
      values={profileValues(profile)}
      errors={{}}
      upcoming={profile.upcoming_bookings}
      saved={c.req.query("saved") === "1"}
    />,
  );
}

async function profilePost(c: AdminContext) {
  const form = await formOf(c);
  const values: Values = {};
  for (const key of PROFILE_FIELDS) values[key] = text(form[key]);
  const req = c.get("admin");
  const s = words(c);
  const { tenant, t, db } = await tenantScope(c as never);
  const again = async (errors: FieldErrors, confirmNeeded: number | null = null, status: 409 | 422 = 422) => {
    const { upcoming_bookings } = await business.readProfile(db, t, tenant);
    return adminHtml(
      c,
      <ProfilePage req={req} s={s} values={values} errors={errors} upcoming={upcoming_bookings} confirmNeeded={confirmNeeded} />,
      status,
    );
  };
  const parsed = BusinessProfileUpdateSchema.safeParse({ ...values, confirm: text(form.confirm) === "1" });
  if (!parsed.success) return again(errorsOf(c, issuesOf(parsed.error), values));
  try {
    const { hosts } = await business.updateProfile(db, t, tenant, parsed.data);
    await invalidateHosts(c.env.TENANT_CACHE, hosts);
  } catch (e) {
    if (e instanceof InvalidInput) return again(errorsOf(c, e.fields, values));
    if (e instanceof Conflict && e.reason === "confirm_required") return again({}, Number(e.details.upcoming_bookings), 409);
    throw e;
  }
  return c.redirect("/admin/settings/profile?saved=1", 303);
}

async function policyValues(c: AdminContext): Promise<Values> {
  const { t, db } = await tenantScope(c as never);
  const row = await settings.readSettings(db, t);
  const v: Values = {};
  for (const key of NUMBER_FIELDS) v[key] = String(row[key]);
  v.reminder_offsets_min = row.reminder_offsets_min.join(", ");
  v.online_bookings_need_approval = row.online_bookings_need_approval ? "1" : "";
  return v;
}

async function policyPage(c: AdminContext) {
  return adminHtml(
    c,
    <PolicyPage req={c.get("admin")} s={words(c)} values={await policyValues(c)} errors={{}} saved={c.req.query("saved") === "1"} />,
  );
}

async function policyPost(c: AdminContext) {
  const form = await formOf(c);
  const values: Values = {};
  for (const key of NUMBER_FIELDS) values[key] = text(form[key]);
  values.reminder_offsets_min = text(form.reminder_offsets_min);
  values.online_bookings_need_approval = text(form.online_bookings_need_approval) ? "1" : "";
  const toNumber = (v: string) => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : Number.NaN);
  const reminders = values.reminder_offsets_min
    ? values.reminder_offsets_min
        .split(/[\s,،;]+/)
        .filter(Boolean)
        .map(toNumber)
    : [];
  const body: Record<string, unknown> = Object.fromEntries(NUMBER_FIELDS.map((key) => [key, toNumber(values[key]!)]));
  body.reminder_offsets_min = reminders;
  body.online_bookings_need_approval = values.online_bookings_need_approval === "1";
  const parsed = SettingsUpdateSchema.safeParse(body);
  if (!parsed.success) {
    return adminHtml(
      c,
      <PolicyPage req={c.get("admin")} s={words(c)} values={values} errors={errorsOf(c, issuesOf(parsed.error), values)} />,
      422,
    );
  }
  const { t, db } = await tenantScope(c as never);
  await settings.updateSettings(db, t, parsed.data, { allowLocalHttpOrigins: c.get("config").APP_ENV !== "production" });
  return c.redirect("/admin/settings/policy?saved=1", 303);
}

export const settingsPages = new Hono<AdminEnv>();
settingsPages.get("/settings", requirePageRole("admin"), (c) => (sessionOf(c).role === "owner" ? profilePage(c) : policyPage(c)));
settingsPages.get("/settings/profile", requirePageRole("owner"), profilePage);
settingsPages.post("/settings/profile", requirePageRole("owner"), profilePost);
settingsPages.get("/settings/policy", requirePageRole("admin"), policyPage);
settingsPages.post("/settings/policy", requirePageRole("admin"), policyPost);
