/**
 * Customer pages inside workerd (the browser journeys are in test/e2e): pure
 * helpers (language choice, branding contrast, form checks, Intl formats) and
 * the HTML-vs-problem+json split of errors.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { Temporal } from "temporal-polyfill";
import { loadAvailabilityInput, OTHER_SERVICE } from "../src/bookings/slot-input.service";
import { httpDrizzle } from "../src/db/client";
import { quoteSchema } from "../src/tenancy/naming";
import { brandingFrom, contrast } from "../src/web/branding";
import { checkBookingForm, readBookingForm } from "../src/web/form";
import { formatDuration, formatPrice, formatTime } from "../src/web/format";
import { chooseLang, fromAcceptLanguage, messages } from "../src/web/i18n";
import { daysAhead, seedCatalogue, settledRoundTrips } from "./fixtures/booking";
import { call, dbConfig, sql, useTenants } from "./harness";

const HTML = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };

describe("language choice", () => {
  it("prefers ?lang=, then the cookie, then Accept-Language, then the tenant default", () => {
    expect(chooseLang({ query: "ar", cookie: "bm_lang=en", acceptLanguage: "fr" })).toEqual({ lang: "ar", explicit: true });
    expect(chooseLang({ query: "de", cookie: "x=1; bm_lang=en", acceptLanguage: "fr" })).toEqual({ lang: "en", explicit: false });
    expect(chooseLang({ acceptLanguage: "de-DE,ar-MA;q=0.8,en;q=0.9" }).lang).toBe("en");
    expect(chooseLang({ acceptLanguage: "de", fallback: "ar" }).lang).toBe("ar");
    expect(chooseLang({}).lang).toBe("fr");
    expect(fromAcceptLanguage("en;q=0, ar")).toBe("ar");
  });
});

describe("formats", () => {
  it("formats through Intl in each language, Western digits in Arabic", () => {
    const ms = Date.parse("2026-12-01T13:30:00Z");
    expect(formatTime("fr", "Africa/Casablanca", ms)).toBe("14:30");
    expect(formatTime("ar", "Africa/Casablanca", ms)).toBe("14:30");
    expect(formatPrice("ar", 25000, "MAD")).toMatch(/250/);
    expect(formatPrice("fr", 25050, "MAD")).toMatch(/250,50/);
    expect(formatDuration("fr", 45)).toMatch(/45\s?min/);
    expect(formatDuration("en", 90)).toMatch(/1\s?hr?\s+30\s?min/);
  });
});

describe("branding", () => {
  it("keeps text readable whatever accent the business picks", () => {
    const light = brandingFrom({ accentColor: "#ffe066", logoUrl: "javascript:alert(1)" });
    expect(light.onAccent).toBe("#111111");
    expect(contrast(light.accentText, "#ffffff")).toBeGreaterThanOrEqual(4.5);
    expect(light.logoUrl).toBeNull();
    const dark = brandingFrom({ accentColor: "#1E3A8A", logoUrl: "https://cdn.example.ma/logo.png" });
    expect(dark).toMatchObject({
      accent: "#1e3a8a",
      onAccent: "#ffffff",
      accentText: "#1e3a8a",
      logoUrl: "https://cdn.example.ma/logo.png",
    });
    expect(brandingFrom({ accentColor: "red" }).accent).toBe("#0f766e");
  });
});

describe("booking form checks", () => {
  const m = messages("fr");
  it("names each bad field and accepts Moroccan national phone numbers", () => {
    const form = readBookingForm({ name: " ", email: "not-an-email", phone: "12 34", notes: "x".repeat(1001) });
    expect(Object.keys(checkBookingForm(form, m, "MA")).sort()).toEqual(["email", "name", "notes", "phone"]);
    expect(checkBookingForm(readBookingForm({ name: "Sara" }), m, "MA")).toEqual({ contact: m.errors.contact });
    expect(checkBookingForm(readBookingForm({ name: "Sara", phone: "06 12 34 56 78" }), m, "MA")).toEqual({});
  });
});

describe("pages and errors over HTTP", () => {
  const t = useTenants();

  it("serves the booking start page as HTML in the language asked for", async () => {
    const res = await call(t.a.domain, "/?lang=ar", { headers: HTML });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(res.headers.get("set-cookie")).toContain("bm_lang=ar");
    const body = await res.text();
    expect(body).toMatch(/^<!DOCTYPE html><html lang="ar" dir="rtl">/);
  });

  it("reads the accent colour from the tenant config", async () => {
    await sql(`UPDATE tenant_config SET settings = '{"accentColor":"#1e3a8a"}'::jsonb WHERE tenant_id = $1`, [t.b.id]);
    const body = await (await call(t.b.domain, "/", { headers: HTML })).text();
    expect(body).toContain("--a:#1e3a8a");
  });

  it("renders an HTML 404 for a browser on an unknown host, problem+json on /api", async () => {
    const page = await call("nobody.bookme.test", "/", { headers: HTML });
    expect(page.status).toBe(404);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toContain("Adresse inconnue");
    const api = await call("nobody.bookme.test", "/api/tenant", { headers: HTML });
    expect(api.status).toBe(404);
    expect(api.headers.get("content-type")).toBe("application/problem+json");
    const missing = await call(t.a.domain, "/api/nothing-here", { headers: HTML });
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
  });

  it("keeps problem+json for non-browser clients outside /api", async () => {
    const res = await call("nobody.bookme.test", "/", { headers: { accept: "application/json" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it("shows a friendly 404 page for a forged manage link and for another tenant's service", async () => {
    const res = await call(t.a.domain, "/manage/abc.def.ghi", { headers: HTML });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Lien non valable");
    const svc = await call(t.a.domain, "/?service=00000000-0000-4000-8000-000000000000&staff=any", { headers: HTML });
    expect(svc.status).toBe(404);
    expect(svc.headers.get("content-type")).toMatch(/text\/html/);
  });
});

describe("customer pages' database work", () => {
  const t = useTenants();
  let cat: Awaited<ReturnType<typeof seedCatalogue>>;
  let start = "";

  beforeAll(async () => {
    cat = await seedCatalogue(t.a, { serviceName: "Coupe test" });
    await sql(`UPDATE tenant_config SET settings = '{"accentColor":"#1e3a8a"}'::jsonb WHERE tenant_id = $1`, [t.a.id]);
    await call(t.a.domain, "/api/tenant"); // the host is cached: pages pay only their own statements
  });

  const page = async (path: string) => {
    let body = "";
    const stats = await settledRoundTrips(async () => {
      const res = await call(t.a.domain, path, { headers: HTML });
      expect(res.status, path).toBe(200);
      body = await res.text();
    });
    return { stats, body };
  };
  const ONE_HTTP_STATEMENT = { connections: 0, flights: 1, httpRequests: 1 };

  it("time step: the strip and the (uncached) branding in one HTTP statement", async () => {
    const { stats, body } = await page(`/?service=${cat.serviceId}&staff=any&from=${daysAhead(10)}&lang=fr`);
    expect(stats).toEqual(ONE_HTTP_STATEMENT);
    expect(body).toContain("--a:#1e3a8a");
    start = decodeURIComponent(/[?&;]start=([^&"]+)/.exec(body.replaceAll("&amp;", "&"))?.[1] ?? "");
    expect(start).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("start page and staff step: services and fresh branding in one HTTP statement", async () => {
    const first = await page("/?lang=fr");
    expect(first.stats).toEqual(ONE_HTTP_STATEMENT);
    expect(first.body).toContain("Coupe test");
    expect(first.body).toContain("--a:#1e3a8a");
    const staff = await page(`/?service=${cat.serviceId}&lang=fr`);
    expect(staff.stats).toEqual(ONE_HTTP_STATEMENT);
    expect(staff.body).toContain("Amina");
  });

  it("details step: one HTTP statement (branding cached)", async () => {
    const { stats, body } = await page(`/?service=${cat.serviceId}&staff=any&start=${encodeURIComponent(start)}&lang=fr`);
    expect(stats).toEqual(ONE_HTTP_STATEMENT);
    expect(body).toContain('name="email"');
  });
});

describe("availability load", () => {
  const t = useTenants();

  /** First instant of a local date of the tenant zone (Temporal, independent of the loader's own code). */
  const midnight = (date: string, zone: string) => Temporal.PlainDate.from(date).toZonedDateTime(zone).epochMilliseconds;
  const at = (ms: number) => new Date(ms).toISOString();

  it("reads the busy blocks of the window the rules can touch, exact to the millisecond, in one HTTP round trip", async () => {
    const cat = await seedCatalogue(t.a, { durationMin: 60, bufferBeforeMin: 10, bufferAfterMin: 15, capacity: 3 });
    const s = quoteSchema(t.a.schemaName);
    const [other] = await sql<{ id: string }>(
      `INSERT INTO ${s}.services (name, duration_min, price_minor, currency) VALUES ('Other', 30, 0, 'MAD') RETURNING id`,
    );
    const from = daysAhead(40);
    const to = daysAhead(41);
    const lo = midnight(from, t.a.timeZone) - 10 * 60_000;
    const hi = midnight(Temporal.PlainDate.from(to).add({ days: 1 }).toString(), t.a.timeZone) + 75 * 60_000;
    const book = async (
      serviceId: string,
      blockedFrom: number,
      blockedUntil: number,
      opts: { status?: string; seats?: number; staffId?: string } = {},
    ) => {
      const id = crypto.randomUUID();
      await sql(
        `INSERT INTO ${s}.bookings (id, service_id, staff_id, starts_at, ends_at, blocked_from, blocked_until, session_key, seats, status, price_minor, currency)
         VALUES ($1, $2, $3, $4, $5, $4, $5, $6, $7, $8, 0, 'MAD')`,
        [id, serviceId, opts.staffId ?? cat.staffA.id, at(blockedFrom), at(blockedUntil), id, opts.seats ?? 1, opts.status ?? "confirmed"],
      );
    };
    const odd = midnight(from, t.a.timeZone) + 10 * 3_600_000 + 17_123;
    // Badr's two bookings touch the window from outside: not needed.
    await book(other!.id, lo - 3_600_000, lo, { staffId: cat.staffB.id });
    await book(other!.id, hi, hi + 3_600_000, { staffId: cat.staffB.id });
    await book(other!.id, lo + 1 - 7_200_000, lo + 1); // ends 1 ms inside it
    await book(other!.id, odd, odd + 3_599_877); // odd milliseconds
    await book(cat.serviceId, odd + 7_200_000, odd + 10_800_000, { seats: 2 }); // a session of the group service
    await book(other!.id, odd + 14_400_000, odd + 15_000_000, { status: "cancelled" });
    await book(other!.id, hi - 1, hi + 3_600_000); // starts 1 ms before the window ends
    await sql(
      `INSERT INTO ${s}.staff_availability (staff_id, kind, starts_at, ends_at) VALUES ($1, 'time_off', $2, $3), ($1, 'time_off', $4, $5)`,
      [cat.staffA.id, at(lo - 86_400_000), at(lo + 500), at(hi), at(hi + 86_400_000)],
    );
    await sql(
      `INSERT INTO ${s}.staff_availability (staff_id, kind, date, start_time, end_time)
       VALUES ($1, 'override', $2, '10:00', '12:00'), ($1, 'override', $2, '14:30', '00:00'), ($1, 'override', $3, NULL, NULL)`,
      [cat.staffA.id, from, to],
    );

    const db = httpDrizzle(dbConfig());
    let input: Awaited<ReturnType<typeof loadAvailabilityInput>> | undefined;
    const stats = await settledRoundTrips(async () => {
      input = await loadAvailabilityInput(db, t.a, { serviceId: cat.serviceId, from, to });
    });
    expect(stats).toEqual({ connections: 0, flights: 1, httpRequests: 1 });
    expect(input!.service).toMatchObject({ id: cat.serviceId, durationMin: 60, bufferBeforeMin: 10, bufferAfterMin: 15, capacity: 3 });
    const amina = input!.staff.find((f) => f.staffId === cat.staffA.id)!;
    expect(amina.weekly).toHaveLength(7);
    expect(amina.weekly[0]).toMatchObject({ start: "09:00", end: "17:00" });
    expect([...amina.overrides].sort((x, y) => (x.date < y.date ? -1 : 1))).toEqual([
      {
        date: from,
        ranges: expect.arrayContaining([
          { start: "10:00", end: "12:00" },
          { start: "14:30", end: "24:00" },
        ]),
      },
      { date: to, ranges: [] },
    ]);
    const busy = [...amina.busy].sort((x, y) => x.start - y.start);
    expect(busy).toEqual([
      { start: lo - 86_400_000, end: lo + 500 },
      { start: lo + 1 - 7_200_000, end: lo + 1, serviceId: OTHER_SERVICE },
      { start: odd, end: odd + 3_599_877, serviceId: OTHER_SERVICE },
      { start: odd + 7_200_000, end: odd + 10_800_000, serviceId: cat.serviceId, slotStart: odd + 7_200_000, seats: 2 },
      { start: hi - 1, end: hi + 3_600_000, serviceId: OTHER_SERVICE },
    ]);
    expect(input!.staff.find((f) => f.staffId === cat.staffB.id)!.busy).toEqual([]);
    // The rescheduled booking itself is left out on request.
    const [session] = await sql<{ id: string }>(`SELECT id FROM ${s}.bookings WHERE service_id = $1`, [cat.serviceId]);
    const without = await loadAvailabilityInput(db, t.a, { serviceId: cat.serviceId, from, to, excludeBookingId: session!.id });
    expect(without.staff.find((f) => f.staffId === cat.staffA.id)!.busy.some((b) => b.serviceId === cat.serviceId)).toBe(false);
    // Unknown service: no staff, no service, default-free settings row still read.
    const unknown = await loadAvailabilityInput(db, t.a, { serviceId: crypto.randomUUID(), from, to });
    expect(unknown).toMatchObject({ service: null, staff: [], resources: [], idempotent: null });
  });
});
