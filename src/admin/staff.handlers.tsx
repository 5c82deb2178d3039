/**
 * /admin/settings/staff (admin and above): staff members and their hours, on
 * the same services as /api/staff and /api/staff/{id}/... (catalogue), the
 * forms judged by the same schemas (see staff.forms.ts).
 *
 *   GET/POST /admin/settings/staff                          list; add a staff member
 *   GET/POST /admin/settings/staff/:id                      details (name, contact, zone, services)
 *   POST     /admin/settings/staff/:id/active               deactivate / reactivate
 *   POST     /admin/settings/staff/:id/hours                weekly hours (breaks = several intervals a day)
 *   POST     /admin/settings/staff/:id/time-off             add time off; …/time-off/:timeOffId/delete
 *   POST     /admin/settings/staff/:id/overrides            one date's own hours; …/overrides/:date/delete
 */
import { z } from "@hono/zod-openapi";
import { Hono } from "hono";
import { Temporal } from "temporal-polyfill";
import * as Schedules from "../catalogue/schedules.service";
import * as Services from "../catalogue/services.service";
import * as Staff from "../catalogue/staff.service";
import { tenantTables } from "../db/schema/tenant";
import { InvalidInput, noSuch } from "../domain/errors";
import { dateField } from "../http/dates";
import type { TenantScope } from "../tenancy/scope";
import { staffMessages } from "./i18n/staff";
import { adminHtml } from "./layout";
import { type AdminContext, type AdminEnv, requirePageRole, sessionOf } from "./session";
import { type Errors, type Form, parseDetails, parseOverride, parseTimeOff, parseWeekly, serviceFieldErrors, str } from "./staff.forms";
import { type DetailForms, STAFF_PATH, type StaffRow, StaffDetailPage, StaffListPage } from "./staff.pages";

export const staffPages = new Hono<AdminEnv>();

/** The tenant's tables on the request's HTTP handle (the shell's context is an AdminEnv one). */
const scopeOf = (c: AdminContext): TenantScope => {
  const tenant = c.get("admin").tenant;
  return { tenant, t: tenantTables(tenant.schemaName), db: c.get("database").http };
};
const words = (c: AdminContext) => staffMessages(c.get("admin").lang);
/** Every page here is behind requirePageRole("admin"): the writer is an admin. */
const actorOf = (c: AdminContext): Staff.Actor => ({ userId: sessionOf(c).userId, isAdmin: true });
const formOf = async (c: AdminContext) => (await c.req.parseBody({ all: true })) as Form;

/** The :id of the path, or 404 (a malformed id is no staff member here either). */
function staffIdOf(c: AdminContext): string {
  const id = c.req.param("id") ?? "";
  if (!z.uuid().safeParse(id).success) throw noSuch("staff member");
  return id;
}

/** Active services first, then by name; a salon has tens, the page shows up to 100. */
async function serviceChoices(s: TenantScope) {
  const { rows } = await Services.listServices(s, { page_size: 100, ordering: "name" });
  return rows.map((r) => ({ id: r.id, name: r.name, is_active: r.is_active })).sort((a, b) => Number(b.is_active) - Number(a.is_active));
}

const NOTICES = { created: "created", saved: "saved", removed: "removed", deactivated: "deactivated", reactivated: "reactivated" } as const;
function noticeOf(c: AdminContext): string | undefined {
  const done = c.req.query("done") as keyof typeof NOTICES | undefined;
  return done && done in NOTICES ? words(c)[NOTICES[done]] : undefined;
}

async function listPage(c: AdminContext, form: Form = {}, errors: Errors = {}, status: 200 | 422 = 200) {
  const s = scopeOf(c);
  const [{ rows }, services] = await Promise.all([Staff.listStaff(s, { page_size: 100 }), serviceChoices(s)]);
  return adminHtml(
    c,
    <StaffListPage
      req={c.get("admin")}
      w={words(c)}
      staff={rows as StaffRow[]}
      services={services}
      form={form}
      errors={errors}
      notice={status === 200 ? noticeOf(c) : undefined}
    />,
    status,
  );
}

async function detailPage(c: AdminContext, forms: DetailForms = {}, errors: Errors = {}, status: 200 | 422 = 200) {
  const s = scopeOf(c);
  const id = staffIdOf(c);
  const [person, schedule, services] = await Promise.all([Staff.getStaff(s, id), Schedules.getSchedule(s, id), serviceChoices(s)]);
  const today = Temporal.Now.plainDateISO(person.time_zone ?? s.tenant.timeZone).toString();
  return adminHtml(
    c,
    <StaffDetailPage
      req={c.get("admin")}
      w={words(c)}
      person={person as StaffRow}
      services={services}
      schedule={schedule}
      forms={forms}
      errors={errors}
      notice={status === 200 ? noticeOf(c) : undefined}
      today={today}
    />,
    status,
  );
}

