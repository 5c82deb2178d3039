import { beforeAll, describe, expect, it } from "vitest";
import { client, tokenFor, type Client } from "./catalogue-helpers";
import { seedBooking, seedCustomer, seedPayment, seedService, seedStaff, type SeededStaff } from "./frontdesk-fixtures";
import { call, countRoundTrips, useTenants } from "./harness";

const D = "2026-12-15";
const NEXT = "2026-12-16";

describe("takings API: payments list, report, CSV", () => {
  const t = useTenants();
  let admin: Client;
  let staffA: Client;
  let staffB: Client;
  let a: SeededStaff;
  let b: SeededStaff;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    [a, b] = (await seedStaff(t.a, 2)) as [SeededStaff, SeededStaff];
    const svc = await seedService(t.a);
    const sara = await seedCustomer(t.a, "Sara Benali", "+212612345678");
    const evil = await seedCustomer(t.a, '=HYPERLINK("http://x")', "+212612345679");
    ids.done = await seedBooking(t.a, { staffId: a.id, serviceId: svc, date: D, time: "09:00", status: "completed", customerId: sara });
    ids.noShow = await seedBooking(t.a, { staffId: a.id, serviceId: svc, date: D, time: "10:00", status: "no_show", contactName: "Karim" });
    ids.b = await seedBooking(t.a, { staffId: b.id, serviceId: svc, date: D, time: "09:00", customerId: evil });
    ids.cancelled = await seedBooking(t.a, { staffId: b.id, serviceId: svc, date: D, time: "11:00", status: "cancelled" });
    ids.tomorrow = await seedBooking(t.a, { staffId: a.id, serviceId: svc, date: NEXT, time: "09:00" });
    await seedPayment(t.a, { bookingId: ids.done, kind: "deposit", method: "cash", amountMinor: 5000, date: D, time: "08:30" });
    await seedPayment(t.a, {
      bookingId: ids.done,
      kind: "payment",
      method: "card",
      amountMinor: 15000,
      date: D,
      time: "09:30",
      reference: "TPE-77",
    });
    await seedPayment(t.a, { bookingId: ids.done, kind: "refund", method: "cash", amountMinor: 2000, date: D, time: "09:40" });
    await seedPayment(t.a, { bookingId: ids.b, kind: "payment", method: "transfer", amountMinor: 10000, date: D, time: "23:50" });
    // Recorded the next local day (00:10 Casablanca is still the 15th in UTC): not in the day's takings.
    await seedPayment(t.a, { bookingId: ids.tomorrow, kind: "deposit", method: "cash", amountMinor: 999, date: NEXT, time: "00:10" });
    admin = client(t.a, await tokenFor(t.a, "admin"));
    staffA = client(t.a, await tokenFor(t.a, "staff", a.userId));
    staffB = client(t.a, await tokenFor(t.a, "staff", b.userId));
  });

  it("reports a day: by method, by staff, bookings by status and the no-show rate, in one round trip", async () => {
    await admin("GET", `/api/reports/takings?from=${D}`); // warms the host cache
    let res: Awaited<ReturnType<Client>> | undefined;
    const trips = await countRoundTrips(async () => {
      res = await admin("GET", `/api/reports/takings?from=${D}&to=${D}`);
    });
    expect(trips).toMatchObject({ flights: 1, connections: 0 });
    expect(res!.status).toBe(200);
    const line = (currency: string, count: number, payments: number, refunds: number) => ({
      currency,
      count,
      payments_minor: payments,
      refunds_minor: refunds,
      net_minor: payments - refunds,
    });
    expect(res!.body).toEqual({
      from: D,
      to: D,
      time_zone: "Africa/Casablanca",
      staff_id: null,
      totals: [line("MAD", 4, 30000, 2000)],
      by_method: [
        { method: "card", ...line("MAD", 1, 15000, 0) },
        { method: "cash", ...line("MAD", 2, 5000, 2000) },
        { method: "transfer", ...line("MAD", 1, 10000, 0) },
      ],
      by_staff: [
        { staff_id: a.id, staff_name: a.name, ...line("MAD", 3, 20000, 2000) },
        { staff_id: b.id, staff_name: b.name, ...line("MAD", 1, 10000, 0) },
      ],
      bookings_by_status: { pending: 0, confirmed: 1, completed: 1, cancelled: 1, no_show: 1 },
      bookings_total: 4,
      no_show_rate: 0.5,
    });
    const twoDays = await admin("GET", `/api/reports/takings?from=${D}&to=${NEXT}`);
    expect(twoDays.body.totals).toEqual([line("MAD", 5, 30999, 2000)]);
    expect(twoDays.body.bookings_total).toBe(5);
    const onlyB = await admin("GET", `/api/reports/takings?from=${D}&staff_id=${b.id}`);
    expect(onlyB.body.by_staff.map((l: { staff_id: string }) => l.staff_id)).toEqual([b.id]);
    expect(onlyB.body.no_show_rate).toBeNull();
  });

  it("scopes a staff-role user to their own calendar, whatever they ask", async () => {
    const own = await staffA("GET", `/api/reports/takings?from=${D}`);
    expect(own.status).toBe(200);
    expect(own.body.totals).toEqual([{ currency: "MAD", count: 3, payments_minor: 20000, refunds_minor: 2000, net_minor: 18000 }]);
    expect(own.body.by_staff.map((l: { staff_id: string }) => l.staff_id)).toEqual([a.id]);
    expect(own.body.bookings_by_status).toMatchObject({ completed: 1, no_show: 1, confirmed: 0, cancelled: 0 });
    const asksForB = await staffA("GET", `/api/reports/takings?from=${D}&staff_id=${b.id}`);
    expect(asksForB.body.totals).toEqual([]);
    expect(asksForB.body.bookings_total).toBe(0);
    const list = await staffB("GET", `/api/payments?from=${D}`);
    expect(list.body.results.map((p: { booking_id: string }) => p.booking_id)).toEqual([ids.b]);
    expect((await staffB("GET", `/api/payments?from=${D}&booking_id=${ids.done}`)).body.count).toBe(0);
    const csv = await call(t.a.domain, `/api/payments/export?from=${D}`, {
      headers: { authorization: `Bearer ${await tokenFor(t.a, "staff", b.userId)}` },
    });
    expect((await csv.text()).trim().split("\r\n")).toHaveLength(2);
  });

  it("lists payments with filters, search, ordering and pages", async () => {
    const all = await admin("GET", `/api/payments?from=${D}&to=${D}`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ count: 4, from: D, to: D, time_zone: "Africa/Casablanca", previous: null, next: null });
    expect(all.body.results.map((p: { method: string }) => p.method)).toEqual(["transfer", "cash", "card", "cash"]);
    expect(all.body.results[2]).toMatchObject({
      booking_id: ids.done,
      kind: "payment",
      amount_minor: 15000,
      currency: "MAD",
      reference: "TPE-77",
      staff_id: a.id,
      staff_name: a.name,
      service_name: "Coupe",
      customer_name: "Sara Benali",
      booking_status: "completed",
      created_at: "2026-12-15T08:30:00.000Z",
      booking_start: "2026-12-15T08:00:00.000Z",
    });
    const q = async (query: string) => (await admin("GET", `/api/payments?from=${D}&${query}`)).body;
    expect((await q("method=cash")).count).toBe(2);
    expect((await q("kind=refund")).results.map((p: { amount_minor: number }) => p.amount_minor)).toEqual([2000]);
    expect((await q(`staff_id=${b.id}`)).count).toBe(1);
    expect((await q("search=benali")).count).toBe(3);
    expect((await q("search=tpe-7")).count).toBe(1);
    expect((await q("search=Karim")).count).toBe(0);
    expect((await q("ordering=-amount_minor")).results.map((p: { amount_minor: number }) => p.amount_minor)).toEqual([
      15000, 10000, 5000, 2000,
    ]);
    const page = await q("page_size=3&ordering=created_at");
    expect(page.results).toHaveLength(3);
    expect(page.next).toContain("page=2");
    // Default period: today (nothing recorded today here).
    expect((await admin("GET", "/api/payments")).body.count).toBe(0);
  });

  it("exports the list and the report as CSV (refunds negative, formulas neutralised)", async () => {
    const headers = { authorization: `Bearer ${await tokenFor(t.a, "owner")}` };
    const res = await call(t.a.domain, `/api/payments/export?from=${D}`, { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="payments-${D}_${D}.csv"`);
    const lines = (await res.text()).trim().split("\r\n");
    expect(lines[0]).toBe(
      "created_at_local,payment_id,booking_id,kind,method,amount,currency,staff,service,customer,booking_start_local,reference",
    );
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(
      /^2026-12-15 08:30,[0-9a-f-]{36},[0-9a-f-]{36},deposit,cash,50\.00,MAD,Staff 01,Coupe,Sara Benali,2026-12-15 09:00,$/,
    );
    expect(lines[3]).toContain(",refund,cash,-20.00,MAD,");
    expect(lines[4]).toContain(`,"'=HYPERLINK(""http://x"")",`);
    const report = await call(t.a.domain, `/api/reports/takings/export?from=${D}`, { headers });
    expect(report.headers.get("content-disposition")).toBe(`attachment; filename="takings-${D}_${D}.csv"`);
    const rows = (await report.text()).trim().split("\r\n");
    expect(rows).toContain("total,2026-12-15..2026-12-15,MAD,4,300.00,20.00,280.00");
    expect(rows).toContain("method,cash,MAD,2,50.00,20.00,30.00");
    expect(rows).toContain("staff,Staff 02,MAD,1,100.00,0.00,100.00");
    expect(rows).toContain("bookings,no_show,,1,,,");
    expect(rows).toContain("no_show_rate,,,0.5,,,");
  });

  it("refuses bad periods and filters (422), missing or foreign tokens (401)", async () => {
    const bad = async (query: string, field: string) => {
      const res = await admin("GET", `/api/reports/takings?${query}`);
      expect(res.status, query).toBe(422);
      expect(
        res.body.errors.map((e: { field: string }) => e.field),
        query,
      ).toContain(field);
    };
    await bad(`from=${NEXT}&to=${D}`, "to");
    await bad("from=2026-01-01&to=2027-06-01", "to");
    await bad("from=2026-02-30", "from");
    await bad("staff_id=nope", "staff_id");
    expect((await admin("GET", `/api/payments?from=${D}&method=bitcoin`)).status).toBe(422);
    expect((await admin("GET", `/api/payments?from=${D}&ordering=customer`)).status).toBe(422);
    expect((await client(t.a)("GET", "/api/payments")).status).toBe(401);
    expect((await client(t.a)("GET", "/api/reports/takings/export")).status).toBe(401);
    const foreign = client(t.a, await tokenFor(t.b, "owner"));
    expect((await foreign("GET", "/api/reports/takings")).status).toBe(401);
    expect((await client(t.b, await tokenFor(t.b, "owner"))("GET", `/api/payments?from=${D}`)).body.count).toBe(0);
  });
});
