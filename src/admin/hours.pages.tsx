/**
 * /admin/settings/hours (admin and above): business-wide closures and seasonal
 * hours (e.g. Ramadan), with the preview of the upcoming bookings that fall
 * outside the new hours before saving. The same services as the API
 * (src/catalogue/closures.service.ts, seasonal.service.ts), validated by the
 * same schemas.
 */
import { Hono } from "hono";
import type { z } from "zod";
import { ClosureCreateSchema } from "../catalogue/closures.routes";
import * as Closures from "../catalogue/closures.service";
import { SeasonWriteSchema } from "../catalogue/seasonal.routes";
import * as Seasons from "../catalogue/seasonal.service";
import { tenantTables } from "../db/schema/tenant";
import type { TenantScope } from "../tenancy/scope";
import { formatDateTime } from "../web/format";
import { type HoursMessages, hoursMessages } from "./i18n/hours";
import { AdminLayout, adminHtml, CsrfField } from "./layout";
import { SETTINGS_TABS_CSS, SettingsTabs } from "./settings-tabs";
import { type AdminContext, type AdminEnv, requirePageRole, sessionOf } from "./session";

export const hoursPages = new Hono<AdminEnv>();

/** The tenant's tables on the request's HTTP handle (the shell's context is an AdminEnv one). */
const tenantScope = (c: AdminContext): TenantScope => {
  const tenant = c.get("admin").tenant;
  return { tenant, t: tenantTables(tenant.schemaName), db: c.get("database").http };
};
const PATH = "/admin/settings/hours";

const CSS = `
.hours-grid{display:grid;gap:1rem}
.row{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end}
.row .field{flex:1 1 9rem;min-inline-size:0}
.week{display:grid;grid-template-columns:minmax(6rem,1fr) minmax(5rem,1fr) minmax(5rem,1fr);gap:.4rem .75rem;align-items:center}
.week input{inline-size:100%}
.list{list-style:none;margin:0;padding:0}
.list li{display:flex;flex-wrap:wrap;gap:.5rem;justify-content:space-between;align-items:center;padding:.5rem 0;border-block-end:1px solid var(--line,#ddd)}
.checks{display:flex;flex-wrap:wrap;gap:.5rem 1rem;border:0;padding:0;margin:0}
.checks legend{font-weight:600;margin-block-end:.25rem}
`;

type Form = Record<string, string | string[]>;
interface View {
  errors?: Record<string, string>;
  notice?: string;
  closureForm?: Form;
  seasonForm?: Form;
  affected?: Seasons.AffectedBooking[];
}

const str = (v: unknown) => (typeof v === "string" ? v : "");
const listOf = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" && v ? [v] : []);

/** zod issues → one message per form field, in the screen's words. */
function fieldErrors(issues: z.core.$ZodIssue[], w: HoursMessages): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const [head, index] = i.path;
    let key = String(head ?? "form");
    let message = w.badDate;
    if (key === "ends_on" && i.code === "custom") message = w.badRange;
    if (key === "staff_ids") message = w.pickStaff;
    if (key === "weekly") {
      key = `weekly.${typeof index === "number" ? index : 0}`;
      message = w.badHours;
    }
    out[key] ??= message;
  }
  return out;
}

/** "13:00–16:00" when every day has the same hours, else "Monday, Tuesday: 10:00–16:00; Friday: 14:00–17:00". */
function weeklySummary(weekly: { weekday: number; start: string; end: string }[], w: HoursMessages): string {
  const byDay = new Map<number, string[]>();
  for (const r of [...weekly].sort((a, b) => a.start.localeCompare(b.start))) {
    byDay.set(r.weekday, [...(byDay.get(r.weekday) ?? []), `${r.start}–${r.end}`]);
  }
  const groups = new Map<string, number[]>();
  for (const [day, ranges] of [...byDay].sort((a, b) => a[0] - b[0])) {
    const key = ranges.join(", ");
    groups.set(key, [...(groups.get(key) ?? []), day]);
  }
  if (groups.size === 1 && [...groups.values()][0]!.length === 7) return [...groups.keys()][0]!;
  return [...groups].map(([ranges, days]) => `${days.map((d) => w.weekdays[d - 1]).join(", ")}: ${ranges}`).join("; ");
}

function seasonBody(form: Form) {
  const weekly: { weekday: number; start: string; end: string }[] = [];
  for (let d = 1; d <= 7; d++) {
    const start = str(form[`start_${d}`]);
    const end = str(form[`end_${d}`]);
    if (start || end) weekly.push({ weekday: d, start, end });
  }
  return {
    label: str(form.label) || undefined,
    starts_on: str(form.starts_on),
    ends_on: str(form.ends_on),
    staff_ids: listOf(form.staff_ids),
    weekly,
  };
}

