/**
 * The manage link's pages. The token (signed, versioned: see
 * bookings/manage-token.ts) grants one booking; the cut-offs of the tenant's
 * settings decide whether the customer may still cancel or move it online.
 */
import { isLocale } from "../domain/locales";
import type { Context } from "hono";
import { ms } from "../bookings/booking.model";
import { InvalidManageLink, managePath, manageUrl, signManageToken, verifyManageToken } from "../bookings/manage-token";
import { cancelByCustomer, isOpen, permissionsOf, rescheduleByCustomer } from "../bookings/manage.service";
import { optInPhone, optOutPhone } from "../notify/opt-outs";
import { iso, localDate } from "../bookings/time";
import { Conflict, InvalidInput, InvalidTransition, NotFound } from "../domain/errors";
import type { AppEnv } from "../http/types";
import { normaliseHost } from "../tenancy/naming";
import type { TenantContext } from "../domain/tenant";
import { loadStrip } from "./date-strip";
import { tenantOf } from "../tenancy/scope";
import { TimePage } from "./booking.pages";
import { html, langOf, originOf, pageContext } from "./context";
import { isDate } from "./form";
import { isSaneInstant } from "../http/dates";
import { formatDuration } from "./format";
import { messages, type Lang } from "./i18n";
import { bookingIcs } from "./ics";
import { CancelPage, ManagePage, type ManageView, RescheduleConfirmPage } from "./manage.pages";
import { loadManaged } from "./queries";

type Ctx = Context<AppEnv>;

/** The granted booking; a token that grants nothing throws InvalidManageLink or LinkExpired (error-page.tsx words them). */
async function managed(c: Ctx, tenant: TenantContext) {
  const token = c.req.param("token") ?? "";
  const grant = await verifyManageToken(c.get("config").JWT_SECRET, token, tenant.id);
  const db = c.get("database").http;
  const { booking, branding } = await loadManaged(db, tenant, grant);
  if (!booking) throw new InvalidManageLink();
  return { token, booking, branding, db };
}

function cutoffText(lang: Lang, minutes: number): string {
  return formatDuration(lang, minutes);
}

export async function managePage(c: Ctx) {
  const tenant = tenantOf(c);
  const lang = langOf(c, tenant.locale);
  const m = await managed(c, tenant);
  const q = c.req.query();
  const notice = q.booked ? "booked" : q.moved ? "moved" : q.cancelled ? "cancelled" : q.stopped ? "stopped" : q.resumed ? "resumed" : null;
  return manageView(c, tenant, lang, m, notice);
}

/**
 * A cancelled (or completed, no-show) booking stays readable through its link but
 * nothing can be done with it: every action answers this read-only page with 409.
 */
function refuseClosed(c: Ctx, tenant: TenantContext, lang: Lang, m: Awaited<ReturnType<typeof managed>>) {
  return manageView(c, tenant, lang, m, "closed", 409);
}

function manageView(
  c: Ctx,
  tenant: TenantContext,
  lang: Lang,
  { token, booking, branding }: Awaited<ReturnType<typeof managed>>,
  notice: ManageView["notice"],
  status: 200 | 409 = 200,
) {
  const may = permissionsOf(booking, Date.now());
  const ctx = pageContext(c, tenant, branding, { lang });
  return html(
    c,
    <ManagePage
      ctx={ctx}
      zone={tenant.timeZone}
      booking={booking}
      token={token}
      manageUrl={manageUrl(originOf(c), token)}
      notice={notice}
      canCancel={may.canCancel}
      canReschedule={may.canReschedule}
      cancelCutoff={cutoffText(lang, booking.cancellation_cutoff_min)}
      rescheduleCutoff={cutoffText(lang, booking.reschedule_cutoff_min)}
    />,
    status,
  );
}

export async function calendarFile(c: Ctx) {
  const tenant = tenantOf(c);
  const m = await managed(c, tenant);
  const { token, booking } = m;
  if (!isOpen(booking)) return refuseClosed(c, tenant, langOf(c, tenant.locale), m);
  const host = normaliseHost(c.req.header("host") ?? new URL(c.req.url).host);
  const body = bookingIcs(booking, { tenantName: tenant.name, domain: host, manageUrl: manageUrl(originOf(c), token) });
  return c.body(body, 200, {
    "content-type": "text/calendar; charset=utf-8",
    "content-disposition": `attachment; filename="booking-${booking.id.slice(0, 8)}.ics"`,
    "cache-control": "no-store",
  });
}

