/** The staff screens (/admin/settings/staff and /admin/settings/staff/:id). Views only. */
import type { Child } from "hono/jsx";
import { formatDateTime } from "../web/format";
import type { StaffMessages } from "./i18n/staff";
import { AdminLayout, CsrfField } from "./layout";
import { SETTINGS_TABS_CSS, SettingsTabs } from "./settings-tabs";
import type { AdminRequest } from "./session";
import { type Errors, listOf, MAX_DAY_ROWS, OVERRIDE_ROWS, overrideKey, str, weeklyKey, type Form } from "./staff.forms";

export const STAFF_PATH = "/admin/settings/staff";

const CSS = `
.stack{display:grid;gap:1rem;max-width:60rem}
.stack .card h2{margin-top:0}
.vh{position:absolute;inline-size:1px;block-size:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.people{list-style:none;margin:0;padding:0}
.people li{display:flex;flex-wrap:wrap;gap:.5rem 1rem;justify-content:space-between;align-items:center;padding:.75rem 0;border-block-end:1px solid var(--line,#ddd)}
.people .who{display:grid;gap:.15rem;min-inline-size:0;flex:1 1 14rem}
.people .who span{overflow-wrap:anywhere}
.people .acts{display:flex;gap:.5rem;flex-wrap:wrap}
.tag{display:inline-block;padding:.1rem .5rem;border-radius:999px;border:1px solid var(--line,#ddd);font-size:.85rem}
.tag.off{background:#f3f4f6}
.cols{display:grid;gap:0 1rem}
@media (min-width:640px){.cols{grid-template-columns:1fr 1fr}}
.checks{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;border:0;padding:0;margin:0 0 1rem}
.checks legend{font-weight:600;margin-block-end:.35rem;padding:0}
.checks label{display:flex;gap:.4rem;align-items:center;min-height:2.6rem}
.days{display:grid;gap:.75rem}
.day{border:1px solid var(--line,#ddd);border-radius:10px;padding:.5rem .75rem;margin:0;min-inline-size:0}
.day legend{font-weight:700;padding:0 .25rem}
.range{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin-block:.3rem}
.range input{inline-size:8.5rem;max-inline-size:40%;font:inherit;padding:.45rem .5rem;border:1px solid #8c959f;border-radius:8px;min-height:2.6rem}
.range input[aria-invalid=true]{border-color:#b42318;border-width:2px}
.row{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:end}
.row .field{flex:1 1 10rem;min-inline-size:0}
.list{list-style:none;margin:0 0 1rem;padding:0}
.list li{display:flex;flex-wrap:wrap;gap:.5rem;justify-content:space-between;align-items:center;padding:.5rem 0;border-block-end:1px solid var(--line,#ddd)}
.actions{display:flex;gap:.6rem;flex-wrap:wrap;align-items:center}
`.replace(/\n/g, "");

export interface StaffRow {
  id: string;
  display_name: string;
  email: string | null;
  phone: string | null;
  time_zone: string | null;
  is_active: boolean;
  service_ids: string[];
}
export interface ServiceChoice {
  id: string;
  name: string;
  is_active: boolean;
}
export interface Schedule {
  weekly: { weekday: number; start: string; end: string }[];
  overrides: { date: string; ranges: { start: string; end: string }[] }[];
  time_off: { id: string; starts_at: string; ends_at: string; note: string }[];
}

function Notice({ ok, bad }: { ok?: string; bad?: string }) {
  return (
    <>
      {ok ? (
        <p class="alert ok" role="status">
          {ok}
        </p>
      ) : null}
      {bad ? (
        <p class="alert bad" role="alert">
          {bad}
        </p>
      ) : null}
    </>
  );
}

const Err = ({ errors, k }: { errors: Errors; k: string }) =>
  errors[k] ? (
    <p class="err" id={`${k}-err`}>
      {errors[k]}
    </p>
  ) : null;

const invalid = (errors: Errors, k: string) =>
  errors[k] ? { "aria-invalid": "true", "aria-describedby": `${k}-err` } : ({} as Record<string, string>);

interface FieldProps {
  name: string;
  label: string;
  form: Form;
  errors: Errors;
  type?: string;
  hint?: string;
  required?: boolean;
  ltr?: boolean;
  autocomplete?: string;
  maxlength?: number;
}

function Field(p: FieldProps) {
  const error = p.errors[p.name];
  const describedBy = [p.hint ? `${p.name}-hint` : null, error ? `${p.name}-err` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field">
      <label for={p.name}>{p.label}</label>
      <input
        id={p.name}
        name={p.name}
        type={p.type ?? "text"}
        value={str(p.form[p.name])}
        required={p.required}
        maxlength={p.maxlength}
        autocomplete={p.autocomplete}
        dir={p.ltr ? "ltr" : p.type === "date" || p.type === "time" ? undefined : "auto"}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy}
      />
      {p.hint ? (
        <span class="hint" id={`${p.name}-hint`}>
          {p.hint}
        </span>
      ) : null}
      <Err errors={p.errors} k={p.name} />
    </div>
  );
}

