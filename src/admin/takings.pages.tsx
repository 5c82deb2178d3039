/**
 * Takings at the front desk: a day or period (default today) — net takings,
 * payments by method and by staff member, bookings by status, no-show rate —
 * the period's payments, and CSV downloads (the API's report and export,
 * served here under the session). A staff-role user sees their own calendar's.
 *
 *   GET /admin/takings?from=&to=&staff=
 *   GET /admin/takings/report.csv?from=&to=&staff=
 *   GET /admin/takings/payments.csv?from=&to=&staff=
 */
import { Hono } from "hono";
import { ownRecordsOnly } from "../auth/guards";
import { bookingFormChoices } from "../bookings/frontdesk.service";
import { BOOKING_STATUSES } from "../db/schema/tenant";
import { InvalidInput } from "../domain/errors";
import { exportPayments, listPayments, paymentsCsv, takingsCsv, takingsReport } from "../payments/payments.service";
import { tenantScope } from "../tenancy/scope";
import { dateParam, dateTime, FRONTDESK_CSS, frontdeskMessages, money, todayIn, uuidParam } from "./frontdesk";
import { AdminLayout, adminHtml } from "./layout";
import { refusalText } from "./refusal-text";
import { type AdminContext, type AdminEnv, requirePageRole } from "./session";

export const takingsPages = new Hono<AdminEnv>();

