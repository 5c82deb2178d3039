/** The manage-link pages: the booking, cancel and reschedule (each with a confirmation step). */
import { ms } from "../bookings/booking.model";
import { managePath } from "../bookings/manage-token";
import { iso } from "../bookings/time";
import { formatDateTime, formatDuration, formatPrice } from "./format";
import { Layout, Steps, type PageContext } from "./layout";
import { ltr } from "./i18n/bidi";
import type { ManagedBooking } from "../bookings/manage.service";

export interface ManageView {
  ctx: PageContext;
  zone: string;
  booking: ManagedBooking;
  token: string;
  manageUrl: string;
  notice: "booked" | "moved" | "cancelled" | "closed" | "stopped" | "resumed" | null;
  canCancel: boolean;
  canReschedule: boolean;
  /** Human text of the cut-offs, e.g. "2 heures". */
  cancelCutoff: string;
  rescheduleCutoff: string;
}

/** The booking's facts; `children` adds rows to the same list, so they line up with these. */
export function BookingDetails({
  ctx,
  zone,
  booking,
  children,
}: {
  ctx: PageContext;
  zone: string;
  booking: ManagedBooking;
  children?: unknown;
}) {
  const { m, lang } = ctx;
  const start = ms(booking.starts_at);
  return (
    <dl class="summary">
      <dt>{m.steps.service}</dt>
      <dd>{booking.service_name}</dd>
      <dt>{m.with}</dt>
      <dd>{booking.staff_name}</dd>
      <dt>{m.when}</dt>
      <dd>
        <span data-ms={String(start)}>{formatDateTime(lang, zone, start)}</span>
      </dd>
      <dt>{m.duration}</dt>
      <dd>{formatDuration(lang, booking.duration_min)}</dd>
      <dt>{m.price}</dt>
      <dd>{formatPrice(lang, booking.price_minor, booking.currency)}</dd>
      <dt>{m.customer}</dt>
      <dd>{booking.customer_name}</dd>
      <dt>{m.statusLabel}</dt>
      <dd>
        <span class={`badge ${booking.status}`}>{m.status[booking.status]}</span>
      </dd>
      <dt>{m.reference}</dt>
      <dd>
        <code>{booking.id.slice(0, 8).toUpperCase()}</code>
      </dd>
      {children}
    </dl>
  );
}

export function ManagePage(v: ManageView) {
  const { ctx, booking } = v;
  const { m } = ctx;
  const open = booking.status === "pending" || booking.status === "confirmed";
  const base = managePath(v.token);
  const phone = ctx.branding.contactPhone ? ` (${ltr(ctx.branding.contactPhone)})` : "";
  const title = v.notice === "booked" ? m.confirmedTitle : m.manageTitle;
  return (
    <Layout ctx={ctx} title={title}>
      {v.notice === "booked" ? <Steps m={m} current={5} /> : null}
      <h1>{title}</h1>
      {v.notice === "booked" ? (
        <p class="alert ok" role="status">
          {m.confirmedText(booking.customer_email ?? "")}
        </p>
      ) : null}
      {v.notice === "moved" ? (
        <p class="alert ok" role="status">
          {m.rescheduledNotice}
        </p>
      ) : null}
      {v.notice === "cancelled" ? (
        <p class="alert ok" role="status">
          {m.cancelledNotice}
        </p>
      ) : null}
      <section class="card">
        <BookingDetails ctx={ctx} zone={v.zone} booking={booking} />
        {open ? (
          <div class="actions">
            <a class="btn ghost" href={`${base}/calendar.ics`} download="rendez-vous.ics">
              {m.addToCalendar}
            </a>
          </div>
        ) : null}
      </section>
      {open ? (
        <section class="card" aria-labelledby="link-h">
          <h2 id="link-h" class="flush">
            {m.manageLink}
          </h2>
          <p class="note">{m.manageHint}</p>
          <p class="link" dir="ltr">
            <a href={v.manageUrl} id="manage-link">
              {v.manageUrl}
            </a>
          </p>
        </section>
      ) : null}
      {open ? (
        <div class="actions">
          {v.canReschedule ? (
            <a class="btn" href={`${base}/reschedule?lang=${ctx.lang}`}>
              {m.reschedule}
            </a>
          ) : null}
          {v.canCancel ? (
            <a class="btn ghost" href={`${base}/cancel?lang=${ctx.lang}`}>
              {m.cancel}
            </a>
          ) : null}
        </div>
      ) : null}
      {open && !v.canReschedule ? <p class="alert info">{m.tooLateReschedule(v.rescheduleCutoff, phone)}</p> : null}
      {open && !v.canCancel ? <p class="alert info">{m.tooLateCancel(v.cancelCutoff, phone)}</p> : null}
      {v.notice === "closed" ? (
        <p class="alert bad" role="alert">
          {m.closed}
        </p>
      ) : !open && v.notice !== "cancelled" ? (
        <p class="alert info">{m.closed}</p>
      ) : null}
      <PhoneMessages ctx={ctx} booking={booking} token={v.token} notice={v.notice} />
      <p>
        <a href={`/?lang=${ctx.lang}`}>{m.bookAnother}</a>
      </p>
    </Layout>
  );
}