/** Name, contact, own time zone and services: the same fields on the add form and the details form. */
function DetailFields(props: { w: StaffMessages; form: Form; errors: Errors; services: ServiceChoice[]; zone: string }) {
  const { w, form, errors, services } = props;
  const chosen = new Set(listOf(form.service_ids));
  return (
    <>
      <Field name="display_name" label={w.name} form={form} errors={errors} required maxlength={120} autocomplete="off" />
      <div class="cols">
        <Field name="email" label={w.email} form={form} errors={errors} type="email" ltr autocomplete="off" />
        <Field name="phone" label={w.phone} form={form} errors={errors} type="tel" ltr autocomplete="off" />
      </div>
      <Field name="time_zone" label={w.timeZone} form={form} errors={errors} ltr hint={w.timeZoneHint(props.zone)} maxlength={64} />
      {services.length ? (
        <fieldset class="checks" {...invalid(errors, "service_ids")}>
          <legend>{w.services}</legend>
          {services.map((s) => (
            <label>
              <input type="checkbox" name="service_ids" value={s.id} checked={chosen.has(s.id)} /> <bdi>{s.name}</bdi>
            </label>
          ))}
        </fieldset>
      ) : (
        <p class="note">
          {w.noServicesYet} <a href="/admin/settings/services">{w.servicesLink}</a>
        </p>
      )}
      <Err errors={errors} k="service_ids" />
    </>
  );
}

function ActiveToggle(props: { w: StaffMessages; csrf: string; person: StaffRow; back: "list" | "detail" }) {
  const { w, person } = props;
  const label = person.is_active ? w.deactivate : w.reactivate;
  return (
    <form method="post" action={`${STAFF_PATH}/${person.id}/active`}>
      <CsrfField token={props.csrf} />
      <input type="hidden" name="active" value={person.is_active ? "0" : "1"} />
      <input type="hidden" name="back" value={props.back} />
      <button class={person.is_active ? "btn ghost danger" : "btn ghost"} type="submit" aria-label={`${label} ${person.display_name}`}>
        {label}
      </button>
    </form>
  );
}

function Frame(props: { req: AdminRequest; w: StaffMessages; children: Child }) {
  return (
    <AdminLayout req={props.req} title={props.w.title} nav="settings" css={SETTINGS_TABS_CSS + CSS}>
      <SettingsTabs req={props.req} current="staff" />
      <div class="stack">{props.children}</div>
    </AdminLayout>
  );
}

