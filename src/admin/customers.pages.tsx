/**
 * Customers at the front desk: list with search, a customer's page (contact,
 * notes, visits, no-shows, total spent, bookings), edit, and merging a
 * duplicate into the record (owner/admin, the API's merge service). A
 * staff-role user sees only the customers they served or added (the
 * customers service's own scope; others are 404).
 *
 *   GET  /admin/customers?search=&page=
 *   GET  /admin/customers/:id?q=       (q: find the duplicate to merge)
 *   POST /admin/customers/:id          edit
 *   POST /admin/customers/:id/merge    source_id (owner/admin)
 */
import { Hono } from "hono";
import { ownRecordsOnly, roleAtLeast } from "../auth/guards";
import { customerCard } from "../bookings/frontdesk.service";
import { getCustomer, listCustomers, mergeCustomers, updateCustomer } from "../customers/customers.service";
import { DomainError, NotFound } from "../domain/errors";
import { LOCALES } from "../domain/locales";
import { ApiError } from "../http/problem";
import { tenantScope } from "../tenancy/scope";
import { messages as webMessages } from "../web/i18n";
import { dateTime, FRONTDESK_CSS, frontdeskMessages, isUuid, money, StatusBadge, str } from "./frontdesk";
import { AdminLayout, adminHtml, CsrfField } from "./layout";
import { refusalText } from "./refusal-text";
import { type AdminContext, type AdminEnv, requirePageRole, sessionOf } from "./session";

export const customerPages = new Hono<AdminEnv>();

const PAGE_SIZE = 25;