async function render(c: AdminContext, view: View = {}, status: 200 | 422 = 200) {
  const req = c.get("admin");
  const w = hoursMessages(req.lang);
  const s = tenantScope(c);
  const today = new Date().toISOString().slice(0, 10);
  const [closures, seasons, staff] = await Promise.all([
    Closures.listClosures(s, today),
    Seasons.listSeasons(s, today),
    Seasons.staffChoices(s),
  ]);
  const csrf = sessionOf(c).csrf;
  const err = view.errors ?? {};
  const cf = view.closureForm ?? {};
  const sf = view.seasonForm ?? {};
  const chosen = new Set(listOf(sf.staff_ids));
  const names = new Map(staff.map((p) => [p.id, p.name]));
  const zone = req.tenant.timeZone;
  const Err = ({ k, id }: { k: string; id: string }) =>
    err[k] ? (
      <p class="err" id={id}>
        {err[k]}
      </p>
    ) : null;
  const weeklyErr = Object.keys(err).find((k) => k.startsWith("weekly."));
  return adminHtml(
    c,
    <AdminLayout req={req} title={w.title} nav="settings" css={SETTINGS_TABS_CSS + CSS}>
      <SettingsTabs req={req} current="hours" />
      <div class="hours-grid">
        {view.notice ? (
          <p class="alert ok" role="status">
            {view.notice}
          </p>
        ) : null}
        {Object.keys(err).length ? (
          <p class="alert bad" role="alert">
            {w.fixErrors}
          </p>
        ) : null}
        <section class="card" aria-labelledby="closures-title">
          <h2 id="closures-title">{w.closures}</h2>
          <p class="hint">{w.closuresHint}</p>
          {closures.length ? (
            <ul class="list">
              {closures.map((x) => (
                <li>
                  <span>
                    <b>{x.label || "—"}</b> · <bdi>{x.starts_on}</bdi> → <bdi>{x.ends_on}</bdi>
                  </span>
                  <form method="post" action={`${PATH}/closures/${x.id}/delete`}>
                    <CsrfField token={csrf} />
                    <button class="btn ghost danger" type="submit" aria-label={`${w.remove} ${x.label || x.starts_on}`}>
                      {w.remove}
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          ) : (
            <p class="note">{w.noClosures}</p>
          )}
          <form method="post" action={`${PATH}/closures`} class="row" novalidate>
            <CsrfField token={csrf} />
            <div class="field">
              <label for="c-from">{w.from}</label>
              <input
                id="c-from"
                name="starts_on"
                type="date"
                required
                value={str(cf.starts_on)}
                aria-describedby={err["c.starts_on"] ? "c-from-err" : undefined}
              />
              <Err k="c.starts_on" id="c-from-err" />
            </div>
            <div class="field">
              <label for="c-to">{w.to}</label>
              <input
                id="c-to"
                name="ends_on"
                type="date"
                required
                value={str(cf.ends_on)}
                aria-describedby={err["c.ends_on"] ? "c-to-err" : undefined}
              />
              <Err k="c.ends_on" id="c-to-err" />
            </div>
            <div class="field">
              <label for="c-label">{w.label}</label>
              <input id="c-label" name="label" maxlength={120} value={str(cf.label)} />
            </div>
            <button class="btn" type="submit">
              {w.add}
            </button>
          </form>
        </section>

        <section class="card" aria-labelledby="seasons-title">
          <h2 id="seasons-title">{w.seasons}</h2>
          <p class="hint">{w.seasonsHint}</p>
          {seasons.length ? (
            <ul class="list">
              {seasons.map((x) => (
                <li>
                  <span>
                    <b>{x.label || "—"}</b> · <bdi>{x.starts_on}</bdi> → <bdi>{x.ends_on}</bdi> ·{" "}
                    {x.staff_ids.map((id) => names.get(id) ?? "?").join(", ")} · {weeklySummary(x.weekly, w)}
                  </span>
                  <form method="post" action={`${PATH}/seasons/${x.id}/delete`}>
                    <CsrfField token={csrf} />
                    <button class="btn ghost danger" type="submit" aria-label={`${w.remove} ${x.label || x.starts_on}`}>
                      {w.remove}
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          ) : (
            <p class="note">{w.noSeasons}</p>
          )}
          <form method="post" action={`${PATH}/seasons`} novalidate>
            <CsrfField token={csrf} />
            <div class="row">
              <div class="field">
                <label for="s-label">{w.label}</label>
                <input id="s-label" name="label" maxlength={120} value={str(sf.label)} />
              </div>
              <div class="field">
                <label for="s-from">{w.from}</label>
                <input
                  id="s-from"
                  name="starts_on"
                  type="date"
                  required
                  value={str(sf.starts_on)}
                  aria-describedby={err.starts_on ? "s-from-err" : undefined}
                />
                <Err k="starts_on" id="s-from-err" />
              </div>
              <div class="field">
                <label for="s-to">{w.to}</label>
                <input
                  id="s-to"
                  name="ends_on"
                  type="date"
                  required
                  value={str(sf.ends_on)}
                  aria-describedby={err.ends_on ? "s-to-err" : undefined}
                />
                <Err k="ends_on" id="s-to-err" />
              </div>
            </div>
            <fieldset class="checks" aria-describedby={err.staff_ids ? "s-staff-err" : undefined}>
              <legend>{w.staff}</legend>
              {staff.map((p) => (
                <label>
                  <input type="checkbox" name="staff_ids" value={p.id} checked={chosen.has(p.id)} /> {p.name}
                </label>
              ))}
            </fieldset>
            <Err k="staff_ids" id="s-staff-err" />
            <fieldset class="checks">
              <legend>{w.hours}</legend>
              <div class="week">
                {w.weekdays.map((day, i) => (
                  <>
                    <span id={`wd-${i + 1}`}>{day}</span>
                    <input name={`start_${i + 1}`} type="time" value={str(sf[`start_${i + 1}`])} aria-label={`${day} ${w.opens}`} />
                    <input name={`end_${i + 1}`} type="time" value={str(sf[`end_${i + 1}`])} aria-label={`${day} ${w.closes}`} />
                  </>
                ))}
              </div>
            </fieldset>
            {weeklyErr ? <p class="err">{err[weeklyErr]}</p> : null}
            <div class="row">
              <button class="btn ghost" type="submit" name="intent" value="preview">
                {w.preview}
              </button>
              <button class="btn" type="submit" name="intent" value="save">
                {w.save}
              </button>
            </div>
          </form>
          {view.affected ? (
            <section aria-labelledby="affected-title" aria-live="polite">
              <h3 id="affected-title">{w.affected}</h3>
              {view.affected.length ? (
                <ul class="list" id="affected">
                  {view.affected.map((b) => (
                    <li>
                      <span>
                        <bdi>{formatDateTime(req.lang, zone, Date.parse(b.starts_at))}</bdi> · {b.staff_name} · {b.service_name}
                        {b.customer_name ? ` · ${b.customer_name}` : ""}
                      </span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p class="note" id="affected">
                  {w.noneAffected}
                </p>
              )}
            </section>
          ) : null}
        </section>
      </div>
    </AdminLayout>,
    status,
  );
}

hoursPages.get("/settings/hours", requirePageRole("admin"), async (c) => {
  const w = hoursMessages(c.get("admin").lang);
  const done = c.req.query()["done"];
  return render(c, { notice: done === "saved" ? w.saved : done === "removed" ? w.removed : undefined });
});

hoursPages.post("/settings/hours/closures", requirePageRole("admin"), async (c) => {
  const form = (await c.req.parseBody()) as Form;
  const w = hoursMessages(c.get("admin").lang);
  const parsed = ClosureCreateSchema.safeParse({
    starts_on: str(form.starts_on),
    ends_on: str(form.ends_on),
    label: str(form.label) || undefined,
  });
  if (!parsed.success) {
    const errors = Object.fromEntries(Object.entries(fieldErrors(parsed.error.issues, w)).map(([k, v]) => [`c.${k}`, v]));
    return render(c, { errors, closureForm: form }, 422);
  }
  await Closures.createClosure(tenantScope(c), parsed.data);
  return c.redirect(`${PATH}?done=saved`, 303);
});

hoursPages.post("/settings/hours/closures/:id/delete", requirePageRole("admin"), async (c) => {
  await Closures.deleteClosure(tenantScope(c), c.req.param("id"));
  return c.redirect(`${PATH}?done=removed`, 303);
});

hoursPages.post("/settings/hours/seasons", requirePageRole("admin"), async (c) => {
  const form = (await c.req.parseBody({ all: true })) as Form;
  const w = hoursMessages(c.get("admin").lang);
  const parsed = SeasonWriteSchema.safeParse(seasonBody(form));
  if (!parsed.success) return render(c, { errors: fieldErrors(parsed.error.issues, w), seasonForm: form }, 422);
  const s = tenantScope(c);
  if (str(form.intent) === "preview") return render(c, { seasonForm: form, affected: await Seasons.previewSeason(s, parsed.data) });
  await Seasons.createSeason(s, parsed.data);
  return c.redirect(`${PATH}?done=saved`, 303);
});

hoursPages.post("/settings/hours/seasons/:id/delete", requirePageRole("admin"), async (c) => {
  await Seasons.deleteSeason(tenantScope(c), c.req.param("id"));
  return c.redirect(`${PATH}?done=removed`, 303);
});
