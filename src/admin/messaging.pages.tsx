/** Views of /admin/settings/messaging (the business's messaging settings and embed code) and /admin/account/alerts (my alerts). */
import type { MessagingMessages } from "./i18n/messaging";
import { AdminLayout, CsrfField } from "./layout";
import { SETTINGS_TABS_CSS, SettingsTabs } from "./settings-tabs";
import { SETTINGS_CSS } from "./settings.pages";
import type { AdminRequest } from "./session";

export type Values = Record<string, string>;
export type FieldErrors = Record<string, string>;

const CSS = `
.radios{display:flex;gap:1.25rem;flex-wrap:wrap;border:0;padding:0;margin:.5rem 0 0}
.radios label{display:flex;gap:.45rem;align-items:center;font-weight:600}
.snippet{display:grid;gap:.4rem;margin-block-end:1rem}
.snippet pre{margin:0;padding:.6rem .75rem;background:#f6f8fa;border:1px solid var(--line);border-radius:6px;overflow-x:auto;white-space:pre-wrap;word-break:break-all;font-size:.85rem}
.snippet .row{display:flex;gap:.6rem;align-items:center;justify-content:space-between;flex-wrap:wrap}
`.replace(/\n/g, "");

/** Copy buttons are hidden until this runs (no script: the code stays selectable). */
const COPY_SCRIPT = `document.querySelectorAll("[data-copy]").forEach(function(b){b.hidden=false;b.addEventListener("click",function(){var t=document.getElementById(b.getAttribute("data-copy"));if(!t||!navigator.clipboard)return;navigator.clipboard.writeText(t.textContent).then(function(){var l=b.textContent;b.textContent=b.getAttribute("data-done");setTimeout(function(){b.textContent=l},2000)})})});`;

function Alerts({ w, saved, errors }: { w: MessagingMessages; saved?: boolean; errors: FieldErrors }) {
  return (
    <>
      {saved ? (
        <p class="alert ok" role="status">
          {w.saved}
        </p>
      ) : null}
      {Object.keys(errors).length ? (
        <p class="alert bad" role="alert">
          {w.fixErrors}
        </p>
      ) : null}
    </>
  );
}

function ErrorText({ id, errors }: { id: string; errors: FieldErrors }) {
  return errors[id] ? (
    <span class="err" id={`${id}-err`}>
      {errors[id]}
    </span>
  ) : null;
}

const describedBy = (id: string, errors: FieldErrors, hint = true) =>
  [hint ? `${id}-hint` : null, errors[id] ? `${id}-err` : null].filter(Boolean).join(" ") || undefined;

export interface Snippets {
  button: string;
  inline: string;
  link: string;
}

/** The three ways to put booking on the business's own site, built from its real address. */
export function snippetsFor(origin: string, w: MessagingMessages): Snippets {
  return {
    button: `<script src="${origin}/embed.js" data-label="${w.embed.bookLabel}"></script>`,
    inline: `<script src="${origin}/embed.js" data-mode="inline"></script>`,
    link: `<a href="${origin}/">${w.embed.bookLabel}</a>`,
  };
}

function Snippet({ id, label, code, note, w }: { id: string; label: string; code: string; note?: string; w: MessagingMessages }) {
  return (
    <div class="snippet">
      <div class="row">
        <span id={`${id}-label`}>
          <b>{label}</b>
        </span>
        <button type="button" class="btn ghost" data-copy={id} data-done={w.embed.copied} aria-describedby={`${id}-label`} hidden>
          {w.embed.copy}
        </button>
      </div>
      <pre dir="ltr">
        <code id={id}>{code}</code>
      </pre>
      {note ? <span class="hint">{note}</span> : null}
    </div>
  );
}

