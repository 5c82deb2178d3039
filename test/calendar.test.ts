import { beforeAll, describe, expect, it } from "vitest";
import { calendarPeriod } from "../src/bookings/calendar.service";
import { httpDrizzle } from "../src/db/client";
import { quoteSchema } from "../src/tenancy/naming";
import { seedBooking, seedCustomer, seedEvent, seedFullDay, seedService, seedStaff, type SeededStaff } from "./frontdesk-fixtures";
import { countRoundTrips, dbConfig, sql, useTenants } from "./harness";

const DAY = "2026-12-15"; // a Tuesday; Casablanca is UTC+1 then
const at = (time: string) => Date.parse(`${DAY}T${time}:00+01:00`);

describe("calendar day query", () => {
  const t = useTenants();
  let staff: SeededStaff[];
  let serviceId: string;
  let customerId: string;

  beforeAll(async () => {
    staff = await seedStaff(t.a, 20);
    serviceId = await seedService(t.a);
    customerId = await seedCustomer(t.a, "Sara Benali", "+212612345678");
    await seedFullDay(t.a, staff, serviceId, DAY, 30, customerId);
    const s = quoteSchema(t.a.schemaName);
    // Staff 02: time off 12:00–14:00; Staff 03: day off by override; Staff 04: split shift by override.
    await sql(`INSERT INTO ${s}.staff_availability (staff_id, kind, starts_at, ends_at, note) VALUES ($1, 'time_off', $2, $3, 'Dentist')`, [
      staff[1]!.id,
      new Date(at("12:00")).toISOString(),
      new Date(at("14:00")).toISOString(),
    ]);
    await sql(`INSERT INTO ${s}.staff_availability (staff_id, kind, date) VALUES ($1, 'override', $2)`, [staff[2]!.id, DAY]);
    await sql(
      `INSERT INTO ${s}.staff_availability (staff_id, kind, date, start_time, end_time) VALUES ($1, 'override', $2, '09:00', '12:00'), ($1, 'override', $2, '15:00', '19:00')`,
      [staff[3]!.id, DAY],
    );
  });

  it("reads a day of 20 staff × 30 bookings in ONE database round trip, no WebSocket", async () => {
    const db = httpDrizzle(dbConfig());
    let day: Awaited<ReturnType<typeof calendarPeriod>> | undefined;
    const trips = await countRoundTrips(async () => {
      day = await calendarPeriod(db, t.a, { from: DAY, days: 1, onlyUserId: null });
    });
    expect(trips).toMatchObject({ flights: 1, httpRequests: 1, connections: 0 });
    expect(day!.columns).toHaveLength(20);
    expect(day!.columns.map((c) => c.name)).toEqual(staff.map((f) => f.name));
    expect(day!.columns.every((c) => c.bookings.length === 30)).toBe(true);
    expect(day!.start).toBe(at("00:00"));
    expect(day!.end).toBe(at("00:00") + 86_400_000);
    const first = day!.columns[0]!;
    expect(first.hours).toEqual([{ start: at("08:00"), end: at("20:00") }]);
    expect(first.bookings[0]).toMatchObject({
      start: at("08:00"),
      end: at("08:20"),
      serviceName: "Coupe",
      customerName: "Sara Benali",
      customerPhone: "+212612345678",
      status: "pending",
      checkedIn: false,
      paidMinor: 0,
    });
    expect(first.bookings[29]!.start).toBe(at("17:40"));
    expect(day!.columns[1]!.timeOff).toEqual([{ start: at("12:00"), end: at("14:00"), note: "Dentist" }]);
    expect(day!.columns[2]!.hours).toEqual([]);
    expect(day!.columns[3]!.hours).toEqual([
      { start: at("09:00"), end: at("12:00") },
      { start: at("15:00"), end: at("19:00") },
    ]);
  });

  it("gives a staff-role user only their own column", async () => {
    const db = httpDrizzle(dbConfig());
    const own = await calendarPeriod(db, t.a, { from: DAY, days: 1, onlyUserId: staff[4]!.userId });
    expect(own.columns.map((c) => c.id)).toEqual([staff[4]!.id]);
    expect(own.columns[0]!.bookings).toHaveLength(30);
    // Asking for another staff member's week changes nothing: the scope is in the WHERE.
    const other = await calendarPeriod(db, t.a, { from: DAY, days: 7, staffId: staff[5]!.id, onlyUserId: staff[4]!.userId });
    expect(other.columns).toEqual([]);
    const unknownUser = await calendarPeriod(db, t.a, { from: DAY, days: 1, onlyUserId: crypto.randomUUID() });
    expect(unknownUser.columns).toEqual([]);
  });

  it("shows a week of one staff member, check-ins, payments and inactive staff with bookings", async () => {
    const db = httpDrizzle(dbConfig());
    const s = quoteSchema(t.b.schemaName);
    const [amina, badr] = await seedStaff(t.b, 2);
    const svc = await seedService(t.b, "Brushing", 12000, 45);
    const ids = [];
    for (const [i, date] of ["2026-12-14", "2026-12-16", "2026-12-20", "2026-12-21"].entries()) {
      ids.push(await seedBooking(t.b, { staffId: amina!.id, serviceId: svc, date, time: "10:00", contactName: `Walk-in ${i}` }));
    }
    await seedEvent(t.b, ids[1]!, "checked_in");
    await sql(
      `INSERT INTO ${s}.payment_transactions (booking_id, kind, method, amount_minor, currency) VALUES ($1, 'payment', 'cash', 5000, 'MAD')`,
      [ids[1]],
    );
    const week = await calendarPeriod(db, t.b, { from: "2026-12-14", days: 7, staffId: amina!.id, onlyUserId: null });
    expect(week.to).toBe("2026-12-20");
    expect(week.columns).toHaveLength(1);
    expect(week.columns[0]!.bookings.map((b) => b.customerName)).toEqual(["Walk-in 0", "Walk-in 1", "Walk-in 2"]);
    expect(week.columns[0]!.bookings[1]).toMatchObject({ checkedIn: true, paidMinor: 5000, priceMinor: 20000 });
    expect(week.columns[0]!.hours).toHaveLength(7);
    // An inactive staff member stays on the days they still have bookings, and only those.
    await sql(`UPDATE ${s}.staff SET is_active = false WHERE id = ANY($1::uuid[])`, [[amina!.id, badr!.id]]);
    const day = await calendarPeriod(db, t.b, { from: "2026-12-16", days: 1, onlyUserId: null });
    expect(day.columns.map((c) => [c.id, c.isActive])).toEqual([[amina!.id, false]]);
  });
});
