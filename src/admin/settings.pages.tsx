/** The settings screens (/admin/settings): business profile and branding, booking policy. Views only. */
import type { Child } from "hono/jsx";
import { LANGS, messages as webMessages } from "../web/i18n";
import { Field, type FieldErrors, type Values } from "./form-field";
import { AdminLayout, CsrfField } from "./layout";
import { SETTINGS_TABS_CSS, SettingsTabs } from "./settings-tabs";
import type { SettingsMessages } from "./i18n/settings";
import type { AdminRequest } from "./session";

export type { FieldErrors, Values } from "./form-field";

export const SETTINGS_CSS = `
.form{max-width:52rem;display:grid;gap:1rem}
fieldset.card{margin:0;min-width:0}
fieldset.card legend{font-weight:700;font-size:1.02rem;padding:0 .35rem}
.cols{display:grid;gap:0 1rem}
.field input[type=color]{padding:.2rem;width:6rem;cursor:pointer}
.check{display:flex;gap:.6rem;align-items:flex-start;margin:0 0 .5rem}
.check input{width:1.3rem;height:1.3rem;margin:.15rem 0 0;flex:none}
.check label{font-weight:600}
.actions{display:flex;gap:.6rem;flex-wrap:wrap;align-items:center}
.confirm{border-color:#f5b86b;background:#fffaeb}
.confirm h2{margin-top:0}
@media (min-width:640px){.cols{grid-template-columns:1fr 1fr}}
`.replace(/\n/g, "");

function Alert({ kind, text }: { kind: "bad" | "ok" | "info"; text?: string | null }) {
  if (!text) return null;
  return (
    <p class={`alert ${kind}`} role={kind === "bad" ? "alert" : "status"}>
      {text}
    </p>
  );
}

export interface PageProps {
  req: AdminRequest;
  s: SettingsMessages;
  values: Values;
  errors: FieldErrors;
  saved?: boolean;
  children?: Child;
}

function Frame(props: PageProps & { current: "profile" | "policy"; action: string; body: Child; after?: Child }) {
  const { req, s } = props;
  const hasErrors = Object.keys(props.errors).length > 0;
  return (
    <AdminLayout req={req} title={s.title} nav="settings" css={SETTINGS_TABS_CSS + SETTINGS_CSS}>
      <SettingsTabs req={req} current={props.current} />
      <Alert kind="ok" text={props.saved ? s.saved : null} />
      <Alert kind="bad" text={hasErrors ? s.fixErrors : null} />
      <form method="post" action={props.action} class="form" novalidate>
        <CsrfField token={req.session!.csrf} />
        {props.body}
        {props.after ?? null}
        <div class="actions">
          <button type="submit" class="btn">
            {s.save}
          </button>
        </div>
      </form>
    </AdminLayout>
  );
}

export function ProfilePage(props: PageProps & { upcoming: number; confirmNeeded?: number | null }) {
  const { s, values, errors } = props;
  const p = s.profile;
  const f = { values, errors };
  const body = (
    <>
      <fieldset class="card">
        <legend>{p.identity}</legend>
        <Field id="name" label={p.name} required autocomplete="organization" {...f} />
        <Field id="description" label={p.description} hint={p.descriptionHint} multiline {...f} />
      </fieldset>
      <fieldset class="card">
        <legend>{p.look}</legend>
        <Field id="logo_url" label={p.logo} type="url" hint={p.logoHint} ltr {...f} />
        <Field id="accent_color" label={p.accent} type="color" hint={p.accentHint} {...f} />
      </fieldset>
      <fieldset class="card">
        <legend>{p.contact}</legend>
        <div class="cols">
          <Field id="contact_phone" label={p.phone} type="tel" hint={p.phoneHint} ltr autocomplete="tel" {...f} />
          <Field id="whatsapp" label={p.whatsapp} type="tel" ltr {...f} />
        </div>
        <Field id="address" label={p.address} multiline autocomplete="street-address" {...f} />
        <Field id="map_url" label={p.map} type="url" hint={p.mapHint} ltr {...f} />
      </fieldset>
      <fieldset class="card">
        <legend>{p.regional}</legend>
        <div class="field">
          <label for="locale">{p.locale}</label>
          <select id="locale" name="locale" aria-invalid={errors.locale ? "true" : undefined}>
            {LANGS.map((lang) => (
              <option value={lang} selected={values.locale === lang} lang={lang}>
                {webMessages(lang).langName}
              </option>
            ))}
          </select>
        </div>
        <p class="note" id="upcoming-note">
          {p.upcoming(props.upcoming)}
        </p>
        <div class="cols">
          <Field id="time_zone" label={p.timeZone} hint={p.timeZoneHint} ltr {...f} />
          <Field id="currency" label={p.currency} hint={p.currencyHint} ltr {...f} />
        </div>
      </fieldset>
    </>
  );
  const confirm = props.confirmNeeded ? (
    <section class="card confirm" aria-labelledby="confirm-title" role="alert">
      <h2 id="confirm-title">{p.confirmTitle}</h2>
      <p>{p.confirmText(props.confirmNeeded)}</p>
      <button type="submit" name="confirm" value="1" class="btn danger">
        {p.confirm}
      </button>
    </section>
  ) : null;
  return <Frame {...props} current="profile" action="/admin/settings/profile" body={body} after={confirm} />;
}

export function PolicyPage(props: PageProps) {
  const { s, values, errors } = props;
  const p = s.policy;
  const f = { values, errors, ltr: false, inputmode: "numeric" as const, type: "number" };
  const body = (
    <>
      <fieldset class="card">
        <legend>{p.slots}</legend>
        <div class="cols">
          <Field id="slot_interval_min" label={p.slotInterval} min={5} max={240} {...f} />
          <Field id="min_notice_min" label={p.minNotice} min={0} {...f} />
          <Field id="booking_window_days" label={p.window} min={1} max={730} {...f} />
        </div>
      </fieldset>
      <fieldset class="card">
        <legend>{p.changes}</legend>
        <div class="cols">
          <Field id="cancellation_cutoff_min" label={p.cancelCutoff} min={0} {...f} />
          <Field id="reschedule_cutoff_min" label={p.rescheduleCutoff} min={0} {...f} />
        </div>
        <Field
          id="reminder_offsets_min"
          label={p.reminders}
          hint={p.remindersHint}
          values={values}
          errors={errors}
          ltr
          inputmode="numeric"
        />
      </fieldset>
      <fieldset class="card">
        <legend>{p.protection}</legend>
        <Field id="max_active_bookings_per_contact" label={p.maxActive} hint={p.maxActiveHint} min={1} max={100} {...f} />
        <div class="check">
          <input
            type="checkbox"
            id="online_bookings_need_approval"
            name="online_bookings_need_approval"
            value="1"
            checked={values.online_bookings_need_approval === "1"}
            aria-describedby="approval-hint"
          />
          <span>
            <label for="online_bookings_need_approval">{p.approval}</label>
            <span class="hint" id="approval-hint">
              {p.approvalHint}
            </span>
          </span>
        </div>
      </fieldset>
    </>
  );
  return <Frame {...props} current="policy" action="/admin/settings/policy" body={body} />;
}
