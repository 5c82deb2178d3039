/**
 * /admin/settings screens: the owner edits the profile (contrast refusal in
 * the page's language, the confirm step for a zone change with upcoming
 * bookings), an admin edits the booking policy but not the profile, staff
 * reach neither, and every form needs the CSRF token.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { quoteSchema } from "../src/tenancy/naming";
import { adminSession, get, type Jar, postForm } from "./admin-auth-helpers";
import { member } from "./auth-fixtures";
import { call, sql, useTenants } from "./harness";
import { daysAhead, postJson, seedCatalogue, slotsOn } from "./fixtures/booking";

const PROFILE = {
  name: "Studio Atlas",
  description: "Barbier",
  logo_url: "https://cdn.example.ma/atlas.png",
  accent_color: "#7c2d12",
  contact_phone: "0522123456",
  whatsapp: "",
  address: "3 avenue Hassan II",
  map_url: "",
  locale: "fr",
  time_zone: "Africa/Casablanca",
  currency: "MAD",
};

describe("settings screens", () => {
  const t = useTenants();
  let owner: { jar: Jar; csrf: string };
  let admin: { jar: Jar; csrf: string };
  let staff: { jar: Jar; csrf: string };

  beforeAll(async () => {
    owner = await adminSession(t.a.domain, (await member(t.a.id, "owner")).email);
    admin = await adminSession(t.a.domain, (await member(t.a.id, "admin")).email);
    staff = await adminSession(t.a.domain, (await member(t.a.id, "staff")).email);
  });

  it("shows the owner the profile and an admin the policy; staff get the 403 page", async () => {
    expect(await (await get(t.a.domain, "/admin/settings", owner.jar)).text()).toContain('action="/admin/settings/profile"');
    expect(await (await get(t.a.domain, "/admin/settings", admin.jar)).text()).toContain('action="/admin/settings/policy"');
    expect((await get(t.a.domain, "/admin/settings", staff.jar)).status).toBe(403);
    expect((await get(t.a.domain, "/admin/settings/policy", staff.jar)).status).toBe(403);
    expect((await get(t.a.domain, "/admin/settings/profile", admin.jar)).status).toBe(403);
    expect((await postForm(t.a.domain, "/admin/settings/profile", admin.jar, { _csrf: admin.csrf, ...PROFILE })).status).toBe(403);
    expect((await postForm(t.a.domain, "/admin/settings/policy", staff.jar, { _csrf: staff.csrf, slot_interval_min: "5" })).status).toBe(
      403,
    );
    const anonymous = await get(t.a.domain, "/admin/settings/profile");
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toContain("/admin/login");
  });

  it("shows the profile form with the current values; the admin's page has no profile tab", async () => {
    const page = await (await get(t.a.domain, "/admin/settings/profile", owner.jar)).text();
    expect(page).toContain(`value="${t.a.name}"`);
    expect(page).toContain('type="color"');
    expect(page).toContain("Aucun rendez-vous à venir.");
    const policy = await (await get(t.a.domain, "/admin/settings/policy", admin.jar)).text();
    expect(policy).not.toContain('href="/admin/settings/profile"');
    expect(policy).toContain('name="online_bookings_need_approval"');
  });

  it("refuses a form without the CSRF token", async () => {
    const res = await postForm(t.a.domain, "/admin/settings/profile", owner.jar, { ...PROFILE });
    expect(res.status).toBe(403);
    expect((await sql<{ name: string }>("SELECT name FROM tenants WHERE id = $1", [t.a.id]))[0]!.name).toBe(t.a.name);
  });

  it("saves the profile, and the booking page shows the new name and colour", async () => {
    const res = await postForm(t.a.domain, "/admin/settings/profile", owner.jar, { _csrf: owner.csrf, ...PROFILE });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/settings/profile?saved=1");
    const page = await (await get(t.a.domain, "/admin/settings/profile?saved=1", owner.jar)).text();
    expect(page).toContain("Modifications enregistrées.");
    expect(page).toContain('value="Studio Atlas"');
    const customer = await (await call(t.a.domain, "/", { headers: { accept: "text/html" } })).text();
    expect(customer).toContain("Studio Atlas");
    expect(customer).toContain("--a:#7c2d12");
  });

  it("refuses an unreadable accent in the page's language and keeps what was typed", async () => {
    const res = await postForm(t.a.domain, "/admin/settings/profile?lang=en", owner.jar, {
      _csrf: owner.csrf,
      ...PROFILE,
      name: "Typed name",
      accent_color: "#d9402b",
    });
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain("Text is unreadable on this colour");
    expect(page).toMatch(/id="accent_color"[^>]*aria-invalid="true"/);
    expect(page).toContain('value="Typed name"');
    expect((await sql<{ name: string }>("SELECT name FROM tenants WHERE id = $1", [t.a.id]))[0]!.name).toBe("Studio Atlas");
  });

  it("asks to confirm a time zone change while bookings are upcoming, then applies it", async () => {
    const cat = await seedCatalogue(t.a);
    const slots = await slotsOn(t.a.domain, cat.serviceId, daysAhead(4), cat.staffA.id);
    const booked = await postJson(t.a.domain, "/api/public/bookings", {
      service_id: cat.serviceId,
      staff_id: cat.staffA.id,
      start: slots[0]!.start,
      customer: { name: "Zone", email: "zone@example.ma" },
    });
    expect(booked.status).toBe(201);
    const asked = await postForm(t.a.domain, "/admin/settings/profile", owner.jar, {
      _csrf: owner.csrf,
      ...PROFILE,
      time_zone: "Europe/Paris",
    });
    expect(asked.status).toBe(409);
    const page = await asked.text();
    expect(page).toContain("1 upcoming booking(s) will be neither moved nor re-priced"); // English: remembered from ?lang=en above
    expect(page).toContain('name="confirm" value="1"');
    expect((await sql<{ time_zone: string }>("SELECT time_zone FROM tenants WHERE id = $1", [t.a.id]))[0]!.time_zone).toBe(
      "Africa/Casablanca",
    );
    const done = await postForm(t.a.domain, "/admin/settings/profile", owner.jar, {
      _csrf: owner.csrf,
      ...PROFILE,
      time_zone: "Europe/Paris",
      confirm: "1",
    });
    expect(done.status).toBe(303);
    expect((await sql<{ time_zone: string }>("SELECT time_zone FROM tenants WHERE id = $1", [t.a.id]))[0]!.time_zone).toBe("Europe/Paris");
  });

  it("lets an admin change the booking policy, including approval, with field errors", async () => {
    const fields = {
      slot_interval_min: "20",
      min_notice_min: "30",
      booking_window_days: "90",
      cancellation_cutoff_min: "60",
      reschedule_cutoff_min: "60",
      reminder_offsets_min: "120, 1440",
      max_active_bookings_per_contact: "4",
      online_bookings_need_approval: "1",
    };
    const bad = await postForm(t.a.domain, "/admin/settings/policy", admin.jar, { _csrf: admin.csrf, ...fields, slot_interval_min: "2" });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toMatch(/id="slot_interval_min"[^>]*aria-invalid="true"/);
    const res = await postForm(t.a.domain, "/admin/settings/policy", admin.jar, { _csrf: admin.csrf, ...fields });
    expect(res.status).toBe(303);
    const [row] = await sql<Record<string, unknown>>(`SELECT * FROM ${quoteSchema(t.a.schemaName)}.settings`);
    expect(row).toMatchObject({
      slot_interval_min: 20,
      booking_window_days: 90,
      reminder_offsets_min: [1440, 120],
      max_active_bookings_per_contact: 4,
      online_bookings_need_approval: true,
    });
    const page = await (await get(t.a.domain, "/admin/settings/policy?saved=1", admin.jar)).text();
    expect(page).toMatch(/name="online_bookings_need_approval"[^>]*checked/);
    // Unticked box turns approval off.
    const { online_bookings_need_approval: _, ...rest } = fields;
    expect((await postForm(t.a.domain, "/admin/settings/policy", admin.jar, { _csrf: admin.csrf, ...rest })).status).toBe(303);
    const [after] = await sql<{ online_bookings_need_approval: boolean }>(
      `SELECT online_bookings_need_approval FROM ${quoteSchema(t.a.schemaName)}.settings`,
    );
    expect(after!.online_bookings_need_approval).toBe(false);
  });

  it("renders right to left in Arabic", async () => {
    const page = await (await get(t.a.domain, "/admin/settings/policy?lang=ar", admin.jar)).text();
    expect(page).toMatch(/<html lang="ar" dir="rtl">/);
    expect(page).toContain("قواعد الحجز");
  });
});