export function MessagingSettingsPage(props: {
  req: AdminRequest;
  w: MessagingMessages;
  values: Values;
  errors: FieldErrors;
  snippets: Snippets;
  saved?: boolean;
}) {
  const { req, w, values, errors } = props;
  return (
    <AdminLayout req={req} title={w.title} nav="settings" css={SETTINGS_TABS_CSS + SETTINGS_CSS + CSS} script={COPY_SCRIPT}>
      <SettingsTabs req={req} current="messaging" />
      <Alerts w={w} saved={props.saved} errors={errors} />
      <form method="post" action="/admin/settings/messaging" class="form" novalidate>
        <CsrfField token={req.session!.csrf} />
        <fieldset class="card" aria-describedby="phone_channel-hint">
          <legend>{w.channel.legend}</legend>
          <span class="hint" id="phone_channel-hint">
            {w.channel.lead}
          </span>
          <div class="radios">
            {(["whatsapp", "sms"] as const).map((channel) => (
              <label>
                <input type="radio" name="phone_channel" value={channel} checked={values.phone_channel === channel} />
                {w.channel[channel]}
              </label>
            ))}
          </div>
          <ErrorText id="phone_channel" errors={errors} />
        </fieldset>
        <fieldset class="card">
          <legend>{w.agenda.legend}</legend>
          <div class="field">
            <label for="agenda_time">{w.agenda.time}</label>
            <input
              type="time"
              id="agenda_time"
              name="agenda_time"
              value={values.agenda_time ?? ""}
              dir="ltr"
              aria-invalid={errors.agenda_time ? "true" : undefined}
              aria-describedby={describedBy("agenda_time", errors)}
            />
            <span class="hint" id="agenda_time-hint">
              {w.agenda.hint(req.tenant.timeZone)}
            </span>
            <ErrorText id="agenda_time" errors={errors} />
          </div>
        </fieldset>
        <fieldset class="card">
          <legend>{w.embed.legend}</legend>
          <div class="field">
            <label for="embed_origins">{w.embed.origins}</label>
            <textarea
              id="embed_origins"
              name="embed_origins"
              rows={3}
              dir="ltr"
              spellcheck={false}
              aria-invalid={errors.embed_origins ? "true" : undefined}
              aria-describedby={describedBy("embed_origins", errors)}
            >
              {values.embed_origins ?? ""}
            </textarea>
            <span class="hint" id="embed_origins-hint">
              {w.embed.hint}
            </span>
            <ErrorText id="embed_origins" errors={errors} />
          </div>
        </fieldset>
        <div class="actions">
          <button type="submit" class="btn">
            {w.save}
          </button>
        </div>
      </form>
      <section class="card form" aria-labelledby="snippets-h">
        <h2 id="snippets-h">{w.embed.snippets}</h2>
        <p class="note">{w.embed.snippetsLead}</p>
        <Snippet id="snippet-button" label={w.embed.button} code={props.snippets.button} w={w} />
        <Snippet id="snippet-inline" label={w.embed.inline} code={props.snippets.inline} note={w.embed.inlineNote} w={w} />
        <Snippet id="snippet-link" label={w.embed.link} code={props.snippets.link} w={w} />
      </section>
    </AdminLayout>
  );
}

export function MyAlertsPage(props: {
  req: AdminRequest;
  w: MessagingMessages;
  email: string;
  staffMember: boolean;
  values: Values;
  errors: FieldErrors;
  saved?: boolean;
}) {
  const { req, w, values, errors } = props;
  const a = w.alerts;
  const check = (id: string, label: string, hint?: string) => (
    <div class="check">
      <input type="checkbox" id={id} name={id} value="1" checked={values[id] === "1"} aria-describedby={hint ? `${id}-hint` : undefined} />
      <span>
        <label for={id}>{label}</label>
        {hint ? (
          <span class="hint" id={`${id}-hint`}>
            {hint}
          </span>
        ) : null}
      </span>
    </div>
  );
  return (
    <AdminLayout req={req} title={a.title} css={SETTINGS_CSS + CSS}>
      <Alerts w={w} saved={props.saved} errors={errors} />
      <p class="note">{a.lead(props.email)}</p>
      <form method="post" action="/admin/account/alerts" class="form" novalidate>
        <CsrfField token={req.session!.csrf} />
        <fieldset class="card">
          <legend>{a.legend}</legend>
          <p class="hint">{props.staffMember ? a.staffScope : a.notStaff}</p>
          {check("on_created", a.onCreated)}
          {check("on_cancelled", a.onCancelled)}
          {check("on_rescheduled", a.onRescheduled)}
          {check("daily_agenda", a.dailyAgenda, a.dailyAgendaHint)}
        </fieldset>
        <fieldset class="card">
          <legend>{w.channel.whatsapp}</legend>
          <div class="field">
            <label for="whatsapp_phone">{a.whatsapp}</label>
            <input
              type="tel"
              id="whatsapp_phone"
              name="whatsapp_phone"
              value={values.whatsapp_phone ?? ""}
              dir="ltr"
              autocomplete="tel"
              aria-invalid={errors.whatsapp_phone ? "true" : undefined}
              aria-describedby={describedBy("whatsapp_phone", errors)}
            />
            <span class="hint" id="whatsapp_phone-hint">
              {a.whatsappHint}
            </span>
            <ErrorText id="whatsapp_phone" errors={errors} />
          </div>
        </fieldset>
        <div class="actions">
          <button type="submit" class="btn">
            {w.save}
          </button>
        </div>
      </form>
    </AdminLayout>
  );
}