customerPages.get("/customers", requirePageRole("staff"), async (c) => {
  const req = c.get("admin");
  const m = frontdeskMessages(req.lang);
  const search = (c.req.query("search") ?? "").trim().slice(0, 100);
  const page = Math.max(1, Math.min(10_000, Number.parseInt(c.req.query("page") ?? "1", 10) || 1));
  const s = await tenantScope(c as never);
  const { rows } = await listCustomers(s, { search: search || undefined, page, page_size: PAGE_SIZE }, ownRecordsOnly(c));
  const total = rows[0]?.total_count ?? 0;
  const link = (p: number) => `/admin/customers?${new URLSearchParams({ ...(search ? { search } : {}), page: String(p) })}`;
  return adminHtml(
    c,
    <AdminLayout req={req} title={req.m.nav.customers} nav="customers" css={FRONTDESK_CSS}>
      <form method="get" action="/admin/customers" class="bar">
        <label class="sr" for="cu-search">
          {m.customers.search}
        </label>
        <input type="search" id="cu-search" name="search" value={search} placeholder={m.customers.search} />
        <button type="submit" class="btn ghost">
          {m.customers.go}
        </button>
        <span class="note">{m.customers.count(total)}</span>
      </form>
      {rows.length === 0 ? (
        <p class="card empty">{m.customers.none}</p>
      ) : (
        <div class="card tablewrap" tabindex={0}>
          <table class="t">
            <thead>
              <tr>
                <th scope="col">{m.customers.name}</th>
                <th scope="col">{m.customers.phone}</th>
                <th scope="col">{m.customers.email}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((x) => (
                <tr>
                  <td>
                    <a href={`/admin/customers/${x.id}`}>{x.name}</a>
                  </td>
                  <td class="ltr">{x.phone ?? ""}</td>
                  <td class="ltr">{x.email ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label={m.customers.title}>
        {page > 1 ? <a href={link(page - 1)}>{m.customers.prev}</a> : <span />}
        {page * PAGE_SIZE < total ? <a href={link(page + 1)}>{m.customers.next}</a> : null}
      </nav>
    </AdminLayout>,
  );
});

function idOf(c: AdminContext): string {
  const id = c.req.param("id");
  if (!isUuid(id)) throw new ApiError("not_found", "No customer with this id.");
  return id;
}

async function renderCustomer(c: AdminContext, id: string, notice?: { ok?: string; bad?: string }, status: 200 | 409 | 422 = 200) {
  const req = c.get("admin");
  const { tenant, lang } = req;
  const m = frontdeskMessages(lang);
  const s = await tenantScope(c as never);
  const onlyUserId = ownRecordsOnly(c);
  const q = (c.req.query("q") ?? "").trim().slice(0, 100);
  const mayMerge = roleAtLeast(req.session!.role, "admin");
  const [customer, card, dupes] = await Promise.all([
    getCustomer(s, id, onlyUserId).catch((error) => {
      if (error instanceof NotFound) throw new ApiError("not_found", "No customer with this id.");
      throw error;
    }),
    customerCard(s.db, tenant, id, onlyUserId),
    mayMerge && q ? listCustomers(s, { search: q, page: 1, page_size: 8 }, null).then((r) => r.rows) : Promise.resolve([]),
  ]);
  const csrf = sessionOf(c).csrf;
  const currency = card.currency ?? tenant.currency;
  return adminHtml(
    c,
    <AdminLayout
      req={req}
      title={customer.name}
      nav="customers"
      css={FRONTDESK_CSS}
      actions={
        <a
          class="btn"
          href={`/admin/calendar/new?customer=${customer.id}&q=${encodeURIComponent(customer.phone ?? customer.email ?? customer.name)}`}
        >
          {m.customers.book}
        </a>
      }
    >
      {notice?.ok ? (
        <div class="alert ok" role="status">
          {notice.ok}
        </div>
      ) : null}
      {notice?.bad ? (
        <div class="alert bad" role="alert">
          {notice.bad}
        </div>
      ) : null}
      <div class="kpis">
        <div class="kpi">
          <small>{m.customers.visits}</small>
          <b>{card.visits}</b>
        </div>
        <div class="kpi">
          <small>{m.customers.noShows}</small>
          <b>{card.no_shows}</b>
        </div>
        <div class="kpi">
          <small>{m.customers.spent}</small>
          <b>{money(lang, card.spent_minor, currency)}</b>
        </div>
      </div>
      <div class="grid2">
        <section class="card" aria-labelledby="cu-bookings">
          <h2 id="cu-bookings">{m.customers.bookings}</h2>
          {card.bookings.length === 0 ? (
            <p class="note">{m.customers.noBookings}</p>
          ) : (
            <div class="tablewrap" tabindex={0}>
              <table class="t">
                <tbody>
                  {card.bookings.map((b) => (
                    <tr>
                      <td>
                        <a href={`/admin/bookings/${b.id}`}>{dateTime(lang, tenant.timeZone, b.start)}</a>
                      </td>
                      <td>
                        {b.service_name}
                        <span class="note"> · {b.staff_name}</span>
                      </td>
                      <td>
                        <StatusBadge status={b.status} m={m} />
                      </td>
                      <td class="num">{money(lang, b.price_minor, b.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <div class="stack">
          <form method="post" action={`/admin/customers/${customer.id}`} class="card">
            <h2>{m.customers.edit}</h2>
            <CsrfField token={csrf} />
            <div class="field">
              <label for="cu-name">{m.customers.name}</label>
              <input id="cu-name" name="name" value={customer.name} required maxlength={120} />
            </div>
            <div class="field">
              <label for="cu-phone">{m.customers.phone}</label>
              <input id="cu-phone" name="phone" type="tel" dir="ltr" value={customer.phone ?? ""} maxlength={40} />
            </div>
            <div class="field">
              <label for="cu-email">{m.customers.email}</label>
              <input id="cu-email" name="email" type="email" dir="ltr" value={customer.email ?? ""} maxlength={254} />
            </div>
            <div class="field">
              <label for="cu-locale">{m.customers.language}</label>
              <select id="cu-locale" name="locale">
                {LOCALES.map((l) => (
                  <option value={l} selected={l === customer.locale}>
                    {webMessages(l).langName}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="cu-notes">{m.customers.notes}</label>
              <textarea id="cu-notes" name="notes" rows={3} maxlength={2000}>
                {customer.notes}
              </textarea>
            </div>
            <button type="submit" class="btn">
              {m.customers.save}
            </button>
          </form>
          {mayMerge ? (
            <section class="card" aria-labelledby="cu-merge">
              <h2 id="cu-merge">{m.customers.merge}</h2>
              <p class="hint">{m.customers.mergeHint}</p>
              <form method="get" action={`/admin/customers/${customer.id}`} class="bar">
                <label class="sr" for="cu-q">
                  {m.customers.mergeFind}
                </label>
                <input type="search" id="cu-q" name="q" value={q} placeholder={m.customers.mergeFind} />
                <button type="submit" class="btn ghost">
                  {m.customers.go}
                </button>
              </form>
              {dupes.filter((d) => d.id !== customer.id).length ? (
                <form method="post" action={`/admin/customers/${customer.id}/merge`}>
                  <CsrfField token={csrf} />
                  <div class="choices">
                    {dupes
                      .filter((d) => d.id !== customer.id)
                      .map((d) => (
                        <label>
                          <input type="radio" name="source_id" value={d.id} required />
                          <span>
                            <b>{d.name}</b> · <span class="ltr">{d.phone ?? d.email ?? ""}</span>
                          </span>
                        </label>
                      ))}
                  </div>
                  <button type="submit" class="btn danger">
                    {m.customers.mergeSubmit}
                  </button>
                </form>
              ) : q ? (
                <p class="note">{m.book.noMatch}</p>
              ) : null}
            </section>
          ) : null}
        </div>
      </div>
    </AdminLayout>,
    status,
  );
}

customerPages.get("/customers/:id", requirePageRole("staff"), async (c) => {
  const m = frontdeskMessages(c.get("admin").lang);
  const notice = c.req.query("saved")
    ? { ok: m.customers.saved }
    : c.req.query("merged")
      ? { ok: m.customers.merged(Number(c.req.query("merged")) || 0) }
      : undefined;
  return renderCustomer(c, idOf(c), notice);
});

customerPages.post("/customers/:id", requirePageRole("staff"), async (c) => {
  const id = idOf(c);
  const form = (await c.req.parseBody()) as Record<string, unknown>;
  const locale = str(form.locale);
  const s = await tenantScope(c as never);
  try {
    await updateCustomer(
      s,
      id,
      {
        name: str(form.name).slice(0, 120) || undefined,
        email: str(form.email) || null,
        phone: str(form.phone) || null,
        ...((LOCALES as readonly string[]).includes(locale) ? { locale: locale as (typeof LOCALES)[number] } : {}),
        notes: str(form.notes).slice(0, 2000),
      },
      ownRecordsOnly(c),
    );
  } catch (error) {
    if (error instanceof NotFound) throw new ApiError("not_found", "No customer with this id.");
    if (error instanceof DomainError) return renderCustomer(c, id, { bad: refusalText(c.get("admin").lang, error) }, 422);
    throw error;
  }
  return c.redirect(`/admin/customers/${id}?saved=1`, 303);
});

// Owner/admin only, like the API's merge: a staff member posting the form directly gets the 403 page.
customerPages.post("/customers/:id/merge", requirePageRole("admin"), async (c) => {
  const id = idOf(c);
  const form = (await c.req.parseBody()) as Record<string, unknown>;
  const sourceId = str(form.source_id);
  if (!isUuid(sourceId) || sourceId === id)
    return renderCustomer(c, id, { bad: frontdeskMessages(c.get("admin").lang).customers.mergeChoose }, 422);
  const s = await tenantScope(c as never);
  try {
    const merged = await mergeCustomers(s, {
      targetId: id,
      sourceId,
      bookingIds: [],
      actorUserId: sessionOf(c).userId,
    });
    return c.redirect(`/admin/customers/${id}?merged=${merged.movedBookingIds.length}`, 303);
  } catch (error) {
    if (error instanceof DomainError) return renderCustomer(c, id, { bad: refusalText(c.get("admin").lang, error) }, 409);
    throw error;
  }
});