export async function cancelConfirmPage(c: Ctx) {
  const tenant = tenantOf(c);
  const lang = langOf(c, tenant.locale);
  const m = await managed(c, tenant);
  const { token, booking, branding } = m;
  if (!isOpen(booking)) return refuseClosed(c, tenant, lang, m);
  if (!permissionsOf(booking, Date.now()).canCancel) return c.redirect(`${managePath(token)}?lang=${lang}`, 303);
  const ctx = pageContext(c, tenant, branding, { lang });
  return html(c, <CancelPage ctx={ctx} zone={tenant.timeZone} booking={booking} token={token} />);
}

export async function cancelPost(c: Ctx) {
  const tenant = tenantOf(c);
  const body = await c.req.parseBody();
  const lang = langOf(c, tenant.locale);
  const l = isLocale(body.lang) ? body.lang : lang;
  const m = await managed(c, tenant);
  const { token, booking, db } = m;
  if (!isOpen(booking)) return refuseClosed(c, tenant, l as Lang, m);
  // Past the cut-off the manage page explains what to do instead.
  if (!permissionsOf(booking, Date.now()).canCancel) return c.redirect(`${managePath(token)}?lang=${l}`, 303);
  try {
    await cancelByCustomer(db, tenant, booking);
  } catch (error) {
    // Cancelled meanwhile (another tab): the page shows the current state either way.
    if (!(error instanceof InvalidTransition)) throw error;
  }
  return c.redirect(`${managePath(token)}?cancelled=1&lang=${l}`, 303);
}

async function reschedulePicker(
  c: Ctx,
  tenant: TenantContext,
  lang: Lang,
  m: Awaited<ReturnType<typeof managed>>,
  from: string | null,
  selectedDate: string | null,
  alert?: string,
) {
  const { token, booking, branding, db } = m;
  const strip = await loadStrip(db, tenant, {
    serviceId: booking.service_id,
    staffId: booking.staff_id,
    from,
    excludeBookingId: booking.id,
    now: Date.now(),
  });
  const ctx = pageContext(c, tenant, branding, {
    lang,
    switchUrl: `${managePath(token)}/reschedule${selectedDate ? `?date=${selectedDate}` : ""}`,
  });
  const base = `${managePath(token)}/reschedule`;
  const current = ms(booking.starts_at);
  const selected = selectedDate && strip.byDate.has(selectedDate) ? selectedDate : (strip.days.find((d) => d.open)?.date ?? null);
  const msgs = messages(lang);
  return (
    <TimePage
      ctx={ctx}
      zone={tenant.timeZone}
      step={0}
      title={msgs.rescheduleTitle}
      alert={alert}
      backHref={`${managePath(token)}?lang=${lang}`}
      summary={{
        name: booking.service_name,
        durationMin: booking.duration_min,
        priceMinor: booking.price_minor,
        currency: booking.currency,
        staffLabel: booking.staff_name,
        start: current,
        whenLabel: msgs.currentTime,
      }}
      picker={{
        days: strip.days,
        selected,
        times: selected ? (strip.byDate.get(selected) ?? []).filter((t) => t.start !== current) : [],
        dayHref: (date) => `${base}?from=${strip.from}&date=${date}&lang=${lang}`,
        earlierHref: strip.earlier ? `${base}?from=${strip.earlier}&lang=${lang}` : null,
        laterHref: strip.later ? `${base}?from=${strip.later}&lang=${lang}` : null,
        time: { kind: "link", href: (t) => `${base}/confirm?start=${encodeURIComponent(iso(t.start))}&lang=${lang}` },
      }}
    />
  );
}

export async function reschedulePage(c: Ctx) {
  const tenant = tenantOf(c);
  const lang = langOf(c, tenant.locale);
  const m = await managed(c, tenant);
  if (!isOpen(m.booking)) return refuseClosed(c, tenant, lang, m);
  if (!permissionsOf(m.booking, Date.now()).canReschedule) return c.redirect(`${managePath(m.token)}?lang=${lang}`, 303);
  const q = c.req.query();
  const from = isDate(q.from) ? q.from : isDate(q.date) ? q.date : null;
  return html(c, await reschedulePicker(c, tenant, lang, m, from, isDate(q.date) ? q.date : null));
}