export function StaffListPage(props: {
  req: AdminRequest;
  w: StaffMessages;
  staff: StaffRow[];
  services: ServiceChoice[];
  form: Form;
  errors: Errors;
  notice?: string;
}) {
  const { req, w, errors } = props;
  const csrf = req.session!.csrf;
  const names = new Map(props.services.map((s) => [s.id, s.name]));
  return (
    <Frame req={req} w={w}>
      <Notice ok={props.notice} bad={Object.keys(errors).length ? w.fixErrors : undefined} />
      <section class="card" aria-labelledby="staff-title">
        <h2 id="staff-title">{w.listTitle}</h2>
        {props.staff.length ? (
          <ul class="people" id="staff-list">
            {props.staff.map((p) => (
              <li>
                <div class="who">
                  <span>
                    <b>
                      <bdi>{p.display_name}</bdi>
                    </b>{" "}
                    <span class={p.is_active ? "tag" : "tag off"}>{p.is_active ? w.active : w.inactive}</span>
                  </span>
                  <span class="hint">
                    {w.colServices}:{" "}
                    {p.service_ids.length ? <bdi>{p.service_ids.map((id) => names.get(id) ?? "?").join(", ")}</bdi> : w.noServices}
                  </span>
                  {p.email || p.phone ? (
                    <span class="hint">
                      <bdi dir="ltr">{[p.email, p.phone].filter(Boolean).join(" · ")}</bdi>
                    </span>
                  ) : null}
                </div>
                <div class="acts">
                  <a class="btn ghost" href={`${STAFF_PATH}/${p.id}`} aria-label={`${w.edit} ${p.display_name}`}>
                    {w.edit}
                  </a>
                  <ActiveToggle w={w} csrf={csrf} person={p} back="list" />
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <p class="empty">{w.none}</p>
        )}
      </section>
      <section class="card" aria-labelledby="add-title">
        <h2 id="add-title">{w.addTitle}</h2>
        <form method="post" action={STAFF_PATH} novalidate>
          <CsrfField token={csrf} />
          <DetailFields w={w} form={props.form} errors={errors} services={props.services} zone={req.tenant.timeZone} />
          <button class="btn" type="submit">
            {w.add}
          </button>
        </form>
      </section>
      <p class="note">
        {w.closuresNote} <a href="/admin/settings/hours">{w.closuresLink}</a>
      </p>
    </Frame>
  );
}

/** What each section's form shows again after a refused post (the others show the saved state). */
export interface DetailForms {
  details?: Form;
  weekly?: Form;
  timeOff?: Form;
  override?: Form;
}

/** The saved weekly hours as the editor's fields. */
export function weeklyForm(weekly: Schedule["weekly"]): Form {
  const form: Form = {};
  const rows = new Map<number, number>();
  for (const r of [...weekly].sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start))) {
    const row = rows.get(r.weekday) ?? 0;
    form[weeklyKey(r.weekday, "start", row)] = r.start;
    form[weeklyKey(r.weekday, "end", row)] = r.end;
    rows.set(r.weekday, row + 1);
  }
  return form;
}

/** Rows shown for a day: every filled one and one empty more (two at least). */
function rowsOf(form: Form, day: number): number {
  let last = -1;
  for (let row = 0; row < MAX_DAY_ROWS; row++) {
    if (str(form[weeklyKey(day, "start", row)]) || str(form[weeklyKey(day, "end", row)])) last = row;
  }
  return Math.min(MAX_DAY_ROWS, Math.max(2, last + 2));
}

function RangeInputs(props: { startKey: string; endKey: string; label: string; w: StaffMessages; form: Form; errors: Errors }) {
  const { startKey, endKey, label, w, form, errors } = props;
  return (
    <>
      <div class="range">
        <span aria-hidden="true">{w.from}</span>
        <input
          name={startKey}
          id={startKey}
          type="time"
          value={str(form[startKey])}
          aria-label={`${label} ${w.from}`}
          {...invalid(errors, startKey)}
        />
        <span aria-hidden="true">{w.to}</span>
        <input
          name={endKey}
          id={endKey}
          type="time"
          value={str(form[endKey])}
          aria-label={`${label} ${w.to}`}
          {...invalid(errors, endKey)}
        />
      </div>
      <Err errors={errors} k={startKey} />
      <Err errors={errors} k={endKey} />
    </>
  );
}

export function StaffDetailPage(props: {
  req: AdminRequest;
  w: StaffMessages;
  person: StaffRow;
  services: ServiceChoice[];
  schedule: Schedule;
  forms: DetailForms;
  errors: Errors;
  notice?: string;
  today: string;
}) {
  const { req, w, person, schedule, errors, forms } = props;
  const csrf = req.session!.csrf;
  const base = `${STAFF_PATH}/${person.id}`;
  const businessZone = req.tenant.timeZone;
  const zone = person.time_zone ?? businessZone;
  const details: Form = forms.details ?? {
    display_name: person.display_name,
    email: person.email ?? "",
    phone: person.phone ?? "",
    time_zone: person.time_zone ?? "",
    service_ids: person.service_ids,
  };
  const weekly = forms.weekly ?? weeklyForm(schedule.weekly);
  const timeOff = forms.timeOff ?? {};
  const override = forms.override ?? {};
  const now = Date.now();
  const upcomingOff = schedule.time_off.filter((p) => Date.parse(p.ends_at) > now);
  const upcomingDates = schedule.overrides.filter((o) => o.date >= props.today);
  return (
    <Frame req={req} w={w}>
      <p>
        <a href={STAFF_PATH}>← {w.back}</a>
      </p>
      <Notice ok={props.notice} bad={Object.keys(errors).length ? w.fixErrors : undefined} />
      <section class="card" aria-labelledby="person-title">
        <h2 id="person-title">
          <bdi>{person.display_name}</bdi>
        </h2>
        <div class="actions">
          <span class={person.is_active ? "tag" : "tag off"}>{w.status(person.is_active)}</span>
          <ActiveToggle w={w} csrf={csrf} person={person} back="detail" />
        </div>
        <p class="hint" id="zone-note">
          {w.zoneNote(businessZone)} {person.time_zone ? w.ownZoneNote(person.time_zone) : null}
        </p>
        <p class="note">
          {w.closuresNote} <a href="/admin/settings/hours">{w.closuresLink}</a>
        </p>
      </section>

      <section class="card" aria-labelledby="details-title">
        <h2 id="details-title">{w.details}</h2>
        <form method="post" action={base} novalidate>
          <CsrfField token={csrf} />
          <DetailFields w={w} form={details} errors={errors} services={props.services} zone={businessZone} />
          <button class="btn" type="submit">
            {w.saveDetails}
          </button>
        </form>
      </section>

      <section class="card" aria-labelledby="hours-title">
        <h2 id="hours-title">{w.hoursTitle}</h2>
        <p class="hint" id="hours-hint">
          {w.hoursHint} {w.zoneNote(zone)}
        </p>
        <form method="post" action={`${base}/hours`} novalidate>
          <CsrfField token={csrf} />
          <div class="days">
            {w.weekdays.map((dayName, i) => {
              const day = i + 1;
              const rows = rowsOf(weekly, day);
              const open = Array.from({ length: MAX_DAY_ROWS }, (_, r) => str(weekly[weeklyKey(day, "start", r)])).some(Boolean);
              return (
                <fieldset class="day">
                  <legend>
                    {dayName} {open ? null : <span class="tag off">{w.closed}</span>}
                  </legend>
                  {Array.from({ length: rows }, (_, row) => (
                    <RangeInputs
                      startKey={weeklyKey(day, "start", row)}
                      endKey={weeklyKey(day, "end", row)}
                      label={`${dayName} ${row + 1}`}
                      w={w}
                      form={weekly}
                      errors={errors}
                    />
                  ))}
                </fieldset>
              );
            })}
          </div>
          <p class="actions">
            <button class="btn" type="submit">
              {w.saveHours}
            </button>
          </p>
        </form>
      </section>

      <section class="card" aria-labelledby="off-title">
        <h2 id="off-title">{w.timeOffTitle}</h2>
        {upcomingOff.length ? (
          <ul class="list" id="time-off">
            {upcomingOff.map((p) => (
              <li>
                <span>
                  <bdi>{formatDateTime(req.lang, zone, Date.parse(p.starts_at))}</bdi> →{" "}
                  <bdi>{formatDateTime(req.lang, zone, Date.parse(p.ends_at))}</bdi>
                  {p.note ? (
                    <>
                      {" "}
                      · <bdi>{p.note}</bdi>
                    </>
                  ) : null}
                </span>
                <form method="post" action={`${base}/time-off/${p.id}/delete`}>
                  <CsrfField token={csrf} />
                  <button class="btn ghost danger" type="submit" aria-label={`${w.remove} ${p.note || p.starts_at.slice(0, 10)}`}>
                    {w.remove}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        ) : (
          <p class="note">{w.noTimeOff}</p>
        )}
        <p class="hint">
          {w.timeOffHint} {w.zoneNote(zone)}
        </p>
        <form method="post" action={`${base}/time-off`} novalidate>
          <CsrfField token={csrf} />
          <div class="row">
            <Field name="off_from" label={w.firstDay} form={timeOff} errors={errors} type="date" required />
            <Field name="off_from_time" label={w.fromTime} form={timeOff} errors={errors} type="time" />
          </div>
          <div class="row">
            <Field name="off_to" label={w.lastDay} form={timeOff} errors={errors} type="date" />
            <Field name="off_to_time" label={w.untilTime} form={timeOff} errors={errors} type="time" />
          </div>
          <Field name="note" label={w.reason} form={timeOff} errors={errors} maxlength={200} />
          <button class="btn" type="submit">
            {w.addTimeOff}
          </button>
        </form>
      </section>

      <section class="card" aria-labelledby="dates-title">
        <h2 id="dates-title">{w.overridesTitle}</h2>
        {upcomingDates.length ? (
          <ul class="list" id="overrides">
            {upcomingDates.map((o) => (
              <li>
                <span>
                  <bdi>{o.date}</bdi> ·{" "}
                  {o.ranges.length ? <bdi dir="ltr">{o.ranges.map((r) => `${r.start}–${r.end}`).join(", ")}</bdi> : w.closed}
                </span>
                <form method="post" action={`${base}/overrides/${o.date}/delete`}>
                  <CsrfField token={csrf} />
                  <button class="btn ghost danger" type="submit" aria-label={`${w.remove} ${o.date}`}>
                    {w.remove}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        ) : (
          <p class="note">{w.noOverrides}</p>
        )}
        <p class="hint">{w.overridesHint}</p>
        <form method="post" action={`${base}/overrides`} novalidate>
          <CsrfField token={csrf} />
          <Field name="o_date" label={w.date} form={override} errors={errors} type="date" required />
          {Array.from({ length: OVERRIDE_ROWS }, (_, row) => (
            <RangeInputs
              startKey={overrideKey("start", row)}
              endKey={overrideKey("end", row)}
              label={`${w.date} ${row + 1}`}
              w={w}
              form={override}
              errors={errors}
            />
          ))}
          <button class="btn" type="submit">
            {w.saveOverride}
          </button>
        </form>
      </section>
    </Frame>
  );
}
