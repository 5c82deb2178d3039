/** Booking steps: GET navigation between steps (plain links, works without JS), POST to book. */
import type { Context } from "hono";
import { limitBookingsPerAddress } from "../bookings/address-limit";
import { createBooking, IdempotencyKeyReused } from "../bookings/create-booking.service";
import { StartNotBookable } from "../bookings/slot-check.service";
import { Conflict, InvalidInput, NotFound } from "../domain/errors";
import { ms } from "../bookings/booking.model";
import { managePath, signManageToken } from "../bookings/manage-token";
import { iso, localDate } from "../bookings/time";
import type { AppEnv } from "../http/types";
import type { TenantContext } from "../domain/tenant";
import { nextTimes, stripStatement, type Strip } from "./date-strip";
import { ConflictPage, DetailsPage, ServicesPage, StaffPage, TimePage, type ServiceSummary } from "./booking.pages";
import { html, langOf, pageContext } from "./context";
import { checkBookingForm, engineFieldErrors, isDate, isUuid, readBookingForm, type BookingForm, type FieldErrors } from "./form";
import { isLang, messages, type Lang } from "./i18n";
import { loadCatalogue, withBranding } from "./queries";
import type { Branding } from "./branding";
import { tenantOf } from "../tenancy/scope";
import { phoneCountryOf } from "../domain/country";
import { isSaneInstant } from "../http/dates";

type Ctx = Context<AppEnv>;

const notFound = () => new NotFound("No such page.");

/** `/?…` with the given step parameters (empty ones dropped) and the language. */
export function stepHref(params: Record<string, string | null | undefined>, lang: Lang): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  q.set("lang", lang);
  return `/?${q.toString()}`;
}

function summaryOf(strip: Strip, staff: string, lang: Lang, start?: number): ServiceSummary {
  const s = strip.input.service!;
  const staffLabel = staff === "any" ? messages(lang).anyone : strip.input.staff.find((f) => f.staffId === staff)?.name;
  return { name: s.name, durationMin: s.durationMin, priceMinor: s.priceMinor, currency: s.currency, staffLabel, start };
}

/** The strip for a service and staff choice, or a 404 when either is not bookable here. */
async function stripFor(c: Ctx, tenant: TenantContext, service: string, staff: string, from: string | null) {
  if (!isUuid(service) || (staff !== "any" && !isUuid(staff))) throw notFound();
  // One statement: the availability load (plus the branding when it is not cached).
  const { value: strip, branding } = await withBranding(
    c.get("database").http,
    tenant,
    stripStatement(tenant, { serviceId: service, staffId: staff === "any" ? null : staff, from, now: Date.now() }),
  );
  const svc = strip.input.service;
  if (!svc?.isActive) throw notFound();
  if (staff !== "any" && !strip.input.staff.some((f) => f.staffId === staff)) throw notFound();
  return { strip, branding };
}

export async function bookingPage(c: Ctx) {
  const tenant = tenantOf(c);
  const q = c.req.query();
  const lang = langOf(c, tenant.locale);
  if (q.service && q.staff && q.start) return detailsStep(c, tenant, lang, q);
  if (q.service && q.staff) return timeStep(c, tenant, lang, q);

  const { branding, services } = await loadCatalogue(c.get("database").http, tenant);
  const ctx = pageContext(c, tenant, branding, { lang });
  if (!q.service) {
    return html(c, <ServicesPage ctx={ctx} services={services} href={(s) => stepHref({ service: s.id }, lang)} />);
  }
  const service = services.find((s) => s.id === q.service);
  if (!service) throw notFound();
  return html(
    c,
    <StaffPage
      ctx={ctx}
      service={service}
      zone={tenant.timeZone}
      backHref={stepHref({}, lang)}
      anyHref={stepHref({ service: service.id, staff: "any" }, lang)}
      staffHref={(id) => stepHref({ service: service.id, staff: id }, lang)}
    />,
  );
}

function timePage(c: Ctx, tenant: TenantContext, lang: Lang, strip: Strip, branding: Branding, q: Record<string, string>, alert?: string) {
  const ctx = pageContext(c, tenant, branding, { lang });
  const base = { service: q.service, staff: q.staff };
  const selected = isDate(q.date) && strip.byDate.has(q.date) ? q.date : (strip.days.find((d) => d.open)?.date ?? null);
  return (
    <TimePage
      ctx={ctx}
      zone={tenant.timeZone}
      summary={summaryOf(strip, q.staff, lang)}
      backHref={stepHref({ service: q.service }, lang)}
      alert={alert}
      picker={{
        days: strip.days,
        selected,
        times: selected ? (strip.byDate.get(selected) ?? []) : [],
        dayHref: (date) => stepHref({ ...base, from: strip.from, date }, lang),
        earlierHref: strip.earlier ? stepHref({ ...base, from: strip.earlier }, lang) : null,
        laterHref: strip.later ? stepHref({ ...base, from: strip.later }, lang) : null,
        time: { kind: "link", href: (t) => stepHref({ ...base, start: iso(t.start) }, lang) },
      }}
    />
  );
}

