/**
 * The calendar (day view: one column per staff member, a staff-role user only
 * their own; week view of one staff member) and booking from it.
 *
 *   GET  /admin/calendar?date=&staff=&view=week
 *   GET  /admin/calendar/new?date=&service=&staff=&q=&customer=   the form (its choices come back by GET)
 *   POST /admin/calendar/new                                       books (createStaffBooking, as the API)
 *
 * The day is ONE database statement (calendarPeriod); the form's choices one
 * more; offered times are the availability service's own.
 */
import { Hono } from "hono";
import { ownRecordsOnly, roleAtLeast } from "../auth/guards";
import { type CalendarPeriod, calendarPeriod, localDayWindow } from "../bookings/calendar.service";
import { createStaffBooking } from "../bookings/create-booking.service";
import { bookingFormChoices, type FormChoices, localInstantMs } from "../bookings/frontdesk.service";
import { loadAvailabilityInput, slotsFor } from "../bookings/slot-input.service";
import { addDays } from "../bookings/time";
import { getCustomer, listCustomers } from "../customers/customers.service";
import { DomainError, Forbidden, SlotTaken } from "../domain/errors";
import { tenantScope } from "../tenancy/scope";
import type { Lang } from "../web/i18n";
import { renderGrid } from "./calendar.view";
import {
  dateParam,
  FRONTDESK_CSS,
  type FrontdeskMessages,
  frontdeskMessages,
  isUuid,
  longDate,
  shortDate,
  str,
  time,
  todayIn,
  uuidParam,
} from "./frontdesk";
import { AdminLayout, adminHtml, CsrfField } from "./layout";
import { refusalText } from "./refusal-text";
import { type AdminContext, type AdminEnv, requirePageRole, sessionOf } from "./session";

export const calendarPages = new Hono<AdminEnv>();

