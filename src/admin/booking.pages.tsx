/**
 * A booking at the front desk: customer and contact, service, staff, room,
 * price and amount due, notes; actions (confirm, check in, complete, no-show,
 * cancel with a reason, reschedule, resend the confirmation); payments
 * (deposit / payment / refund in cash, card or transfer) and the history.
 * Every write calls the same service functions as the API; a staff-role user
 * reaches only their own bookings (others read as not found, 404).
 *
 *   GET  /admin/bookings/:id
 *   POST /admin/bookings/:id/status        action=confirm|complete|no_show|cancel (+reason, +force for owner/admin)
 *   POST /admin/bookings/:id/check-in
 *   POST /admin/bookings/:id/resend
 *   POST /admin/bookings/:id/payments      kind, method, amount, reference
 *   GET  /admin/bookings/:id/reschedule?date=
 *   POST /admin/bookings/:id/reschedule    slot=<epoch ms>|<staff id>
 */
import { Hono } from "hono";
import { ownRecordsOnly, roleAtLeast } from "../auth/guards";
import { findBookingScoped, recordPayment, rescheduleBooking, transitionBooking } from "../bookings/bookings.service";
import { type BookingCard, bookingCard, checkIn, resendConfirmation } from "../bookings/frontdesk.service";
import { loadAvailabilityInput, slotsFor } from "../bookings/slot-input.service";
import { localDate } from "../bookings/time";
import { DomainError, Forbidden, NotFound, SlotTaken } from "../domain/errors";
import { ApiError } from "../http/problem";
import type { Lang } from "../web/i18n";
import {
  dateParam,
  dateTime,
  FRONTDESK_CSS,
  type FrontdeskMessages,
  frontdeskMessages,
  isUuid,
  longDate,
  money,
  parseAmount,
  StatusBadge,
  str,
  time,
} from "./frontdesk";
import { AdminLayout, adminHtml, CsrfField } from "./layout";
import { refusalText } from "./refusal-text";
import { type AdminContext, type AdminEnv, requirePageRole, sessionOf } from "./session";

export const bookingPages = new Hono<AdminEnv>();

const open = (b: BookingCard) => b.status === "pending" || b.status === "confirmed";

function idOf(c: AdminContext): string {
  const id = c.req.param("id");
  if (!isUuid(id)) throw new ApiError("not_found", "No booking with this id.");
  return id;
}

/** Domain "not found" → the 404 page (same answer for another staff member's booking as for none). */
async function cardOr404(c: AdminContext, id: string): Promise<BookingCard> {
  try {
    return await bookingCard(c.get("database").http, c.get("admin").tenant, id, ownRecordsOnly(c));
  } catch (error) {
    if (error instanceof NotFound) throw new ApiError("not_found", "No booking with this id.");
    throw error;
  }
}

function EventLine({ ev, m, lang, zone }: { ev: BookingCard["events"][number]; m: FrontdeskMessages; lang: Lang; zone: string }) {
  const after = ev.after ?? {};
  const extra =
    ev.action === "payment_recorded" && typeof after.amount_minor === "number"
      ? ` · ${m.kinds[after.kind as "payment"] ?? ""} ${money(lang, after.amount_minor, String(after.currency ?? "MAD"))} (${m.methods[after.method as "cash"] ?? ""})`
      : ev.action === "rescheduled" && typeof after.starts_at === "string"
        ? ` → ${dateTime(lang, zone, Date.parse(after.starts_at))}`
        : ev.action === "cancelled" && typeof after.cancel_reason === "string" && after.cancel_reason
          ? ` · ${after.cancel_reason}`
          : "";
  return (
    <li>
      <time datetime={new Date(ev.at).toISOString()}>{dateTime(lang, zone, ev.at)}</time> —{" "}
      <b>{m.booking.events[ev.action] ?? ev.action}</b>
      {extra} <span class="note">({m.booking.by[ev.actor_type] ?? ev.actor_type})</span>
    </li>
  );
}