async function timeStep(c: Ctx, tenant: TenantContext, lang: Lang, q: Record<string, string>) {
  const from = isDate(q.from) ? q.from : isDate(q.date) ? q.date : null;
  const { strip, branding } = await stripFor(c, tenant, q.service, q.staff, from);
  return html(c, timePage(c, tenant, lang, strip, branding, q));
}

async function detailsStep(c: Ctx, tenant: TenantContext, lang: Lang, q: Record<string, string>) {
  const start = Date.parse(q.start);
  if (!isSaneInstant(q.start ?? "")) throw notFound();
  const date = localDate(start, tenant.timeZone);
  const { strip, branding } = await stripFor(c, tenant, q.service, q.staff, date);
  const offered = (strip.byDate.get(date) ?? []).some((t) => t.start === start);
  if (!offered) {
    // Taken or past since the times were shown: back to the times, saying so.
    return html(c, timePage(c, tenant, lang, strip, branding, { ...q, date }, messages(lang).errors.slotGone));
  }
  const form: BookingForm = {
    service: q.service,
    staff: q.staff,
    start: iso(start),
    key: crypto.randomUUID(),
    name: "",
    email: "",
    phone: "",
    notes: "",
  };
  const ctx = pageContext(c, tenant, branding, { lang });
  return html(
    c,
    <DetailsPage
      ctx={ctx}
      zone={tenant.timeZone}
      summary={summaryOf(strip, q.staff, lang, start)}
      form={form}
      errors={{}}
      backHref={stepHref({ service: q.service, staff: q.staff, date }, lang)}
    />,
  );
}

export async function bookPost(c: Ctx) {
  const tenant = tenantOf(c);
  const body = await c.req.parseBody();
  const lang = isLang(body.lang) ? body.lang : langOf(c, tenant.locale);
  const m = messages(lang);
  const form = readBookingForm(body);
  const start = Date.parse(form.start);
  if (!isUuid(form.service) || (form.staff !== "any" && !isUuid(form.staff)) || !isSaneInstant(form.start)) throw notFound();
  if (!isUuid(form.key)) form.key = crypto.randomUUID();
  const date = localDate(start, tenant.timeZone);
  const detailsUrl = stepHref({ service: form.service, staff: form.staff, start: form.start }, lang);

  const rerender = async (errors: FieldErrors) => {
    const { strip, branding } = await stripFor(c, tenant, form.service, form.staff, date);
    const ctx = pageContext(c, tenant, branding, { lang, switchUrl: detailsUrl });
    return html(
      c,
      <DetailsPage
        ctx={ctx}
        zone={tenant.timeZone}
        summary={summaryOf(strip, form.staff, lang, start)}
        form={form}
        errors={errors}
        backHref={stepHref({ service: form.service, staff: form.staff, date }, lang)}
      />,
      422,
    );
  };
  const conflictPage = async (title: string, text: string) => {
    const { strip, branding } = await stripFor(c, tenant, form.service, form.staff, date);
    const ctx = pageContext(c, tenant, branding, { lang, switchUrl: stepHref({ service: form.service, staff: form.staff, date }, lang) });
    return html(
      c,
      <ConflictPage
        ctx={ctx}
        zone={tenant.timeZone}
        summary={summaryOf(strip, form.staff, lang)}
        form={form}
        newKey={crypto.randomUUID()}
        alternatives={nextTimes(strip, start)}
        allTimesHref={stepHref({ service: form.service, staff: form.staff, from: date }, lang)}
        title={title}
        text={text}
      />,
      409,
    );
  };

  const errors = checkBookingForm(form, m, phoneCountryOf(tenant));
  if (Object.keys(errors).length) return rerender(errors);
  // Rendered by the page error handler: a friendly 429 page with Retry-After.
  await limitBookingsPerAddress(c);

  let booking: Awaited<ReturnType<typeof createBooking>>["booking"];
  try {
    ({ booking } = await createBooking(c.get("database").http, tenant, {
      serviceId: form.service,
      staffId: form.staff === "any" ? null : form.staff,
      start,
      customer: { name: form.name.trim(), email: form.email.trim() || null, phone: form.phone.trim() || null, locale: lang },
      notes: form.notes.trim(),
      source: "public",
      idempotencyKey: `web:${form.key}`,
      actor: { type: "customer", id: null },
    }));
  } catch (thrown) {
    // Taken meanwhile (SlotTaken, or the earlier booking of this form is gone).
    if (thrown instanceof Conflict) return conflictPage(m.conflictTitle, m.conflictText);
    if (thrown instanceof StartNotBookable) return conflictPage(m.errors.slotGone, m.errors.slotGone);
    if (thrown instanceof IdempotencyKeyReused) {
      // The same form was sent again with other details after it had booked: a new request.
      form.key = crypto.randomUUID();
      return rerender({});
    }
    if (thrown instanceof InvalidInput) {
      const mapped = engineFieldErrors(thrown.fields, m);
      if (mapped) return rerender(mapped);
      throw notFound();
    }
    throw thrown;
  }
  const { token } = await signManageToken(c.get("config").JWT_SECRET, {
    tenantId: tenant.id,
    bookingId: booking.id,
    version: booking.manage_token_version,
    endsAtMs: ms(booking.ends_at),
  });
  return c.redirect(`${managePath(token)}?booked=1&lang=${lang}`, 303);
}