const back = (id: string, done: keyof typeof NOTICES) => `${STAFF_PATH}/${id}?done=${done}`;

staffPages.get("/settings/staff", requirePageRole("admin"), (c) => listPage(c));

staffPages.post("/settings/staff", requirePageRole("admin"), async (c) => {
  const form = await formOf(c);
  const parsed = parseDetails(form, words(c), "create");
  if (!parsed.ok) return listPage(c, form, parsed.errors, 422);
  try {
    const row = await Staff.createStaff(scopeOf(c), parsed.data);
    return c.redirect(back(row.id, "created"), 303);
  } catch (e) {
    if (e instanceof InvalidInput) return listPage(c, form, serviceFieldErrors(e.fields, words(c)), 422);
    throw e;
  }
});

staffPages.get("/settings/staff/:id", requirePageRole("admin"), (c) => detailPage(c));

staffPages.post("/settings/staff/:id", requirePageRole("admin"), async (c) => {
  const id = staffIdOf(c);
  const form = await formOf(c);
  const parsed = parseDetails(form, words(c), "update");
  if (!parsed.ok) return detailPage(c, { details: form }, parsed.errors, 422);
  try {
    await Staff.updateStaff(scopeOf(c), id, parsed.data, actorOf(c));
  } catch (e) {
    if (e instanceof InvalidInput) return detailPage(c, { details: form }, serviceFieldErrors(e.fields, words(c)), 422);
    throw e;
  }
  return c.redirect(back(id, "saved"), 303);
});

staffPages.post("/settings/staff/:id/active", requirePageRole("admin"), async (c) => {
  const id = staffIdOf(c);
  const form = await formOf(c);
  const active = str(form.active) === "1";
  await Staff.updateStaff(scopeOf(c), id, { is_active: active }, actorOf(c));
  const done = active ? "reactivated" : "deactivated";
  return c.redirect(str(form.back) === "detail" ? back(id, done) : `${STAFF_PATH}?done=${done}`, 303);
});

staffPages.post("/settings/staff/:id/hours", requirePageRole("admin"), async (c) => {
  const id = staffIdOf(c);
  const form = await formOf(c);
  const parsed = parseWeekly(form, words(c));
  if (!parsed.ok) return detailPage(c, { weekly: form }, parsed.errors, 422);
  await Schedules.replaceSchedule(scopeOf(c), id, parsed.data, actorOf(c));
  return c.redirect(back(id, "saved"), 303);
});

staffPages.post("/settings/staff/:id/time-off", requirePageRole("admin"), async (c) => {
  const id = staffIdOf(c);
  const s = scopeOf(c);
  const form = await formOf(c);
  // Local dates are the person's own zone's (their weekly hours are read in it too).
  const person = await Staff.getStaff(s, id);
  const parsed = parseTimeOff(form, words(c), person.time_zone ?? s.tenant.timeZone);
  if (!parsed.ok) return detailPage(c, { timeOff: form }, parsed.errors, 422);
  await Schedules.addTimeOff(s, id, parsed.data, actorOf(c));
  return c.redirect(back(id, "saved"), 303);
});

staffPages.post("/settings/staff/:id/time-off/:timeOffId/delete", requirePageRole("admin"), async (c) => {
  const id = staffIdOf(c);
  const timeOffId = c.req.param("timeOffId");
  if (!z.uuid().safeParse(timeOffId).success) throw noSuch("time off");
  await Schedules.removeTimeOff(scopeOf(c), id, timeOffId, actorOf(c));
  return c.redirect(back(id, "removed"), 303);
});

staffPages.post("/settings/staff/:id/overrides", requirePageRole("admin"), async (c) => {
  const id = staffIdOf(c);
  const form = await formOf(c);
  const parsed = parseOverride(form, words(c));
  if (!parsed.ok) return detailPage(c, { override: form }, parsed.errors, 422);
  await Schedules.setOverride(scopeOf(c), id, parsed.data.date, parsed.data.ranges, actorOf(c));
  return c.redirect(back(id, "saved"), 303);
});

staffPages.post("/settings/staff/:id/overrides/:date/delete", requirePageRole("admin"), async (c) => {
  const id = staffIdOf(c);
  const date = c.req.param("date");
  if (!dateField().safeParse(date).success) throw noSuch("date override");
  await Schedules.removeOverride(scopeOf(c), id, date, actorOf(c));
  return c.redirect(back(id, "removed"), 303);
});
