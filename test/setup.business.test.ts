/**
 * The business profile API (GET/PATCH /api/business): owner-only writes, the
 * accent contrast check, the confirm step for a time zone or currency change
 * with upcoming bookings, and the customer pages showing the new branding.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, countRoundTrips, json, sql, useTenants } from "./harness";
import { client, fields, tokenFor, type Client } from "./catalogue-helpers";
import { daysAhead, postJson, seedCatalogue, slotsOn } from "./fixtures/booking";

const HTML = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };

describe("business profile and branding", () => {
  const t = useTenants();
  let owner: Client;
  let admin: Client;
  let staff: Client;

  beforeAll(async () => {
    owner = client(t.a, await tokenFor(t.a, "owner"));
    admin = client(t.a, await tokenFor(t.a, "admin"));
    staff = client(t.a, await tokenFor(t.a, "staff"));
  });

  it("shows the profile to staff, with the defaults and no branding yet", async () => {
    const res = await staff("GET", "/api/business");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: t.a.name,
      locale: t.a.locale,
      time_zone: "Africa/Casablanca",
      currency: "MAD",
      logo_url: null,
      accent_color: null,
      contact_phone: null,
      whatsapp: null,
      address: null,
      map_url: null,
      description: null,
      upcoming_bookings: 0,
    });
  });

  it("lets the owner set the profile in one round trip for the write, and the customer pages show it", async () => {
    const body = {
      name: "Salon Nour",
      locale: "ar",
      logo_url: "https://cdn.example.ma/nour.png",
      accent_color: "#1E3A8A",
      contact_phone: "05 22 12 34 56",
      whatsapp: "+212612345678",
      address: "12 rue Tarik, Casablanca",
      map_url: "https://maps.example.com/?q=nour",
      description: "Coiffure et soins.",
    };
    let res!: Awaited<ReturnType<Client>>;
    const trips = await countRoundTrips(async () => {
      res = await owner("PATCH", "/api/business", body);
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ...body, accent_color: "#1E3A8A", time_zone: "Africa/Casablanca", upcoming_bookings: 0 });
    expect(trips.connections).toBe(0);
    const [stored] = await sql<{ settings: Record<string, unknown>; name: string; locale: string }>(
      "SELECT c.settings, t.name, t.locale FROM tenant_config c JOIN tenants t ON t.id = c.tenant_id WHERE t.id = $1",
      [t.a.id],
    );
    expect(stored).toMatchObject({
      name: "Salon Nour",
      locale: "ar",
      settings: { accentColor: "#1E3A8A", contactPhone: "05 22 12 34 56" },
    });

    // The cached tenant context was dropped: the booking page greets with the new name, accent and logo.
    const page = await (await call(t.a.domain, "/?lang=fr", { headers: HTML })).text();
    expect(page).toContain("Salon Nour");
    expect(page).toContain("--a:#1e3a8a");
    expect(page).toContain("https://cdn.example.ma/nour.png");
  });

  it("clears an optional field with null or an empty string and keeps the others", async () => {
    const res = await owner("PATCH", "/api/business", { whatsapp: null, description: "" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ whatsapp: null, description: null, contact_phone: "05 22 12 34 56", name: "Salon Nour" });
  });

  it("refuses an accent colour no text is readable on, with a clear message, and changes nothing", async () => {
    const before = (await owner("GET", "/api/business")).body;
    const res = await owner("PATCH", "/api/business", { accent_color: "#d9402b", name: "Not saved" });
    expect(res.status).toBe(422);
    expect(fields(res)).toEqual(["accent_color"]);
    expect(res.body.errors[0].message).toMatch(/unreadable.*4\.5:1.*darker or a lighter/);
    expect((await owner("GET", "/api/business")).body).toEqual(before);
    // Light and dark accents pass (dark text or white text on them).
    expect((await owner("PATCH", "/api/business", { accent_color: "#ffe066" })).status).toBe(200);
    expect((await owner("PATCH", "/api/business", { accent_color: "#1e3a8a" })).status).toBe(200);
  });

  it.each([
    [{ accent_color: "red" }, "accent_color"],
    [{ logo_url: "javascript:alert(1)" }, "logo_url"],
    [{ map_url: "ftp://example.com/x" }, "map_url"],
    [{ currency: "mad" }, "currency"],
    [{ locale: "de" }, "locale"],
    [{ time_zone: "Mars/Olympus" }, "time_zone"],
    [{ name: "" }, "name"],
    [{ contact_phone: "call me" }, "contact_phone"],
    [{ slot_interval_min: 10 }, ""],
  ])("refuses %j with 422", async (body, field) => {
    const res = await owner("PATCH", "/api/business", body);
    expect(res.status).toBe(422);
    if (field) expect(fields(res)).toContain(field);
  });

  it("keeps writes for the owner: admin and staff are refused, other tenants' tokens too", async () => {
    expect((await admin("PATCH", "/api/business", { name: "Admin" })).status).toBe(403);
    expect((await staff("PATCH", "/api/business", { name: "Staff" })).status).toBe(403);
    expect((await client(t.a)("GET", "/api/business")).status).toBe(401);
    expect((await client(t.a, await tokenFor(t.b, "owner"))("PATCH", "/api/business", { name: "B" })).status).toBe(401);
    expect((await owner("GET", "/api/business")).body.name).toBe("Salon Nour");
  });

  it("asks to confirm a time zone or currency change while bookings are upcoming, then applies it", async () => {
    const cat = await seedCatalogue(t.a);
    const slots = await slotsOn(t.a.domain, cat.serviceId, daysAhead(5), cat.staffA.id);
    const booked = await postJson(t.a.domain, "/api/public/bookings", {
      service_id: cat.serviceId,
      staff_id: cat.staffA.id,
      start: slots[0]!.start,
      customer: { name: "Upcoming", email: "upcoming@example.ma" },
    });
    expect(booked.status).toBe(201);

    const refused = await owner("PATCH", "/api/business", { time_zone: "Europe/Paris", currency: "EUR" });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ reason: "confirm_required", upcoming_bookings: 1 });
    expect(refused.body.detail).toMatch(/1 upcoming booking\(s\).*time zone and currency/);
    expect((await owner("GET", "/api/business")).body).toMatchObject({
      time_zone: "Africa/Casablanca",
      currency: "MAD",
      upcoming_bookings: 1,
    });

    // Unchanged values need no confirmation; other fields go through.
    expect((await owner("PATCH", "/api/business", { time_zone: "Africa/Casablanca", name: "Salon Nour" })).status).toBe(200);

    const done = await owner("PATCH", "/api/business", { time_zone: "Europe/Paris", currency: "EUR", confirm: true });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ time_zone: "Europe/Paris", currency: "EUR", upcoming_bookings: 1 });
    // The settings endpoint reads the new tenant context (host cache dropped).
    expect((await owner("GET", "/api/settings")).body).toMatchObject({ time_zone: "Europe/Paris", currency: "EUR" });
  });

  it("changes nothing on the other tenant", async () => {
    const other = await client(t.b, await tokenFor(t.b, "staff"))("GET", "/api/business");
    expect(other.body).toMatchObject({ name: t.b.name, accent_color: null, time_zone: "Africa/Casablanca" });
    void json;
  });
});