/** A report table: a row header, then figures aligned as numbers; a note when there is nothing. */
function ReportTable(props: { id: string; title: string; empty: string; columns: string[]; rows: (string | number)[][] }) {
  const [rowHeader, ...figures] = props.columns;
  return (
    <section class="card tablewrap" tabindex={0} aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.rows.length === 0 ? (
        <p class="note">{props.empty}</p>
      ) : (
        <table class="t">
          <thead>
            <tr>
              <th scope="col">{rowHeader}</th>
              {figures.map((label) => (
                <th scope="col" class="num">
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map(([head, ...cells]) => (
              <tr>
                <th scope="row">{head}</th>
                {cells.map((cell) => (
                  <td class="num">{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const LIST_SIZE = 50;

function periodOf(c: AdminContext) {
  const zone = c.get("admin").tenant.timeZone;
  const from = dateParam(c, "from") ?? dateParam(c, "to") ?? todayIn(zone);
  let to = dateParam(c, "to") ?? from;
  if (to < from) to = from;
  return { from, to, staff_id: uuidParam(c, "staff") };
}

const csvResponse = (body: string, name: string) =>
  new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
    },
  });

takingsPages.get("/takings", requirePageRole("staff"), async (c) => {
  const req = c.get("admin");
  const { tenant, lang } = req;
  const m = frontdeskMessages(lang);
  const period = periodOf(c);
  const s = await tenantScope(c as never);
  const onlyUserId = ownRecordsOnly(c);
  let bad: string | undefined;
  const [report, payments, choices] = await Promise.all([
    takingsReport(s.db, tenant, period, onlyUserId).catch((error) => {
      if (error instanceof InvalidInput) {
        bad = refusalText(lang, error);
        return takingsReport(s.db, tenant, { from: period.from, to: period.from, staff_id: period.staff_id }, onlyUserId);
      }
      throw error;
    }),
    listPayments(s.db, tenant, { ...period, to: period.to, page: 1, page_size: LIST_SIZE, ordering: "-created_at" }, onlyUserId).catch(
      () => null,
    ),
    onlyUserId ? Promise.resolve(null) : bookingFormChoices(s.db, tenant, null),
  ]);
  const query = new URLSearchParams({ from: report.from, to: report.to, ...(period.staff_id ? { staff: period.staff_id } : {}) });
  const total = payments?.rows[0]?.total_count ?? 0;
  const rate =
    report.no_show_rate === null
      ? "—"
      : new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 1 }).format(report.no_show_rate);
  return adminHtml(
    c,
    <AdminLayout req={req} title={req.m.nav.takings} nav="takings" css={FRONTDESK_CSS}>
      {bad ? (
        <div class="alert bad" role="alert">
          {bad}
        </div>
      ) : null}
      <form method="get" action="/admin/takings" class="bar">
        <label for="tk-from">{m.takings.from}</label>
        <input type="date" id="tk-from" name="from" value={report.from} required />
        <label for="tk-to">{m.takings.to}</label>
        <input type="date" id="tk-to" name="to" value={report.to} required />
        {choices ? (
          <>
            <label for="tk-staff" class="sr">
              {m.takings.staff}
            </label>
            <select id="tk-staff" name="staff">
              <option value="">{m.takings.all}</option>
              {choices.staff.map((f) => (
                <option value={f.id} selected={f.id === period.staff_id}>
                  {f.name}
                </option>
              ))}
            </select>
          </>
        ) : null}
        <button type="submit" class="btn ghost">
          {m.takings.show}
        </button>
        <a class="btn ghost" href="/admin/takings">
          {m.takings.today}
        </a>
      </form>
      <div class="kpis">
        {(report.totals.length
          ? report.totals
          : [{ currency: tenant.currency, count: 0, payments_minor: 0, refunds_minor: 0, net_minor: 0 }]
        ).map((l) => (
          <>
            <div class="kpi">
              <small>{m.takings.net}</small>
              <b>{money(lang, l.net_minor, l.currency)}</b>
            </div>
            <div class="kpi">
              <small>{m.takings.payments}</small>
              <b>{money(lang, l.payments_minor, l.currency)}</b>
            </div>
            <div class="kpi">
              <small>{m.takings.refunds}</small>
              <b>{money(lang, l.refunds_minor, l.currency)}</b>
            </div>
          </>
        ))}
        <div class="kpi">
          <small>{m.takings.noShowRate}</small>
          <b>{rate}</b>
        </div>
      </div>
      <p class="bar">
        <a class="btn ghost" href={`/admin/takings/report.csv?${query}`} download>
          {m.takings.csvReport}
        </a>
        <a class="btn ghost" href={`/admin/takings/payments.csv?${query}`} download>
          {m.takings.csvList}
        </a>
      </p>
      <div class="grid2">
        <div class="stack">
          <ReportTable
            id="tk-method"
            title={m.takings.byMethod}
            empty={m.takings.none}
            columns={[m.booking.method, m.takings.count, m.takings.payments, m.takings.refunds, m.takings.net]}
            rows={report.by_method.map((l) => [
              m.methods[l.method as "cash"] ?? l.method,
              l.count,
              money(lang, l.payments_minor, l.currency),
              money(lang, l.refunds_minor, l.currency),
              money(lang, l.net_minor, l.currency),
            ])}
          />
          <ReportTable
            id="tk-staff-h"
            title={m.takings.byStaff}
            empty={m.takings.none}
            columns={[m.takings.staff, m.takings.count, m.takings.net]}
            rows={report.by_staff.map((l) => [l.staff_name, l.count, money(lang, l.net_minor, l.currency)])}
          />
        </div>
        <section class="card tablewrap" tabindex={0} aria-labelledby="tk-status">
          <h2 id="tk-status">{m.takings.byStatus}</h2>
          <table class="t">
            <tbody>
              {BOOKING_STATUSES.map((st) => (
                <tr>
                  <th scope="row">
                    <span class={`badge st-${st}`}>{m.status[st]}</span>
                  </th>
                  <td class="num">{report.bookings_by_status[st]}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">{m.takings.total}</th>
                <td class="num">
                  <b>{report.bookings_total}</b>
                </td>
              </tr>
            </tbody>
          </table>
          <p class="hint">
            {m.takings.noShowRate}: <b>{rate}</b> — {m.takings.noShowHint}
          </p>
        </section>
      </div>
      <section class="card tablewrap" tabindex={0} aria-labelledby="tk-list">
        <h2 id="tk-list">{m.takings.list}</h2>
        {!payments || payments.rows.length === 0 ? (
          <p class="note">{m.takings.none}</p>
        ) : (
          <>
            <table class="t">
              <thead>
                <tr>
                  <th scope="col">{m.takings.when}</th>
                  <th scope="col">{m.takings.customer}</th>
                  <th scope="col">{m.takings.staff}</th>
                  <th scope="col">{m.booking.kind}</th>
                  <th scope="col">{m.booking.method}</th>
                  <th scope="col" class="num">
                    {m.booking.amount}
                  </th>
                </tr>
              </thead>
              <tbody>
                {payments.rows.map((p) => (
                  <tr>
                    <td>
                      <a href={`/admin/bookings/${p.booking_id}`}>{dateTime(lang, tenant.timeZone, p.created_at.getTime())}</a>
                    </td>
                    <td>{p.customer_name || "—"}</td>
                    <td>{p.staff_name}</td>
                    <td>{m.kinds[p.kind]}</td>
                    <td>{m.methods[p.method]}</td>
                    <td class="num">{money(lang, p.kind === "refund" ? -p.amount_minor : p.amount_minor, p.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {total > LIST_SIZE ? <p class="note">{m.takings.more(total - LIST_SIZE)}</p> : null}
          </>
        )}
      </section>
    </AdminLayout>,
  );
});

takingsPages.get("/takings/report.csv", requirePageRole("staff"), async (c) => {
  const s = await tenantScope(c as never);
  const report = await takingsReport(s.db, c.get("admin").tenant, periodOf(c), ownRecordsOnly(c));
  return csvResponse(takingsCsv(report), `takings-${report.from}_${report.to}.csv`);
});

takingsPages.get("/takings/payments.csv", requirePageRole("staff"), async (c) => {
  const s = await tenantScope(c as never);
  const tenant = c.get("admin").tenant;
  const p = periodOf(c);
  const { rows, period } = await exportPayments(
    s.db,
    tenant,
    { from: p.from, to: p.to, ...(p.staff_id ? { staff_id: p.staff_id } : {}) },
    ownRecordsOnly(c),
  );
  return csvResponse(paymentsCsv(rows, tenant.timeZone), `payments-${period.from}_${period.to}.csv`);
});
