/**
 * The front-desk screens behind a browser session: a receptionist's day
 * (walk-in for an existing customer at a custom time, check-in, complete,
 * cash payment, the day's takings), staff scoping (own column only, another
 * member's booking is 404), owner-only actions refused to a staff session
 * posting the form directly, CSRF, Arabic right to left.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { quoteSchema } from "../src/tenancy/naming";
import { adminSession, get, type Jar, postForm } from "./admin-auth-helpers";
import { member } from "./auth-fixtures";
import { seedBooking, seedCustomer, seedService, seedStaff, type SeededStaff } from "./frontdesk-fixtures";
import { earlierToday } from "./fixtures/local-day";
import { countRoundTrips, sql, useTenants } from "./harness";

const todayCasablanca = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Africa/Casablanca" }).format(Date.now());

describe("front desk pages", () => {
  const t = useTenants();
  let owner: { jar: Jar; csrf: string };
  let staff: { jar: Jar; csrf: string };
  let amina: SeededStaff;
  let badr: SeededStaff;
  let serviceId: string;
  let saraId: string;
  let badrBooking: string;
  const today = todayCasablanca();

  beforeAll(async () => {
    [amina, badr] = (await seedStaff(t.a, 2, { start: "00:00", end: "23:55" })) as [SeededStaff, SeededStaff];
    serviceId = await seedService(t.a, "Coupe femme", 20000, 30);
    const s = quoteSchema(t.a.schemaName);
    await sql(`INSERT INTO ${s}.service_staff (service_id, staff_id) VALUES ($1, $2), ($1, $3)`, [serviceId, amina.id, badr.id]);
    saraId = await seedCustomer(t.a, "Sara Benali", "+212612345678");
    const ownerUser = await member(t.a.id, "owner");
    const staffUser = await member(t.a.id, "staff");
    await sql(`UPDATE ${s}.staff SET user_id = $1 WHERE id = $2`, [staffUser.id, amina.id]);
    amina.userId = staffUser.id;
    badrBooking = await seedBooking(t.a, { staffId: badr.id, serviceId, date: today, time: "23:00", contactName: "Karim" });
    owner = await adminSession(t.a.domain, ownerUser.email);
    staff = await adminSession(t.a.domain, staffUser.email);
  });

  it("plays a receptionist's day: walk-in for an existing customer, check in, complete, cash, takings", async () => {
    const cal = await get(t.a.domain, `/admin/calendar?date=${today}`, owner.jar);
    expect(cal.status).toBe(200);
    const html = await cal.text();
    expect(html).toContain(amina.name);
    expect(html).toContain(badr.name);
    expect(html).toContain("Karim");
    expect(html).not.toMatch(/ style="/);

    const form = await get(t.a.domain, `/admin/calendar/new?date=${today}&service=${serviceId}&staff=${amina.id}&q=0612345678`, owner.jar);
    expect(form.status).toBe(200);
    const formHtml = await form.text();
    expect(formHtml).toContain("Sara Benali");
    expect(formHtml).toContain('name="custom_time"');

    // A walk-in 5 minutes ago, at a custom time (off the grid), for Sara.
    const wall = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Africa/Casablanca",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(earlierToday("Africa/Casablanca"));
    const booked = await postForm(t.a.domain, "/admin/calendar/new", owner.jar, {
      _csrf: owner.csrf,
      service_id: serviceId,
      staff_id: amina.id,
      date: today,
      custom_time: wall,
      customer_id: saraId,
    });
    expect(booked.status, await booked.clone().text()).toBe(303);
    const location = booked.headers.get("location")!;
    expect(location).toMatch(/^\/admin\/bookings\/[0-9a-f-]{36}\?created=1&warn=in_the_past/);
    const id = location.split("/")[3]!.split("?")[0]!;
    const detail = await (await get(t.a.domain, location, owner.jar)).text();
    expect(detail).toContain("Sara Benali");
    expect(detail).toContain("Coupe femme");

    expect((await postForm(t.a.domain, `/admin/bookings/${id}/check-in`, owner.jar, { _csrf: owner.csrf })).status).toBe(303);
    expect((await postForm(t.a.domain, `/admin/bookings/${id}/status`, owner.jar, { _csrf: owner.csrf, action: "complete" })).status).toBe(
      303,
    );
    const paid = await postForm(t.a.domain, `/admin/bookings/${id}/payments`, owner.jar, {
      _csrf: owner.csrf,
      kind: "payment",
      method: "cash",
      amount: "200",
    });
    expect(paid.status).toBe(303);
    const after = await (await get(t.a.domain, `/admin/bookings/${id}`, owner.jar)).text();
    expect(after).toContain("Terminé");
    expect(after).toContain("Arrivé");
    const s = quoteSchema(t.a.schemaName);
    const events = await sql<{ action: string }>(`SELECT action FROM ${s}.booking_events WHERE booking_id = $1 ORDER BY id`, [id]);
    expect(events.map((e) => e.action)).toEqual(["created", "checked_in", "completed", "payment_recorded"]);

    const takings = await (await get(t.a.domain, `/admin/takings`, owner.jar)).text();
    expect(takings).toContain("Espèces");
    expect(takings).toMatch(/200[,.]?0?0?\s*MAD|MAD\s*200/);
    const csv = await get(t.a.domain, `/admin/takings/report.csv`, owner.jar);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(await csv.text()).toContain("method,cash,MAD,1,200.00,0.00,200.00");
  });

  it("renders the day view with the session check and ONE calendar statement, no WebSocket", async () => {
    await get(t.a.domain, `/admin/calendar?date=${today}`, owner.jar);
    let status = 0;
    const trips = await countRoundTrips(async () => {
      status = (await get(t.a.domain, `/admin/calendar?date=${today}`, owner.jar)).status;
    });
    expect(status).toBe(200);
    expect(trips.connections).toBe(0);
    expect(trips.flights).toBe(1);
  });

  it("shows a staff member only their own column and 404s another member's booking", async () => {
    const cal = await (await get(t.a.domain, `/admin/calendar?date=${today}`, staff.jar)).text();
    expect(cal).toContain(amina.name);
    expect(cal).not.toContain(badr.name);
    expect(cal).not.toContain("Karim");
    expect((await get(t.a.domain, `/admin/bookings/${badrBooking}`, staff.jar)).status).toBe(404);
    expect((await get(t.a.domain, `/admin/bookings/${badrBooking}`, owner.jar)).status).toBe(200);
    expect((await postForm(t.a.domain, `/admin/bookings/${badrBooking}/check-in`, staff.jar, { _csrf: staff.csrf })).status).toBe(404);
    const payment = await postForm(t.a.domain, `/admin/bookings/${badrBooking}/payments`, staff.jar, {
      _csrf: staff.csrf,
      kind: "payment",
      method: "cash",
      amount: "10",
    });
    expect(payment.status).toBe(404);
  });

  it("refuses owner-only actions to a staff session posting the form directly, and forms without CSRF", async () => {
    const s = quoteSchema(t.a.schemaName);
    const before = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${s}.bookings`);
    const custom = await postForm(t.a.domain, "/admin/calendar/new", staff.jar, {
      _csrf: staff.csrf,
      service_id: serviceId,
      staff_id: amina.id,
      date: today,
      custom_time: "03:07",
      name: "Intrus",
      phone: "0611111111",
    });
    expect(custom.status).toBe(403);
    const merge = await postForm(t.a.domain, `/admin/customers/${saraId}/merge`, staff.jar, {
      _csrf: staff.csrf,
      source_id: crypto.randomUUID(),
    });
    expect(merge.status).toBe(403);
    const own = await seedBooking(t.a, { staffId: amina.id, serviceId, date: "2030-01-10", time: "10:00", contactName: "Futur" });
    const forced = await postForm(t.a.domain, `/admin/bookings/${own}/status`, staff.jar, {
      _csrf: staff.csrf,
      action: "no_show",
      force: "1",
    });
    expect(forced.status).toBe(403);
    const noCsrf = await postForm(t.a.domain, `/admin/bookings/${own}/status`, owner.jar, { action: "cancel" });
    expect(noCsrf.status).toBe(403);
    const after = await sql<{ n: number; status: string }>(
      `SELECT (SELECT count(*)::int FROM ${s}.bookings) AS n, (SELECT status FROM ${s}.bookings WHERE id = $1) AS status`,
      [own],
    );
    expect(after[0]).toEqual({ n: before[0]!.n + 1, status: "confirmed" });
  });

  it("renders Arabic right to left, customers and takings for every role", async () => {
    const ar = await get(t.a.domain, `/admin/calendar?date=${today}&lang=ar`, owner.jar);
    const html = await ar.text();
    expect(html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(html).toContain("الأجندة");
    for (const path of [
      "/admin/customers",
      `/admin/customers/${saraId}`,
      "/admin/takings",
      `/admin/calendar?date=${today}&staff=${amina.id}&view=week`,
    ]) {
      expect((await get(t.a.domain, path, owner.jar)).status, path).toBe(200);
    }
    expect((await get(t.a.domain, "/admin/takings", staff.jar)).status).toBe(200);
    expect((await get(t.a.domain, "/admin/customers?search=sara", owner.jar)).status).toBe(200);
  });
  it("reschedules, resends the confirmation, cancels with a reason; edits and merges customers", async () => {
    const s = quoteSchema(t.a.schemaName);
    const date = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const id = await seedBooking(t.a, { staffId: amina.id, serviceId, date, time: "10:00", contactName: "Leila" });
    await sql(`UPDATE ${s}.bookings SET contact_email = 'leila@example.ma' WHERE id = $1`, [id]);
    const picker = await (await get(t.a.domain, `/admin/bookings/${id}/reschedule?date=${date}`, owner.jar)).text();
    const slot = /name="slot" value="(\d+)"/.exec(picker)![1]!;
    expect((await postForm(t.a.domain, `/admin/bookings/${id}/reschedule`, owner.jar, { _csrf: owner.csrf, slot })).status).toBe(303);
    const [moved] = await sql<{ ms: string }>(
      `SELECT (extract(epoch FROM starts_at) * 1000)::bigint::text AS ms FROM ${s}.bookings WHERE id = $1`,
      [id],
    );
    expect(moved!.ms).toBe(slot);

    expect((await postForm(t.a.domain, `/admin/bookings/${id}/resend`, owner.jar, { _csrf: owner.csrf })).status).toBe(303);
    const outbox = await sql<{ kind: string; recipient: string }>(
      `SELECT kind, recipient FROM ${s}.notifications WHERE booking_id = $1 AND dedupe_key LIKE 'resend:%'`,
      [id],
    );
    expect(outbox).toEqual([{ kind: "booking_confirmation", recipient: "leila@example.ma" }]);

    const cancel = await postForm(t.a.domain, `/admin/bookings/${id}/status`, owner.jar, {
      _csrf: owner.csrf,
      action: "cancel",
      reason: "Malade",
    });
    expect(cancel.status).toBe(303);
    const again = await postForm(t.a.domain, `/admin/bookings/${id}/status`, owner.jar, { _csrf: owner.csrf, action: "cancel" });
    expect(again.status).toBe(409);
    // In the page's language (Arabic, chosen earlier in this session), not the service's English sentence.
    const refused = await again.text();
    expect(refused).toContain("هذا الحجز ملغى من قبل.");
    expect(refused).not.toContain("already cancelled");
    const [row] = await sql<{ status: string; cancel_reason: string }>(`SELECT status, cancel_reason FROM ${s}.bookings WHERE id = $1`, [
      id,
    ]);
    expect(row).toEqual({ status: "cancelled", cancel_reason: "Malade" });
    expect((await postForm(t.a.domain, `/admin/bookings/${id}/check-in`, owner.jar, { _csrf: owner.csrf })).status).toBe(409);

    const dupe = await seedCustomer(t.a, "Sara B.", "+212612345699");
    await seedBooking(t.a, { staffId: badr.id, serviceId, date: "2030-03-06", time: "11:00", customerId: dupe });
    const edit = await postForm(t.a.domain, `/admin/customers/${saraId}`, owner.jar, {
      _csrf: owner.csrf,
      name: "Sara Benali",
      phone: "0612345678",
      email: "sara@example.ma",
      locale: "ar",
      notes: "Préfère le matin",
    });
    expect(edit.status).toBe(303);
    const found = await (await get(t.a.domain, `/admin/customers/${saraId}?q=Sara%20B.`, owner.jar)).text();
    expect(found).toContain(`value="${dupe}"`);
    expect(
      (await postForm(t.a.domain, `/admin/customers/${saraId}/merge`, owner.jar, { _csrf: owner.csrf, source_id: dupe })).headers.get(
        "location",
      ),
    ).toBe(`/admin/customers/${saraId}?merged=1`);
    const [merged] = await sql<{ n: number; notes: string; locale: string }>(
      `SELECT (SELECT count(*)::int FROM ${s}.bookings WHERE customer_id = $1) AS n, notes, locale FROM ${s}.customers WHERE id = $1`,
      [saraId],
    );
    expect(merged).toEqual({ n: 2, notes: "Préfère le matin", locale: "ar" });
    expect((await get(t.a.domain, `/admin/customers/${dupe}`, owner.jar)).status).toBe(404);
    const list = await (await get(t.a.domain, "/admin/customers?search=0612345678", owner.jar)).text();
    expect(list).toContain("Sara Benali");
  });
});