/** Whether the booking's phone gets WhatsApp/SMS, with the button to stop them (or to have them again after a link opt-out). */
function PhoneMessages({
  ctx,
  booking,
  token,
  notice,
}: {
  ctx: PageContext;
  booking: ManagedBooking;
  token: string;
  notice: ManageView["notice"];
}) {
  const w = ctx.m.messages;
  if (!booking.contact_phone) return null;
  const phone = ltr(booking.contact_phone);
  const form = (action: "stop" | "resume", label: string, kind: string) => (
    <form method="post" action={`${managePath(token)}/messages/${action}`} class="actions">
      <input type="hidden" name="lang" value={ctx.lang} />
      <button class={`btn ${kind}`} type="submit" id={`messages-${action}`}>
        {label}
      </button>
    </form>
  );
  return (
    <section class="card" aria-labelledby="messages-h">
      <h2 id="messages-h" class="flush">
        {w.title}
      </h2>
      {notice === "resumed" ? (
        <p class="alert ok" role="status">
          {w.resumed}
        </p>
      ) : null}
      {booking.phone_opt_out === null ? (
        <>
          <p class="note">{w.on(phone)}</p>
          {form("stop", w.stop, "ghost")}
        </>
      ) : booking.phone_opt_out === "link" ? (
        <>
          <p class={notice === "stopped" ? "alert ok" : "note"} role={notice === "stopped" ? "status" : undefined}>
            {w.stopped(phone)}
          </p>
          {form("resume", w.resume, "ghost")}
        </>
      ) : (
        <p class="note">{w.stoppedByReply(phone)}</p>
      )}
    </section>
  );
}

export function CancelPage({ ctx, zone, booking, token }: { ctx: PageContext; zone: string; booking: ManagedBooking; token: string }) {
  const { m } = ctx;
  return (
    <Layout ctx={ctx} title={m.cancel}>
      <h1>{m.cancelQuestion}</h1>
      <section class="card">
        <BookingDetails ctx={ctx} zone={zone} booking={booking} />
      </section>
      <form method="post" action={`${managePath(token)}/cancel`} class="actions">
        <input type="hidden" name="lang" value={ctx.lang} />
        <button class="btn danger" type="submit">
          {m.cancelYes}
        </button>
        <a class="btn ghost" href={`${managePath(token)}?lang=${ctx.lang}`}>
          {m.cancelNo}
        </a>
      </form>
    </Layout>
  );
}

/** The chosen new time, asked once more before the booking moves (like cancelling). */
export function RescheduleConfirmPage({
  ctx,
  zone,
  booking,
  token,
  start,
}: {
  ctx: PageContext;
  zone: string;
  booking: ManagedBooking;
  token: string;
  start: number;
}) {
  const { m, lang } = ctx;
  return (
    <Layout ctx={ctx} title={m.reschedule}>
      <h1>{m.rescheduleQuestion}</h1>
      <section class="card">
        <BookingDetails ctx={ctx} zone={zone} booking={booking}>
          <dt>{m.newTime}</dt>
          <dd>
            <strong data-ms={String(start)} id="new-time">
              {formatDateTime(lang, zone, start)}
            </strong>
          </dd>
        </BookingDetails>
      </section>
      <form method="post" action={`${managePath(token)}/reschedule`} class="actions">
        <input type="hidden" name="lang" value={lang} />
        <input type="hidden" name="start" value={iso(start)} />
        <button class="btn" type="submit">
          {m.rescheduleYes}
        </button>
        <a class="btn ghost" href={`${managePath(token)}?lang=${lang}`}>
          {m.rescheduleNo}
        </a>
      </form>
    </Layout>
  );
}
