/**
 * The manage link's pages. The token (signed, versioned: see
 * bookings/manage-token.ts) grants one booking; the cut-offs of the tenant's
 * settings decide whether the customer may still cancel or move it online.
 */
import { isLocale } from "../domain/locales";
import type { Context } from "hono";
import { ms } from "../bookings/booking.model";
import { rescheduleBooking, transitionBooking } from "../bookings/bookings.service";
import { signManageToken, verifyManageToken } from "../bookings/manage-token";
import { localDate } from "../bookings/time";
import { withinCutoff } from "../bookings/transitions";
import { ApiError } from "../http/problem";
import type { AppEnv } from "../http/types";
import { normaliseHost } from "../tenancy/naming";
import type { TenantContext } from "../tenancy/types";
import { loadStrip } from "./date-strip";
import { tenantOf } from "../tenancy/scope";
import { TimePage } from "./booking.pages";
import { html, langOf, originOf, pageContext } from "./context";
import { isDate } from "./form";
import { isSaneInstant } from "../http/dates";
import { formatDuration } from "./format";
import { messages, type Lang } from "./i18n";
import { bookingIcs } from "./ics";
import { CancelPage, ManagePage, RescheduleConfirmPage } from "./manage.pages";
import { loadManaged, type ManagedBooking } from "./queries";

type Ctx = Context<AppEnv>;

/** Thrown for any token that grants nothing here; rendered as the friendly "link not valid" page. */
export class ManageLinkError extends ApiError {
  constructor(readonly expired: boolean) {
    super("not_found", expired ? "This manage link has expired." : "This manage link is not valid for any booking here.");
  }
}

async function managed(c: Ctx, tenant: TenantContext) {
  const token = c.req.param("token") ?? "";
  let grant;
  try {
    grant = await verifyManageToken(c.get("config").JWT_SECRET, token, tenant.id);
  } catch (error) {
    if (error instanceof ApiError) throw new ManageLinkError(error.code === "unauthorized");
    throw error;
  }
  const client = await c.get("database").client();
  const { booking, branding } = await loadManaged(client, tenant, grant);
  if (!booking) throw new ManageLinkError(false);
  return { token, booking, branding, client };
}

const isOpen = (b: ManagedBooking) => b.status === "pending" || b.status === "confirmed";
const canCancel = (b: ManagedBooking, now: number) => isOpen(b) && withinCutoff(ms(b.starts_at), b.cancellation_cutoff_min, now);
const canReschedule = (b: ManagedBooking, now: number) => isOpen(b) && withinCutoff(ms(b.starts_at), b.reschedule_cutoff_min, now);

function cutoffText(lang: Lang, minutes: number): string {
  return formatDuration(lang, minutes);
}

export async function managePage(c: Ctx) {
  const tenant = tenantOf(c);
  const lang = langOf(c, tenant.locale);
  const m = await managed(c, tenant);
  const q = c.req.query();
  return manageView(c, tenant, lang, m, q.booked ? "booked" : q.moved ? "moved" : q.cancelled ? "cancelled" : null);
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
  notice: "booked" | "moved" | "cancelled" | "closed" | null,
  status: 200 | 409 = 200,
) {
  const now = Date.now();
  const ctx = pageContext(c, tenant, branding, { lang });
  return html(
    c,
    <ManagePage
      ctx={ctx}
      zone={tenant.timeZone}
      booking={booking}
      token={token}
      manageUrl={`${originOf(c)}/manage/${token}`}
      notice={notice}
      canCancel={canCancel(booking, now)}
      canReschedule={canReschedule(booking, now)}
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
  const body = bookingIcs(booking, { tenantName: tenant.name, domain: host, manageUrl: `${originOf(c)}/manage/${token}` });
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
  if (!canCancel(booking, Date.now())) return c.redirect(`/manage/${token}?lang=${lang}`, 303);
  const ctx = pageContext(c, tenant, branding, { lang });
  return html(c, <CancelPage ctx={ctx} zone={tenant.timeZone} booking={booking} token={token} />);
}

export async function cancelPost(c: Ctx) {
  const tenant = tenantOf(c);
  const body = await c.req.parseBody();
  const lang = langOf(c, tenant.locale);
  const l = isLocale(body.lang) ? body.lang : lang;
  const m = await managed(c, tenant);
  const { token, booking, client } = m;
  if (!isOpen(booking)) return refuseClosed(c, tenant, l as Lang, m);
  // Past the cut-off the manage page explains what to do instead.
  if (!canCancel(booking, Date.now())) return c.redirect(`/manage/${token}?lang=${l}`, 303);
  try {
    await transitionBooking(client, tenant, {
      id: booking.id,
      action: "cancel",
      reason: "Cancelled by the customer",
      actor: { type: "customer", id: null },
      onlyUserId: null,
      expectVersion: booking.manage_token_version,
    });
  } catch (error) {
    // Cancelled meanwhile (another tab): the page shows the current state either way.
    if (!(error instanceof ApiError && error.code === "conflict")) throw error;
  }
  return c.redirect(`/manage/${token}?cancelled=1&lang=${l}`, 303);
}

async function reschedulePicker(c: Ctx, tenant: TenantContext, lang: Lang, m: Awaited<ReturnType<typeof managed>>, from: string | null, selectedDate: string | null, alert?: string) {
  const { token, booking, branding, client } = m;
  const strip = await loadStrip(client, tenant, { serviceId: booking.service_id, staffId: booking.staff_id, from, excludeBookingId: booking.id, now: Date.now() });
  const ctx = pageContext(c, tenant, branding, { lang, switchUrl: `/manage/${token}/reschedule${selectedDate ? `?date=${selectedDate}` : ""}` });
  const base = `/manage/${token}/reschedule`;
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
      backHref={`/manage/${token}?lang=${lang}`}
      summary={{ name: booking.service_name, durationMin: booking.duration_min, priceMinor: booking.price_minor, currency: booking.currency, staffLabel: booking.staff_name, start: current, whenLabel: msgs.currentTime }}
      picker={{
        days: strip.days,
        selected,
        times: selected ? (strip.byDate.get(selected) ?? []).filter((t) => t.start !== current) : [],
        dayHref: (date) => `${base}?from=${strip.from}&date=${date}&lang=${lang}`,
        earlierHref: strip.earlier ? `${base}?from=${strip.earlier}&lang=${lang}` : null,
        laterHref: strip.later ? `${base}?from=${strip.later}&lang=${lang}` : null,
        time: { kind: "link", href: (t) => `${base}/confirm?start=${encodeURIComponent(new Date(t.start).toISOString())}&lang=${lang}` },
      }}
    />
  );
}