/** Monday of the week of `date`. */
function mondayOf(date: string): string {
  const weekday = (new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

function calendarHref(date: string, staff?: string, view?: "week") {
  const q = new URLSearchParams({ date });
  if (staff) q.set("staff", staff);
  if (view) q.set("view", view);
  return `/admin/calendar?${q}`;
}

/** Columns of the grid from a loaded period. */
function gridColumns(period: CalendarPeriod, view: "day" | "week", lang: Lang, m: FrontdeskMessages, date: string, zone: string) {
  if (view === "day") {
    return period.columns.map((col) => ({
      key: col.id,
      title: col.name,
      link: { href: calendarHref(date, col.id, "week"), text: m.cal.openWeek },
      dayStart: period.start,
      hours: col.hours,
      timeOff: col.timeOff,
      bookings: col.bookings,
    }));
  }
  const col = period.columns[0];
  if (!col) return [];
  const days = [];
  // Real local midnights: a day across a clock change lasts 23 or 25 hours.
  for (let i = 0; i < 7; i++) {
    const day = addDays(period.from, i);
    const { start: dayStart, end: dayEnd } = localDayWindow(zone, day, day);
    const within = <T extends { start: number; end: number }>(x: T) => x.start < dayEnd && x.end > dayStart;
    days.push({
      key: day,
      title: shortDate(lang, day),
      link: { href: calendarHref(day), text: m.cal.day },
      dayStart,
      hours: col.hours.filter(within),
      timeOff: col.timeOff.filter(within),
      bookings: col.bookings.filter((b) => b.start >= dayStart && b.start < dayEnd),
    });
  }
  return days;
}

calendarPages.get("/calendar", requirePageRole("staff"), async (c) => {
  const req = c.get("admin");
  const { tenant, lang } = req;
  const m = frontdeskMessages(lang);
  const zone = tenant.timeZone;
  const now = Date.now();
  const today = todayIn(zone, now);
  const date = dateParam(c, "date") ?? today;
  const staffId = uuidParam(c, "staff");
  const view = c.req.query("view") === "week" && staffId ? "week" : "day";
  const from = view === "week" ? mondayOf(date) : date;
  const s = await tenantScope(c as never);
  const period = await calendarPeriod(s.db, tenant, {
    from,
    days: view === "week" ? 7 : 1,
    staffId: view === "week" ? staffId : null,
    onlyUserId: ownRecordsOnly(c),
  });
  const columns = gridColumns(period, view, lang, m, date, zone);
  const step = view === "week" ? 7 : 1;
  const title = view === "week" ? m.cal.weekOf(period.columns[0]?.name ?? "") : longDate(lang, date);
  const { grid, css } = renderGrid({ lang, zone, m, columns, now, label: title });
  const own = ownRecordsOnly(c) ? period.columns[0] : undefined;
  return adminHtml(
    c,
    <AdminLayout
      req={req}
      title={req.m.nav.calendar}
      nav="calendar"
      css={FRONTDESK_CSS + css}
      actions={
        <a class="btn" href={`/admin/calendar/new?date=${date}${staffId ? `&staff=${staffId}` : own ? `&staff=${own.id}` : ""}`}>
          {m.cal.newBooking}
        </a>
      }
    >
      <div class="bar">
        <nav class="seg" aria-label={m.cal.date}>
          <a href={calendarHref(addDays(date, -step), staffId, view === "week" ? "week" : undefined)}>
            <span aria-hidden="true">{req.m.dir === "rtl" ? "→" : "←"}</span>
            <span class="sr">{view === "week" ? m.cal.prevWeek : m.cal.prev}</span>
          </a>
          <a href={calendarHref(today, staffId, view === "week" ? "week" : undefined)} aria-current={date === today ? "date" : undefined}>
            {m.cal.today}
          </a>
          <a href={calendarHref(addDays(date, step), staffId, view === "week" ? "week" : undefined)}>
            <span aria-hidden="true">{req.m.dir === "rtl" ? "←" : "→"}</span>
            <span class="sr">{view === "week" ? m.cal.nextWeek : m.cal.next}</span>
          </a>
        </nav>
        <form method="get" action="/admin/calendar">
          <label class="sr" for="cal-date">
            {m.cal.date}
          </label>
          <input type="date" id="cal-date" name="date" value={date} required />
          {staffId ? <input type="hidden" name="staff" value={staffId} /> : null}
          {view === "week" ? <input type="hidden" name="view" value="week" /> : null}
          <button type="submit" class="btn ghost">
            {m.cal.go}
          </button>
        </form>
        <nav class="seg" aria-label={`${m.cal.day} / ${m.cal.week}`}>
          <a href={calendarHref(date)} aria-current={view === "day" ? "page" : undefined}>
            {m.cal.day}
          </a>
          <a
            href={calendarHref(date, staffId ?? own?.id ?? period.columns[0]?.id, "week")}
            aria-current={view === "week" ? "page" : undefined}
          >
            {m.cal.week}
          </a>
        </nav>
      </div>
      <h2 class="day-title">{view === "week" ? `${title} · ${shortDate(lang, from)} – ${shortDate(lang, addDays(from, 6))}` : title}</h2>
      {period.columns.length === 0 ? (
        <p class="card empty">{ownRecordsOnly(c) ? m.cal.noStaffLinked : m.cal.noStaff}</p>
      ) : (
        <>
          {grid}
          <p class="legend">
            <span>{m.cal.legend}:</span>
            {(["pending", "confirmed", "completed", "no_show", "cancelled"] as const).map((st) => (
              <span class={`badge st-${st}`}>{m.status[st]}</span>
            ))}
            <span>
              <span class="sw off" aria-hidden="true" />
              {m.cal.hoursShaded}
            </span>
            <span class="note">{m.cal.scroll}</span>
          </p>
        </>
      )}
    </AdminLayout>,
  );
});

// ---------------------------------------------------------------- booking form

interface FormState {
  date: string;
  serviceId?: string;
  staffId?: string;
  q: string;
  customerId?: string;
  error?: string;
  next?: { start: number; staffId: string }[];
  values?: Record<string, string>;
}

async function renderForm(c: AdminContext, state: FormState, status: 200 | 409 | 422 = 200) {
  const req = c.get("admin");
  const { tenant, lang } = req;
  const m = frontdeskMessages(lang);
  const zone = tenant.timeZone;
  const onlyUserId = ownRecordsOnly(c);
  const mayOffGrid = roleAtLeast(req.session!.role, "admin");
  const s = await tenantScope(c as never);
  const choices: FormChoices = await bookingFormChoices(s.db, tenant, onlyUserId);
  const service = choices.services.find((x) => x.id === state.serviceId);
  // A staff-role user books their own calendar only.
  const staffChoices = choices.staff.filter((f) => !service || service.staff_ids.includes(f.id));
  const staffId = onlyUserId ? choices.staff[0]?.id : staffChoices.some((f) => f.id === state.staffId) ? state.staffId : undefined;
  const now = Date.now();
  const [slots, found, picked] = await Promise.all([
    service && (staffId || !onlyUserId)
      ? loadAvailabilityInput(s.db, tenant, { serviceId: service.id, staffId: staffId ?? null, from: state.date, to: state.date }).then(
          (input) => slotsFor(tenant, input, { from: state.date, to: state.date, now, ignoreMinNotice: true, anyStaff: !staffId }),
        )
      : Promise.resolve([]),
    state.q ? listCustomers(s, { search: state.q, page: 1, page_size: 8 }, onlyUserId).then((r) => r.rows) : Promise.resolve([]),
    state.customerId ? getCustomer(s, state.customerId, onlyUserId).catch(() => null) : Promise.resolve(null),
  ]);
  const customers = picked && !found.some((x) => x.id === picked.id) ? [picked, ...found] : found;
  const staffName = (id: string) => choices.staff.find((f) => f.id === id)?.name ?? "";
  const v = state.values ?? {};
  return adminHtml(
    c,
    <AdminLayout req={req} title={m.book.title} nav="calendar" css={FRONTDESK_CSS}>
      {state.error ? (
        <div class="alert bad" role="alert">
          <p>{state.error}</p>
          {state.next?.length ? (
            <p>
              {m.book.nextFree}{" "}
              {state.next.map((n, i) => (
                <>
                  {i ? ", " : ""}
                  <b>{time(lang, zone, n.start)}</b> ({staffName(n.staffId)})
                </>
              ))}
            </p>
          ) : null}
        </div>
      ) : null}
      <div class="stack">
        <form method="get" action="/admin/calendar/new" class="card">
          <h2>{m.book.step1}</h2>
          <div class="row">
            <div class="field">
              <label for="b-service">{m.book.service}</label>
              <select id="b-service" name="service" required>
                <option value="">—</option>
                {choices.services.map((x) => (
                  <option value={x.id} selected={x.id === service?.id}>
                    {x.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="b-staff">{m.book.staff}</label>
              <select id="b-staff" name="staff">
                {onlyUserId ? null : <option value="">{m.book.anyone}</option>}
                {(onlyUserId ? choices.staff : staffChoices).map((f) => (
                  <option value={f.id} selected={f.id === staffId}>
                    {f.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="b-date">{m.book.date}</label>
              <input type="date" id="b-date" name="date" value={state.date} required />
            </div>
          </div>
          <div class="field">
            <label for="b-q">{m.book.find}</label>
            <input type="search" id="b-q" name="q" value={state.q} autocomplete="off" />
          </div>
          {state.customerId ? <input type="hidden" name="customer" value={state.customerId} /> : null}
          <button type="submit" class="btn ghost">
            {m.book.show}
          </button>
        </form>

        {service ? (
          <form method="post" action="/admin/calendar/new" class="card">
            <CsrfField token={sessionOf(c).csrf} />
            <input type="hidden" name="service_id" value={service.id} />
            <input type="hidden" name="date" value={state.date} />
            <input type="hidden" name="q" value={state.q} />
            {staffId ? <input type="hidden" name="staff_id" value={staffId} /> : null}
            <h2>{m.book.step2}</h2>
            <fieldset>
              <legend>
                {m.book.slots} · {longDate(lang, state.date)}
              </legend>
              {slots.length === 0 ? (
                <p class="note">{m.book.noSlots}</p>
              ) : (
                <div class="slots">
                  {slots.map((slot) => {
                    const value = `${slot.start}|${slot.staffId}`;
                    return (
                      <label>
                        <input type="radio" name="slot" value={value} checked={v.slot === value} />
                        <span>
                          {time(lang, zone, slot.start)}
                          {staffId ? "" : ` · ${staffName(slot.staffId)}`}
                        </span>
                      </label>
                    );
                  })}
                </div>
              )}
            </fieldset>
            {mayOffGrid ? (
              <fieldset>
                <legend>{m.book.custom}</legend>
                <p class="hint">{m.book.customHint}</p>
                <div class="row">
                  <div class="field">
                    <label for="b-custom">{m.book.customTime}</label>
                    <input type="time" id="b-custom" name="custom_time" value={v.custom_time ?? ""} />
                  </div>
                  {staffId ? null : (
                    <div class="field">
                      <label for="b-custom-staff">{m.book.staff}</label>
                      <select id="b-custom-staff" name="custom_staff_id">
                        {staffChoices.map((f) => (
                          <option value={f.id} selected={v.custom_staff_id === f.id}>
                            {f.name}
                          </option>
                        ))}
                      </select>
                    </div>
                  )}
                </div>
                <p class="warn" role="note">
                  {m.book.customWarning}
                </p>
              </fieldset>
            ) : null}
            <h2>{m.book.step3}</h2>
            {customers.length ? (
              <fieldset>
                <legend>{m.book.existing}</legend>
                <div class="choices">
                  {customers.map((x) => (
                    <label>
                      <input type="radio" name="customer_id" value={x.id} checked={(v.customer_id ?? state.customerId) === x.id} />
                      <span>
                        <b>{x.name}</b> · <span class="ltr">{x.phone ?? x.email ?? ""}</span>
                      </span>
                    </label>
                  ))}
                </div>
              </fieldset>
            ) : state.q ? (
              <p class="note">{m.book.noMatch}</p>
            ) : null}
            <fieldset>
              <legend>{m.book.newCustomer}</legend>
              <div class="row">
                <div class="field">
                  <label for="b-name">{m.book.name}</label>
                  <input id="b-name" name="name" value={v.name ?? ""} autocomplete="off" maxlength={200} />
                </div>
                <div class="field">
                  <label for="b-phone">{m.book.phone}</label>
                  <input id="b-phone" name="phone" type="tel" dir="ltr" value={v.phone ?? ""} autocomplete="off" maxlength={40} />
                </div>
                <div class="field">
                  <label for="b-email">{m.book.email}</label>
                  <input id="b-email" name="email" type="email" dir="ltr" value={v.email ?? ""} autocomplete="off" maxlength={254} />
                </div>
              </div>
            </fieldset>
            <div class="field">
              <label for="b-notes">{m.book.notes}</label>
              <textarea id="b-notes" name="notes" rows={2} maxlength={2000}>
                {v.notes ?? ""}
              </textarea>
            </div>
            <button type="submit" class="btn">
              {m.book.submit}
            </button>
          </form>
        ) : (
          <p class="note">{m.book.pickService}</p>
        )}
      </div>
    </AdminLayout>,
    status,
  );
}

calendarPages.get("/calendar/new", requirePageRole("staff"), async (c) => {
  const zone = c.get("admin").tenant.timeZone;
  return renderForm(c, {
    date: dateParam(c, "date") ?? todayIn(zone),
    serviceId: uuidParam(c, "service"),
    staffId: uuidParam(c, "staff"),
    q: (c.req.query("q") ?? "").trim().slice(0, 100),
    customerId: uuidParam(c, "customer"),
  });
});

calendarPages.post("/calendar/new", requirePageRole("staff"), async (c) => {
  const req = c.get("admin");
  const { tenant, lang } = req;
  const m = frontdeskMessages(lang);
  const form = (await c.req.parseBody()) as Record<string, unknown>;
  const values = Object.fromEntries(Object.entries(form).map(([k, val]) => [k, str(val)])) as Record<string, string>;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(values.date ?? "") ? values.date! : todayIn(tenant.timeZone);
  const state: FormState = {
    date,
    serviceId: isUuid(values.service_id) ? values.service_id : undefined,
    staffId: isUuid(values.staff_id) ? values.staff_id : undefined,
    q: (values.q ?? "").slice(0, 100),
    customerId: isUuid(values.customer_id) ? values.customer_id : undefined,
    values,
  };
  if (!state.serviceId) return renderForm(c, { ...state, error: m.book.pickService }, 422);
  // The start: an offered slot ("<epoch ms>|<staff id>"), or (owner/admin) a custom wall time of the date.
  let start: number | null = null;
  let staffId = state.staffId ?? null;
  let offGrid = false;
  const slot = /^(\d{10,15})\|([0-9a-f-]{36})$/i.exec(values.slot ?? "");
  if (/^\d{2}:\d{2}$/.test(values.custom_time ?? "")) {
    start = localInstantMs(tenant.timeZone, date, values.custom_time!);
    offGrid = true;
    staffId = staffId ?? (isUuid(values.custom_staff_id) ? values.custom_staff_id : null);
  } else if (slot) {
    start = Number(slot[1]);
    staffId = slot[2]!;
  }
  if (start === null) return renderForm(c, { ...state, error: m.book.chooseTime }, 422);
  const customerId = state.customerId ?? null;
  const typed = { name: values.name ?? "", phone: values.phone || null, email: values.email || null };
  if (!customerId && !typed.name) return renderForm(c, { ...state, error: m.book.chooseCustomer }, 422);
  const session = sessionOf(c);
  try {
    const created = await createStaffBooking(
      c.get("database").http,
      tenant,
      { userId: session.userId, onlyUserId: ownRecordsOnly(c) },
      {
        serviceId: state.serviceId,
        staffId,
        start,
        customerId,
        customer: customerId ? null : typed,
        notes: values.notes || undefined,
        offGrid,
      },
    );
    const q = new URLSearchParams({ created: "1" });
    if (created.warnings.length) q.set("warn", created.warnings.join(","));
    return c.redirect(`/admin/bookings/${created.booking.id}?${q}`, 303);
  } catch (error) {
    if (error instanceof SlotTaken) {
      const next = (error.nextSlots as { start: string; staff_id: string }[]).map((n) => ({
        start: Date.parse(n.start),
        staffId: n.staff_id,
      }));
      return renderForm(c, { ...state, error: m.book.conflict, next }, 409);
    }
    // Bad contact details, unknown service… (a Forbidden — e.g. a staff member posting a custom time — is the error page).
    if (error instanceof DomainError && !(error instanceof Forbidden)) {
      return renderForm(c, { ...state, error: refusalText(c.get("admin").lang, error) }, 422);
    }
    throw error;
  }
});