export async function reschedulePost(c: Ctx) {
  const tenant = tenantOf(c);
  const body = await c.req.parseBody();
  const lang = isLocale(body.lang) ? body.lang : langOf(c, tenant.locale);
  const m = await managed(c, tenant);
  const { booking, db } = m;
  if (!isOpen(booking)) return refuseClosed(c, tenant, lang, m);
  if (!permissionsOf(booking, Date.now()).canReschedule) return c.redirect(`${managePath(m.token)}?lang=${lang}`, 303);
  const start = typeof body.start === "string" && isSaneInstant(body.start) ? Date.parse(body.start) : NaN;
  if (!Number.isFinite(start)) throw new NotFound("No such time.");
  let moved: Awaited<ReturnType<typeof rescheduleByCustomer>>;
  try {
    moved = await rescheduleByCustomer(db, tenant, booking, start);
  } catch (error) {
    // Taken meanwhile or no longer bookable: back to the picker.
    if (error instanceof Conflict || error instanceof InvalidInput) {
      const date = localDate(start, tenant.timeZone);
      return html(c, await reschedulePicker(c, tenant, lang, m, date, date, messages(lang).errors.slotGone), 409);
    }
    throw error;
  }
  const { token } = await signManageToken(c.get("config").JWT_SECRET, {
    tenantId: tenant.id,
    bookingId: moved.id,
    version: moved.manage_token_version,
    endsAtMs: ms(moved.ends_at),
  });
  return c.redirect(`${managePath(token)}?moved=1&lang=${lang}`, 303);
}

/** GET: the time picked in the reschedule picker, to be confirmed before anything moves. */
export async function rescheduleConfirmPage(c: Ctx) {
  const tenant = tenantOf(c);
  const lang = langOf(c, tenant.locale);
  const m = await managed(c, tenant);
  if (!isOpen(m.booking)) return refuseClosed(c, tenant, lang, m);
  if (!permissionsOf(m.booking, Date.now()).canReschedule) return c.redirect(`${managePath(m.token)}?lang=${lang}`, 303);
  const raw = c.req.query("start");
  const start = raw ? Date.parse(raw) : NaN;
  if (!Number.isFinite(start)) return c.redirect(`${managePath(m.token)}/reschedule?lang=${lang}`, 303);
  // Only a time the picker would offer now; a stale or forged one goes back to the picker.
  const date = localDate(start, tenant.timeZone);
  const strip = await loadStrip(m.db, tenant, {
    serviceId: m.booking.service_id,
    staffId: m.booking.staff_id,
    from: date,
    days: 1,
    excludeBookingId: m.booking.id,
    now: Date.now(),
  });
  const offered = (strip.byDate.get(date) ?? []).some((t) => t.start === start) && start !== ms(m.booking.starts_at);
  if (!offered) return html(c, await reschedulePicker(c, tenant, lang, m, date, date, messages(lang).errors.slotGone), 409);
  const ctx = pageContext(c, tenant, m.branding, { lang });
  return html(c, <RescheduleConfirmPage ctx={ctx} zone={tenant.timeZone} booking={m.booking} token={m.token} start={start} />);
}

/**
 * "Stop messages to this number" (issue 14: a STOP reply or a link). A POST
 * only: link previewers fetch the GETs of the short links in messages, and
 * must not opt anyone out. Works on any booking of the link, closed ones too
 * (the phone may have others); doing it twice changes nothing.
 */
export async function messagesStopPost(c: Ctx) {
  return messagesPost(c, "stop");
}

/** "Send me messages again": lifts an opt-out made through a link (a STOP reply stays). */
export async function messagesResumePost(c: Ctx) {
  return messagesPost(c, "resume");
}

async function messagesPost(c: Ctx, what: "stop" | "resume") {
  const tenant = tenantOf(c);
  const body = await c.req.parseBody();
  const lang = isLocale(body.lang) ? body.lang : langOf(c, tenant.locale);
  const { token, booking, db } = await managed(c, tenant);
  const phone = booking.contact_phone;
  if (!phone) return c.redirect(`${managePath(token)}?lang=${lang}`, 303);
  if (what === "stop") {
    await optOutPhone(db, tenant.schemaName, phone, "link");
    return c.redirect(`${managePath(token)}?stopped=1&lang=${lang}`, 303);
  }
  const resumed = await optInPhone(db, tenant.schemaName, phone);
  return c.redirect(`${managePath(token)}?${resumed ? "resumed=1&" : ""}lang=${lang}`, 303);
}