export async function reschedulePage(c: Ctx) {
  const tenant = tenantOf(c);
  const lang = langOf(c, tenant.locale);
  const m = await managed(c, tenant);
  if (!isOpen(m.booking)) return refuseClosed(c, tenant, lang, m);
  if (!canReschedule(m.booking, Date.now())) return c.redirect(`/manage/${m.token}?lang=${lang}`, 303);
  const q = c.req.query();
  const from = isDate(q.from) ? q.from : isDate(q.date) ? q.date : null;
  return html(c, await reschedulePicker(c, tenant, lang, m, from, isDate(q.date) ? q.date : null));
}

export async function reschedulePost(c: Ctx) {
  const tenant = tenantOf(c);
  const body = await c.req.parseBody();
  const lang = isLocale(body.lang) ? body.lang : langOf(c, tenant.locale);
  const m = await managed(c, tenant);
  const { booking, client } = m;
  if (!isOpen(booking)) return refuseClosed(c, tenant, lang, m);
  if (!canReschedule(booking, Date.now())) return c.redirect(`/manage/${m.token}?lang=${lang}`, 303);
  const start = typeof body.start === "string" && isSaneInstant(body.start) ? Date.parse(body.start) : NaN;
  if (!Number.isFinite(start)) throw new ApiError("not_found", "No such time.");
  let moved;
  try {
    moved = await rescheduleBooking(client, tenant, { booking, start, actor: { type: "customer", id: null }, onlyUserId: null });
  } catch (error) {
    if (error instanceof ApiError && (error.code === "conflict" || error.code === "validation_failed")) {
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
  return c.redirect(`/manage/${token}?moved=1&lang=${lang}`, 303);
}

/** GET: the time picked in the reschedule picker, to be confirmed before anything moves. */
export async function rescheduleConfirmPage(c: Ctx) {
  const tenant = tenantOf(c);
  const lang = langOf(c, tenant.locale);
  const m = await managed(c, tenant);
  if (!isOpen(m.booking)) return refuseClosed(c, tenant, lang, m);
  if (!canReschedule(m.booking, Date.now())) return c.redirect(`/manage/${m.token}?lang=${lang}`, 303);
  const raw = c.req.query("start");
  const start = raw ? Date.parse(raw) : NaN;
  if (!Number.isFinite(start)) return c.redirect(`/manage/${m.token}/reschedule?lang=${lang}`, 303);
  // Only a time the picker would offer now; a stale or forged one goes back to the picker.
  const date = localDate(start, tenant.timeZone);
  const strip = await loadStrip(m.client, tenant, { serviceId: m.booking.service_id, staffId: m.booking.staff_id, from: date, days: 1, excludeBookingId: m.booking.id, now: Date.now() });
  const offered = (strip.byDate.get(date) ?? []).some((t) => t.start === start) && start !== ms(m.booking.starts_at);
  if (!offered) return html(c, await reschedulePicker(c, tenant, lang, m, date, date, messages(lang).errors.slotGone), 409);
  const ctx = pageContext(c, tenant, m.branding, { lang });
  return html(c, <RescheduleConfirmPage ctx={ctx} zone={tenant.timeZone} booking={m.booking} token={m.token} start={start} />);
}
