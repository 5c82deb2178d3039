/**
 * The manage link (page and API) at its edges: a closed booking is read-only,
 * rescheduling asks for confirmation, the calendar file is a valid PUBLISH
 * file, and phone numbers stay left-to-right on the Arabic pages.
 */
import { describe, expect, it } from "vitest";
import { quoteSchema } from "../src/tenancy/naming";
import { call, json, sql, useTenants } from "./harness";
import { counts, daysAhead, postJson, seedCatalogue, slotsOn } from "./fixtures/booking";

const HTML = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };
const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { ...HTML, "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
  redirect: "manual" as const,
});
const LRI = "\u2066";
const PDI = "\u2069";

describe("manage link edges", () => {
  const t = useTenants();

  async function book(day: number, n = 0) {
    const cat = await seedCatalogue(t.a);
    const slots = await slotsOn(t.a.domain, cat.serviceId, daysAhead(day), cat.staffA.id);
    const res = await postJson(t.a.domain, "/api/public/bookings", {
      service_id: cat.serviceId,
      staff_id: cat.staffA.id,
      start: slots[n]!.start,
      customer: { name: `Manage ${day}-${n}`, email: `manage${day}${n}@example.ma` },
    });
    expect(res.status).toBe(201);
    const body = await json(res);
    return { cat, slots, booking: body.booking as { id: string; start: string }, token: body.manage.token as string };
  }

  it("shows a cancelled booking read-only and refuses every action, on the API and the pages, writing nothing", async () => {
    const { slots, booking, token } = await book(40);
    expect((await call(t.a.domain, `/api/public/bookings/manage/${token}/cancel`, { method: "POST" })).status).toBe(200);
    const before = await counts(t.a);
    const eventsBefore = await sql(`SELECT id FROM ${quoteSchema(t.a.schemaName)}.booking_events WHERE booking_id = $1`, [booking.id]);

    const view = await call(t.a.domain, `/api/public/bookings/manage/${token}`);
    expect(view.status).toBe(200);
    expect(await json(view)).toMatchObject({
      booking: { id: booking.id, status: "cancelled" },
      read_only: true,
      can_cancel: false,
      can_reschedule: false,
    });
    for (const [path, body] of [
      ["cancel", undefined],
      ["reschedule", { start: slots[3]!.start }],
    ] as const) {
      const res = body
        ? await postJson(t.a.domain, `/api/public/bookings/manage/${token}/${path}`, body)
        : await call(t.a.domain, `/api/public/bookings/manage/${token}/${path}`, { method: "POST" });
      expect(res.status, path).toBe(409);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      const problem = await json(res);
      expect(problem.reason).toBe("invalid_transition");
      expect(problem.detail).toContain("cancelled");
    }

    const page = await call(t.a.domain, `/manage/${token}?lang=en`, { headers: HTML });
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain("Cancelled");
    for (const action of ["/cancel", "/reschedule", "calendar.ics", "<form"])
      expect(text, action).not.toContain(action === "<form" ? action : `${token}${action.startsWith("/") ? action : `/${action}`}`);

    const refusals: [string, RequestInit][] = [
      [`/manage/${token}/cancel?lang=en`, { headers: HTML }],
      [`/manage/${token}/cancel`, form({ lang: "en" })],
      [`/manage/${token}/reschedule?lang=en`, { headers: HTML }],
      [`/manage/${token}/reschedule/confirm?lang=en&start=${encodeURIComponent(slots[3]!.start)}`, { headers: HTML }],
      [`/manage/${token}/reschedule`, form({ lang: "en", start: slots[3]!.start })],
      [`/manage/${token}/calendar.ics?lang=en`, { headers: HTML }],
    ];
    for (const [path, init] of refusals) {
      const res = await call(t.a.domain, path, init);
      expect(res.status, path).toBe(409);
      expect(res.headers.get("content-type"), path).toMatch(/text\/html/);
      const body = await res.text();
      expect(body, path).toContain("This appointment can no longer be changed.");
      expect(body, path).not.toContain("BEGIN:VCALENDAR");
    }
    expect(await counts(t.a)).toEqual(before);
    expect(await sql(`SELECT id FROM ${quoteSchema(t.a.schemaName)}.booking_events WHERE booking_id = $1`, [booking.id])).toEqual(
      eventsBefore,
    );
    const [row] = await sql<{ status: string; starts_at: Date | string }>(
      `SELECT status, starts_at FROM ${quoteSchema(t.a.schemaName)}.bookings WHERE id = $1`,
      [booking.id],
    );
    expect(row!.status).toBe("cancelled");
    expect(new Date(row!.starts_at).getTime()).toBe(Date.parse(booking.start));
  });

  it("asks for confirmation before rescheduling from the manage page, and moves only on the confirming POST", async () => {
    const { slots, booking, token } = await book(41);
    const date = daysAhead(41);
    const picker = await (await call(t.a.domain, `/manage/${token}/reschedule?date=${date}&lang=en`, { headers: HTML })).text();
    // Picking a time is a link to the confirmation page, never a form that moves the booking at once.
    expect(picker).not.toMatch(/<form method="post" action="\/manage\/[^"]+\/reschedule"/);
    const target = slots[4]!.start;
    const confirmHref = `/manage/${token}/reschedule/confirm?start=${encodeURIComponent(new Date(target).toISOString())}&amp;lang=en`;
    expect(picker).toContain(confirmHref);

    const confirm = await call(t.a.domain, confirmHref.replace("&amp;", "&"), { headers: HTML });
    expect(confirm.status).toBe(200);
    const page = await confirm.text();
    expect(page).toContain("Move your appointment to this new time?");
    expect(page).toContain(`<form method="post" action="/manage/${token}/reschedule"`);
    expect(page).toContain(`name="start" value="${new Date(target).toISOString()}"`);
    expect(page).toContain("No, keep the current time");
    const [still] = await sql<{ starts_at: Date | string }>(`SELECT starts_at FROM ${quoteSchema(t.a.schemaName)}.bookings WHERE id = $1`, [
      booking.id,
    ]);
    expect(new Date(still!.starts_at).getTime()).toBe(Date.parse(booking.start));

    // A time that is not offered (the current one, or junk) goes back to the picker instead.
    const current = await call(t.a.domain, `/manage/${token}/reschedule/confirm?lang=en&start=${encodeURIComponent(booking.start)}`, {
      headers: HTML,
    });
    expect(current.status).toBe(409);
    expect(await current.text()).not.toContain("Move your appointment to this new time?");
    expect(
      (await call(t.a.domain, `/manage/${token}/reschedule/confirm?lang=en&start=nope`, { headers: HTML, redirect: "manual" })).status,
    ).toBe(303);

    const moved = await call(t.a.domain, `/manage/${token}/reschedule`, form({ lang: "en", start: new Date(target).toISOString() }));
    expect(moved.status).toBe(303);
    expect(moved.headers.get("location")).toMatch(/moved=1/);
    const [after] = await sql<{ starts_at: Date | string }>(`SELECT starts_at FROM ${quoteSchema(t.a.schemaName)}.bookings WHERE id = $1`, [
      booking.id,
    ]);
    expect(new Date(after!.starts_at).getTime()).toBe(Date.parse(target));
  });

  it("serves a calendar file that calendar clients accept: PUBLISH with ORGANIZER, UID, DTSTAMP, CRLF, folded lines", async () => {
    const { booking, token } = await book(42);
    const res = await call(t.a.domain, `/manage/${token}/calendar.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const ics = await res.text();
    expect(ics.endsWith("\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const physical = ics.split("\r\n").slice(0, -1);
    for (const line of physical) expect(new TextEncoder().encode(line).length, line).toBeLessThanOrEqual(75);
    const lines = ics
      .replace(/\r\n[ \t]/g, "")
      .split("\r\n")
      .slice(0, -1);
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines.at(-1)).toBe("END:VCALENDAR");
    const calendar = lines.filter((l) => !/^(BEGIN|END):VEVENT$/.test(l));
    expect(calendar).toContain("VERSION:2.0");
    expect(calendar.some((l) => l.startsWith("PRODID:"))).toBe(true);
    expect(lines).toContain("METHOD:PUBLISH");
    expect(lines.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(1);
    const event = lines.slice(lines.indexOf("BEGIN:VEVENT") + 1, lines.indexOf("END:VEVENT"));
    const prop = (name: string) => event.filter((l) => l.split(/[:;]/)[0] === name);
    for (const name of ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "ORGANIZER"]) expect(prop(name), name).toHaveLength(1);
    expect(prop("UID")[0]).toBe(`UID:${booking.id}@${t.a.domain}`);
    expect(prop("DTSTAMP")[0]).toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/);
    expect(prop("DTSTART")[0]).toBe(`DTSTART:${booking.start.replace(/[-:]/g, "").replace(/\.\d{3}/, "")}`);
    expect(prop("ORGANIZER")[0]).toMatch(/^ORGANIZER;CN="[^"]+":mailto:no-reply@/);
    expect(prop("ATTENDEE")).toHaveLength(0);
  });

  it("keeps the Moroccan phone example and the contact phone left-to-right on Arabic pages", async () => {
    const { cat, slots } = await book(43);
    await sql(`UPDATE tenant_config SET settings = settings || '{"contactPhone":"05 22 12 34 56"}'::jsonb WHERE tenant_id = $1`, [t.a.id]);
    const start = slots[6]!.start;
    const details = await (
      await call(t.a.domain, `/?service=${cat.serviceId}&staff=${cat.staffA.id}&start=${encodeURIComponent(start)}&lang=ar`, {
        headers: HTML,
      })
    ).text();
    expect(details).toMatch(/^<!DOCTYPE html><html lang="ar" dir="rtl">/);
    expect(details).toContain(`${LRI}06 12 34 56 78${PDI}`);
    expect(details).toContain(`${LRI}+212 6 12 34 56 78${PDI}`);
    expect(details).toMatch(/<input[^>]*id="phone"[^>]*dir="ltr"|<input[^>]*dir="ltr"[^>]*id="phone"/);
    // The error message repeats the example, also isolated.
    const bad = await call(
      t.a.domain,
      "/book",
      form({
        service: cat.serviceId,
        staff: cat.staffA.id,
        start,
        key: crypto.randomUUID(),
        name: "سارة",
        email: "",
        phone: "12",
        notes: "",
        lang: "ar",
      }),
    );
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain(`(${LRI}06 12 34 56 78${PDI})`);
    // Past the cut-off the manage page gives the business's phone, isolated too.
    const { token } = await book(44);
    await sql(`UPDATE ${quoteSchema(t.a.schemaName)}.settings SET cancellation_cutoff_min = 100000, reschedule_cutoff_min = 100000`);
    try {
      const page = await (await call(t.a.domain, `/manage/${token}?lang=ar`, { headers: HTML })).text();
      expect(page).toContain(`(${LRI}05 22 12 34 56${PDI})`);
    } finally {
      await sql(`UPDATE ${quoteSchema(t.a.schemaName)}.settings SET cancellation_cutoff_min = 120, reschedule_cutoff_min = 120`);
    }
  });
});