async function renderBooking(
  c: AdminContext,
  b: BookingCard,
  notice?: { ok?: string; bad?: string; warn?: string[] },
  status: 200 | 409 | 422 = 200,
) {
  const req = c.get("admin");
  const { tenant, lang } = req;
  const zone = tenant.timeZone;
  const m = frontdeskMessages(lang);
  const csrf = sessionOf(c).csrf;
  const isAdmin = roleAtLeast(req.session!.role, "admin");
  const started = b.start <= Date.now();
  const customerName = b.customer?.name ?? b.contact.name ?? "—";
  const phone = b.contact.phone ?? b.customer?.phone ?? null;
  const email = b.contact.email ?? b.customer?.email ?? null;
  const action = (name: string, label: string, cls = "btn ghost", extra: unknown = null) => (
    <form method="post" action={`/admin/bookings/${b.id}/status`}>
      <CsrfField token={csrf} />
      <input type="hidden" name="action" value={name} />
      {extra}
      <button type="submit" class={cls}>
        {label}
      </button>
    </form>
  );
  return adminHtml(
    c,
    <AdminLayout
      req={req}
      title={`${m.booking.title} · ${customerName}`}
      nav="calendar"
      css={FRONTDESK_CSS}
      actions={
        <a class="btn ghost" href={`/admin/calendar?date=${localDate(b.start, zone)}`}>
          {m.booking.back}
        </a>
      }
    >
      {notice?.ok ? (
        <div class="alert ok" role="status">
          {notice.ok}
        </div>
      ) : null}
      {notice?.warn?.length ? (
        <div class="warn" role="note">
          {notice.warn.join(" ")}
        </div>
      ) : null}
      {notice?.bad ? (
        <div class="alert bad" role="alert">
          {notice.bad}
        </div>
      ) : null}
      <div class="grid2">
        <div class="stack">
          <section class="card" aria-labelledby="bk-main">
            <h2 id="bk-main">
              {longDate(lang, localDate(b.start, zone))} ·{" "}
              <span class="ltr">
                {time(lang, zone, b.start)}–{time(lang, zone, b.end)}
              </span>
            </h2>
            <p>
              <StatusBadge status={b.status} m={m} /> {b.checked_in && open(b) ? <span class="badge in">{m.checkedIn}</span> : null}
            </p>
            <dl class="kv">
              <dt>{m.booking.customer}</dt>
              <dd>{b.customer ? <a href={`/admin/customers/${b.customer.id}`}>{b.customer.name}</a> : customerName}</dd>
              <dt>{m.booking.contact}</dt>
              <dd>
                {phone ? (
                  <a class="ltr" href={`tel:${phone}`}>
                    {phone}
                  </a>
                ) : null}
                {phone && email ? " · " : null}
                {email ? (
                  <a class="ltr" href={`mailto:${email}`}>
                    {email}
                  </a>
                ) : null}
                {!phone && !email ? "—" : null}
              </dd>
              <dt>{m.booking.service}</dt>
              <dd>{b.service_name}</dd>
              <dt>{m.booking.staff}</dt>
              <dd>{b.staff_name}</dd>
              {b.resource_name ? (
                <>
                  <dt>{m.booking.resource}</dt>
                  <dd>{b.resource_name}</dd>
                </>
              ) : null}
              <dt>{m.booking.price}</dt>
              <dd>{money(lang, b.price_minor, b.currency)}</dd>
              <dt>{m.booking.paid}</dt>
              <dd>{money(lang, b.paid_minor - b.refunded_minor, b.currency)}</dd>
              <dt>{m.booking.due}</dt>
              <dd>
                <b>{money(lang, b.due_minor, b.currency)}</b>
              </dd>
              <dt>{m.booking.source}</dt>
              <dd>{m.booking.sources[b.source] ?? b.source}</dd>
              {b.notes ? (
                <>
                  <dt>{m.booking.notes}</dt>
                  <dd>{b.notes}</dd>
                </>
              ) : null}
              {b.customer?.notes ? (
                <>
                  <dt>{m.customers.notes}</dt>
                  <dd>{b.customer.notes}</dd>
                </>
              ) : null}
              {b.cancel_reason ? (
                <>
                  <dt>{m.booking.reason}</dt>
                  <dd>{b.cancel_reason}</dd>
                </>
              ) : null}
            </dl>
          </section>
          <section class="card" aria-labelledby="bk-actions">
            <h2 id="bk-actions">{m.booking.actions}</h2>
            {open(b) ? (
              <>
                <div class="acts">
                  {b.status === "pending" ? action("confirm", m.booking.confirm, "btn") : null}
                  {b.checked_in ? null : (
                    <form method="post" action={`/admin/bookings/${b.id}/check-in`}>
                      <CsrfField token={csrf} />
                      <button type="submit" class="btn">
                        {m.booking.checkIn}
                      </button>
                    </form>
                  )}
                  {b.status === "confirmed" && (started || isAdmin)
                    ? action("complete", m.booking.complete, "btn", started ? null : <input type="hidden" name="force" value="1" />)
                    : null}
                  {b.status === "confirmed" && (started || isAdmin)
                    ? action("no_show", m.booking.noShow, "btn ghost", started ? null : <input type="hidden" name="force" value="1" />)
                    : null}
                  <a class="btn ghost" href={`/admin/bookings/${b.id}/reschedule?date=${localDate(b.start, zone)}`}>
                    {m.booking.reschedule}
                  </a>
                  {email ? (
                    <form method="post" action={`/admin/bookings/${b.id}/resend`}>
                      <CsrfField token={csrf} />
                      <button type="submit" class="btn ghost">
                        {m.booking.resend}
                      </button>
                    </form>
                  ) : null}
                </div>
                {!started && isAdmin && b.status === "confirmed" ? <p class="hint">{m.booking.force}</p> : null}
                <details class="more">
                  <summary>{m.booking.cancel}</summary>
                  <form method="post" action={`/admin/bookings/${b.id}/status`}>
                    <CsrfField token={csrf} />
                    <input type="hidden" name="action" value="cancel" />
                    <div class="field">
                      <label for="bk-reason">{m.booking.reason}</label>
                      <textarea id="bk-reason" name="reason" rows={2} maxlength={500} />
                    </div>
                    <button type="submit" class="btn danger">
                      {m.booking.cancel}
                    </button>
                  </form>
                </details>
              </>
            ) : (
              <p class="note">{m.booking.closed}</p>
            )}
          </section>
        </div>
        <div class="stack">
          <section class="card" aria-labelledby="bk-pay">
            <h2 id="bk-pay">{m.booking.payments}</h2>
            {b.payments.length === 0 ? (
              <p class="note">{m.booking.noPayments}</p>
            ) : (
              <div class="tablewrap" tabindex={0}>
                <table class="t">
                  <thead>
                    <tr>
                      <th scope="col">{m.takings.when}</th>
                      <th scope="col">{m.booking.kind}</th>
                      <th scope="col">{m.booking.method}</th>
                      <th scope="col" class="num">
                        {m.booking.amount}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {b.payments.map((p) => (
                      <tr>
                        <td>{dateTime(lang, zone, p.at)}</td>
                        <td>
                          {m.kinds[p.kind]}
                          {p.reference ? <span class="note"> · {p.reference}</span> : null}
                        </td>
                        <td>{m.methods[p.method as "cash"] ?? p.method}</td>
                        <td class="num">{money(lang, p.kind === "refund" ? -p.amount_minor : p.amount_minor, p.currency)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <form method="post" action={`/admin/bookings/${b.id}/payments`}>
              <CsrfField token={csrf} />
              <div class="row">
                <div class="field">
                  <label for="pay-kind">{m.booking.kind}</label>
                  <select id="pay-kind" name="kind">
                    {(["payment", "deposit", "refund"] as const).map((k) => (
                      <option value={k}>{m.kinds[k]}</option>
                    ))}
                  </select>
                </div>
                <div class="field">
                  <label for="pay-method">{m.booking.method}</label>
                  <select id="pay-method" name="method">
                    {(["cash", "card", "transfer"] as const).map((k) => (
                      <option value={k}>{m.methods[k]}</option>
                    ))}
                  </select>
                </div>
                <div class="field">
                  <label for="pay-amount">
                    {m.booking.amount} ({b.currency})
                  </label>
                  <input
                    id="pay-amount"
                    name="amount"
                    inputmode="decimal"
                    dir="ltr"
                    required
                    value={b.due_minor > 0 ? (b.due_minor / 100).toFixed(b.due_minor % 100 ? 2 : 0) : ""}
                  />
                </div>
              </div>
              <div class="field">
                <label for="pay-ref">{m.booking.reference}</label>
                <input id="pay-ref" name="reference" maxlength={200} />
              </div>
              <button type="submit" class="btn">
                {m.booking.record}
              </button>
            </form>
          </section>
          <section class="card" aria-labelledby="bk-hist">
            <h2 id="bk-hist">{m.booking.history}</h2>
            <ol class="stack">
              {b.events.map((ev) => (
                <EventLine ev={ev} m={m} lang={lang} zone={zone} />
              ))}
            </ol>
          </section>
        </div>
      </div>
    </AdminLayout>,
    status,
  );
}

const WARNINGS = ["in_the_past", "outside_working_hours", "during_time_off"] as const;

bookingPages.get("/bookings/:id", requirePageRole("staff"), async (c) => {
  const b = await cardOr404(c, idOf(c));
  const m = frontdeskMessages(c.get("admin").lang);
  const warn = (c.req.query("warn") ?? "")
    .split(",")
    .filter((w): w is (typeof WARNINGS)[number] => (WARNINGS as readonly string[]).includes(w))
    .map((w) => m.book.warnings[w]);
  const ok = c.req.query("created") ? m.book.created : c.req.query("done") ? m.booking.done : undefined;
  return renderBooking(c, b, { ok, warn });
});

/** A refused write re-renders the booking with the reason (409/422); "not found" is the 404 page. */
async function orExplain(c: AdminContext, id: string, write: () => Promise<unknown>) {
  try {
    await write();
  } catch (error) {
    if (error instanceof NotFound) throw new ApiError("not_found", "No booking with this id.");
    if (error instanceof DomainError && !(error instanceof Forbidden)) {
      const status = error.constructor.name === "InvalidInput" ? 422 : 409;
      return renderBooking(c, await cardOr404(c, id), { bad: refusalText(c.get("admin").lang, error) }, status);
    }
    throw error;
  }
  return c.redirect(`/admin/bookings/${id}?done=1`, 303);
}

bookingPages.post("/bookings/:id/status", requirePageRole("staff"), async (c) => {
  const id = idOf(c);
  const form = (await c.req.parseBody()) as Record<string, unknown>;
  const action = str(form.action);
  if (action !== "confirm" && action !== "complete" && action !== "no_show" && action !== "cancel") {
    throw new ApiError("validation_failed", "Unknown action.");
  }
  const force = str(form.force) === "1";
  // Recording an outcome before the start is for owners and admins (as in the API).
  if (force && !roleAtLeast(sessionOf(c).role, "admin"))
    throw new Forbidden("Only an owner or admin may record an outcome before the start.");
  return orExplain(c, id, () =>
    transitionBooking(c.get("database").http, c.get("admin").tenant, {
      id,
      action,
      reason: action === "cancel" ? str(form.reason).slice(0, 500) || null : null,
      force,
      actor: { type: "user", id: sessionOf(c).userId },
      onlyUserId: ownRecordsOnly(c),
    }),
  );
});

bookingPages.post("/bookings/:id/check-in", requirePageRole("staff"), async (c) => {
  const id = idOf(c);
  return orExplain(c, id, () =>
    checkIn(c.get("database").http, c.get("admin").tenant, id, { userId: sessionOf(c).userId, onlyUserId: ownRecordsOnly(c) }),
  );
});

bookingPages.post("/bookings/:id/resend", requirePageRole("staff"), async (c) => {
  const id = idOf(c);
  const m = frontdeskMessages(c.get("admin").lang);
  const result = await resendConfirmation(c.get("database").http, c.get("admin").tenant, id, {
    userId: sessionOf(c).userId,
    onlyUserId: ownRecordsOnly(c),
  }).catch((error) => {
    if (error instanceof NotFound) throw new ApiError("not_found", "No booking with this id.");
    throw error;
  });
  if (!result.sent) return renderBooking(c, await cardOr404(c, id), { bad: m.booking.noEmail }, 409);
  return c.redirect(`/admin/bookings/${id}?done=1`, 303);
});

bookingPages.post("/bookings/:id/payments", requirePageRole("staff"), async (c) => {
  const id = idOf(c);
  const m = frontdeskMessages(c.get("admin").lang);
  const form = (await c.req.parseBody()) as Record<string, unknown>;
  const kind = str(form.kind);
  const method = str(form.method);
  const amount = parseAmount(form.amount);
  if (!["deposit", "payment", "refund"].includes(kind) || !["cash", "card", "transfer"].includes(method) || amount === null) {
    return renderBooking(c, await cardOr404(c, id), { bad: m.booking.badAmount }, 422);
  }
  return orExplain(c, id, () =>
    recordPayment(c.get("database").http, c.get("admin").tenant, {
      bookingId: id,
      payment: {
        kind: kind as "payment",
        method: method as "cash",
        amountMinor: amount,
        reference: str(form.reference).slice(0, 200) || null,
      },
      userId: sessionOf(c).userId,
      onlyUserId: ownRecordsOnly(c),
    }),
  );
});

// ---------------------------------------------------------------- reschedule

async function renderReschedule(c: AdminContext, id: string, date: string, bad?: string, status: 200 | 409 = 200) {
  const req = c.get("admin");
  const { tenant, lang } = req;
  const m = frontdeskMessages(lang);
  const b = await cardOr404(c, id);
  const db = c.get("database").http;
  const input = await loadAvailabilityInput(db, tenant, {
    serviceId: b.service_id,
    staffId: b.staff_id,
    from: date,
    to: date,
    excludeBookingId: b.id,
  });
  const slots = slotsFor(tenant, input, { from: date, to: date, now: Date.now(), ignoreMinNotice: true, anyStaff: false });
  return adminHtml(
    c,
    <AdminLayout
      req={req}
      title={`${m.booking.reschedule} · ${b.customer?.name ?? b.contact.name ?? ""}`}
      nav="calendar"
      css={FRONTDESK_CSS}
    >
      {bad ? (
        <div class="alert bad" role="alert">
          {bad}
        </div>
      ) : null}
      <p>
        {b.service_name} · {b.staff_name} · {longDate(lang, localDate(b.start, tenant.timeZone))} {time(lang, tenant.timeZone, b.start)}
      </p>
      <form method="get" class="bar" action={`/admin/bookings/${b.id}/reschedule`}>
        <label for="rs-date">{m.book.date}</label>
        <input type="date" id="rs-date" name="date" value={date} required />
        <button type="submit" class="btn ghost">
          {m.book.show}
        </button>
      </form>
      <form method="post" action={`/admin/bookings/${b.id}/reschedule`} class="card">
        <CsrfField token={sessionOf(c).csrf} />
        <fieldset>
          <legend>
            {m.booking.moveTo} · {longDate(lang, date)}
          </legend>
          {slots.length === 0 ? (
            <p class="note">{m.book.noSlots}</p>
          ) : (
            <div class="slots">
              {slots.map((s) => (
                <label>
                  <input type="radio" name="slot" value={String(s.start)} required />
                  <span>{time(lang, tenant.timeZone, s.start)}</span>
                </label>
              ))}
            </div>
          )}
        </fieldset>
        <button type="submit" class="btn" disabled={slots.length === 0}>
          {m.booking.reschedule}
        </button>
        <a class="btn ghost" href={`/admin/bookings/${b.id}`}>
          {m.booking.title}
        </a>
      </form>
    </AdminLayout>,
    status,
  );
}

bookingPages.get("/bookings/:id/reschedule", requirePageRole("staff"), async (c) => {
  const id = idOf(c);
  const date = dateParam(c, "date") ?? localDate(Date.now(), c.get("admin").tenant.timeZone);
  return renderReschedule(c, id, date);
});

bookingPages.post("/bookings/:id/reschedule", requirePageRole("staff"), async (c) => {
  const id = idOf(c);
  const { tenant, lang } = c.get("admin");
  const m = frontdeskMessages(lang);
  const form = (await c.req.parseBody()) as Record<string, unknown>;
  const start = Number(str(form.slot));
  if (!Number.isSafeInteger(start) || start <= 0)
    return renderReschedule(c, id, localDate(Date.now(), tenant.timeZone), m.book.chooseTime, 409);
  const db = c.get("database").http;
  const onlyUserId = ownRecordsOnly(c);
  try {
    const current = await findBookingScoped(db, tenant, id, onlyUserId);
    await rescheduleBooking(db, tenant, {
      booking: current,
      start,
      actor: { type: "user", id: sessionOf(c).userId },
      onlyUserId,
      ignoreMinNotice: true,
    });
  } catch (error) {
    if (error instanceof NotFound) throw new ApiError("not_found", "No booking with this id.");
    if (error instanceof SlotTaken) return renderReschedule(c, id, localDate(start, tenant.timeZone), m.book.conflict, 409);
    if (error instanceof DomainError && !(error instanceof Forbidden))
      return renderReschedule(c, id, localDate(start, tenant.timeZone), refusalText(c.get("admin").lang, error), 409);
    throw error;
  }
  return c.redirect(`/admin/bookings/${id}?done=1`, 303);
});
