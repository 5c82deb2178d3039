/**
 * The calendar grid as a pure function: on a clock-change day a booking sits
 * on the row of its wall-clock time (10:00 on the 10:00 row), as it does on
 * every other day, and a week view's days start at real local midnights.
 */
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { localDayWindow } from "../src/bookings/calendar.service";
import { frontdeskMessages } from "../src/admin/i18n/frontdesk";
import { type GridColumn, renderGrid } from "../src/admin/calendar.view";

const ZONE = "Europe/Paris"; // 2027-03-28: 02:00 → 03:00
const at = (local: string) => Temporal.PlainDateTime.from(local).toZonedDateTime(ZONE).epochMilliseconds;

function column(day: string, bookingStart: string): GridColumn {
  const { start } = localDayWindow(ZONE, day, day);
  return {
    key: day,
    title: day,
    dayStart: start,
    hours: [{ start: at(`${day}T09:00`), end: at(`${day}T18:00`) }],
    timeOff: [],
    bookings: [
      {
        id: `b-${day}`,
        start: at(`${day}T${bookingStart}`),
        end: at(`${day}T${bookingStart}`) + 3_600_000,
        status: "confirmed",
        checkedIn: false,
        customerName: "Sara",
        serviceName: "Coupe",
      } as GridColumn["bookings"][number],
    ],
  };
}

async function rowOf(columns: GridColumn[], bookingId: string): Promise<{ booking: string; label: string }> {
  const { grid } = renderGrid({ lang: "en", zone: ZONE, m: frontdeskMessages("en"), columns, now: 0, label: "day" });
  const html = String(await (grid as { toString(): string | Promise<string> }).toString());
  const booking = html.match(new RegExp(`class="bk st-confirmed (r\\d+) s\\d+"[^>]*href="/admin/bookings/${bookingId}"`))?.[1];
  const label = html.match(/class="tl (r\d+) s\d+"[^>]*>10:00</)?.[1];
  return { booking: booking ?? "none", label: label ?? "none" };
}

describe("calendar grid", () => {
  it("puts a 10:00 booking on the 10:00 row on a spring-forward day", async () => {
    const { booking, label } = await rowOf([column("2027-03-28", "10:00")], "b-2027-03-28");
    expect(booking).not.toBe("none");
    expect(booking).toBe(label);
  });

  it("puts it on the same row on an ordinary day and after a fall-back day", async () => {
    for (const day of ["2027-03-30", "2027-10-31"]) {
      const { booking, label } = await rowOf([column(day, "10:00")], `b-${day}`);
      expect(booking).toBe(label);
    }
  });

  it("starts each day of a week at its own local midnight across the change", () => {
    const sat = localDayWindow(ZONE, "2027-03-27", "2027-03-27");
    const sun = localDayWindow(ZONE, "2027-03-28", "2027-03-28");
    expect(sun.start).toBe(sat.end);
    expect(sun.end - sun.start).toBe(23 * 3_600_000);
  });
});
