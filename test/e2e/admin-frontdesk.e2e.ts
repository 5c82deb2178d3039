/**
 * A receptionist's day in real Chromium: sign in, open today, book a walk-in
 * for an existing customer at a custom time, check in, complete, take a cash
 * payment, see it in the day's takings. A staff login sees only its own
 * column and cannot open another staff member's booking; an Arabic session
 * renders right to left; axe (no serious violations) at 1280 and 360 px;
 * screenshots in test-artifacts/frontdesk-*.png.
 */
import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/auth/passwords";
import { toDrizzle, withClient } from "../../src/db/client";
import { tenantMemberships, tenants as tenantsTable, users } from "../../src/db/schema/public";
import { tenantTables } from "../../src/db/schema/tenant";
import { earlierToday, laterToday } from "../fixtures/local-day";
import { e2e, expectAccessible, launch, newContext, shot, urlOf } from "./helpers";

const PASSWORD = "Front-Desk-2026";
const run = Math.random().toString(36).slice(2, 8);
const OWNER = { email: `desk-${run}@example.ma`, name: "Nadia Berrada", role: "owner" as const };
const STAFF = { email: `youssef-${run}@example.ma`, name: "Youssef", role: "staff" as const };
const CUSTOMER = { name: `Sara Benali ${run}`, phone: `+2126${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}` };

let browser: Browser;
let salmaBooking = "";

const wallClock = (ms: number) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: "Africa/Casablanca", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(ms);

beforeAll(async () => {
  browser = await launch();
  const { db, tenants } = e2e();
  const hash = await hashPassword(PASSWORD);
  const t = tenantTables(tenants.main.schemaName);
  await withClient(db, async (c) => {
    const d = toDrizzle(c);
    const [tenant] = await d.select({ id: tenantsTable.id }).from(tenantsTable).where(eq(tenantsTable.slug, tenants.main.slug));
    const ids: Record<string, string> = {};
    for (const person of [OWNER, STAFF]) {
      const [user] = await d
        .insert(users)
        .values({ email: person.email, displayName: person.name, passwordHash: hash })
        .returning({ id: users.id });
      await d.insert(tenantMemberships).values({ tenantId: tenant!.id, userId: user!.id, role: person.role });
      ids[person.role] = user!.id;
    }
    // The staff login is Youssef's; Salma has a booking later today that Youssef must not open.
    await d.update(t.staff).set({ userId: ids.staff }).where(eq(t.staff.displayName, "Youssef"));
    await d.insert(t.customers).values({ name: CUSTOMER.name, phone: CUSTOMER.phone });
    const [salma] = await d.select({ id: t.staff.id }).from(t.staff).where(eq(t.staff.displayName, "Salma"));
    const [service] = await d.select({ id: t.services.id }).from(t.services).where(eq(t.services.name, "Brushing"));
    const start = new Date(laterToday("Africa/Casablanca", 3));
    const end = new Date(start.getTime() + 30 * 60_000);
    const id = crypto.randomUUID();
    await d.insert(t.bookings).values({
      id,
      serviceId: service!.id,
      staffId: salma!.id,
      contactName: "Karima (appel)",
      contactPhone: "+212600000001",
      startsAt: start,
      endsAt: end,
      blockedFrom: start,
      blockedUntil: end,
      sessionKey: id,
      status: "confirmed",
      priceMinor: 15000,
      currency: "MAD",
      source: "staff",
    });
    salmaBooking = id;
  });
});

afterAll(async () => {
  await browser?.close();
  await withClient(e2e().db, async (c) => {
    const d = toDrizzle(c);
    for (const person of [OWNER, STAFF]) await d.delete(users).where(eq(users.email, person.email));
  }).catch(() => {});
});

async function signIn(page: Page, email: string, next = "/admin/calendar") {
  const { tenants } = e2e();
  await page.goto(urlOf(tenants.main, next));
  await page.waitForURL(/\/admin\/login/);
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", PASSWORD);
  await page.locator("button[type=submit]").first().click();
  await page.waitForURL((url) => !url.pathname.startsWith("/admin/login"));
}

describe("front desk (receptionist's day)", () => {
  it("books a walk-in for an existing customer, checks in, completes, takes cash and sees it in the day's takings", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser, { width: 1280 });
    const page = await context.newPage();
    await signIn(page, OWNER.email);
    expect(page.url()).toMatch(/\/admin\/calendar$/);
    expect(await page.locator(".ch h3").allTextContents()).toEqual(["Salma", "Youssef"]);
    expect(await page.locator("a.bk").filter({ hasText: "Karima" }).count()).toBe(1);
    await shot(page, "frontdesk-1-calendar-fr-1280");
    await expectAccessible(page, "calendar fr 1280");

    await page.getByRole("link", { name: "Nouveau rendez-vous" }).click();
    await page.selectOption("#b-service", { label: "Coupe femme" });
    await page.selectOption("#b-staff", { label: "Salma" });
    await page.fill("#b-q", CUSTOMER.phone.replace("+212", "0"));
    await page.getByRole("button", { name: "Voir les heures libres" }).click();
    await page.waitForSelector("input[name=customer_id]");
    // A walk-in who arrived ten minutes ago: a custom time, in the past.
    await page.fill("#b-custom", wallClock(earlierToday("Africa/Casablanca")));
    await page.getByLabel(new RegExp(CUSTOMER.name)).check();
    await shot(page, "frontdesk-2-new-booking-fr-1280");
    await expectAccessible(page, "new booking fr 1280");
    await page.getByRole("button", { name: "Réserver" }).click();
    await page.waitForURL(/\/admin\/bookings\/[0-9a-f-]{36}\?created=1/);
    expect(await page.locator(".alert.ok").textContent()).toContain("Rendez-vous enregistré");
    expect(await page.locator(".warn").first().textContent()).toContain("Heure passée");
    expect(await page.locator("main").textContent()).toContain(CUSTOMER.name);
    await shot(page, "frontdesk-3-booking-created-fr-1280");
    await expectAccessible(page, "booking fr 1280");

    await page.getByRole("button", { name: "Marquer arrivé" }).click();
    await page.waitForURL(/done=1/);
    expect(await page.locator(".badge.in").textContent()).toBe("Arrivé");
    await page.getByRole("button", { name: "Terminer" }).click();
    await page.waitForURL(/done=1/);
    expect(await page.locator(".badge.st-completed").first().textContent()).toBe("Terminé");
    expect(await page.locator("#pay-amount").inputValue()).toBe("250");
    await page.selectOption("#pay-method", "cash");
    await page.locator("form[action$='/payments'] button[type=submit]").click();
    await page.waitForURL(/done=1/);
    const detail = (await page.locator("main").textContent())!;
    expect(detail).toMatch(/Reste à payer\s*0\s?MAD/);
    expect(detail).toContain("Paiement enregistré");
    await shot(page, "frontdesk-4-booking-paid-fr-1280");
    await expectAccessible(page, "booking paid fr 1280");

    await page.getByRole("link", { name: "Encaissements" }).click();
    await page.waitForURL(/\/admin\/takings$/);
    const takings = (await page.locator("main").textContent())!;
    expect(takings).toMatch(/Espèces\s*1\s*250\s?MAD/);
    await shot(page, "frontdesk-5-takings-fr-1280");
    await expectAccessible(page, "takings fr 1280");
    const csv = (await page.evaluate(`fetch("/admin/takings/report.csv").then((r) => r.text())`)) as string;
    expect(csv).toContain("method,cash,MAD,1,250.00,0.00,250.00");

    await page.getByRole("link", { name: "Clients" }).click();
    await page.fill("#cu-search", CUSTOMER.name);
    await page.getByRole("button", { name: "Chercher" }).click();
    await page.getByRole("link", { name: CUSTOMER.name }).click();
    expect(await page.locator(".kpi").first().textContent()).toMatch(/Visites\s*1/);
    await shot(page, "frontdesk-6-customer-fr-1280");
    await expectAccessible(page, "customer fr 1280");

    // The same screens on a 360 px phone.
    const phone = await newContext(browser, { width: 360 });
    await phone.addCookies(await context.cookies());
    const small = await phone.newPage();
    for (const [path, name] of [
      ["/admin/calendar", "calendar"],
      ["/admin/calendar/new?service=&date=", "new-booking"],
      [new URL(page.url()).pathname, "customer"],
      ["/admin/takings", "takings"],
    ] as const) {
      await small.goto(urlOf(tenants.main, path));
      await shot(small, `frontdesk-7-${name}-fr-360`);
      await expectAccessible(small, `${name} fr 360`);
    }
    await phone.close();
    await context.close();
  });

  it("shows a staff login only its own column and refuses another member's booking", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser, { width: 1280 });
    const page = await context.newPage();
    await signIn(page, STAFF.email);
    expect(await page.locator(".ch h3").allTextContents()).toEqual(["Youssef"]);
    expect(await page.locator("main").textContent()).not.toContain("Karima");
    await shot(page, "frontdesk-8-calendar-staff-fr-1280");
    await expectAccessible(page, "calendar staff");
    const res = await page.goto(urlOf(tenants.main, `/admin/bookings/${salmaBooking}`));
    expect(res!.status()).toBe(404);
    // Posting an owner-only form directly (a custom time) is refused.
    // (A string: this Node-typed file has no DOM types.)
    const status = await page.evaluate(`(async () => {
      const csrf = document.querySelector("input[name=_csrf]")?.value ?? "";
      const body = new URLSearchParams({ _csrf: csrf, service_id: crypto.randomUUID(), date: "2030-01-01", custom_time: "10:00", name: "X" });
      return (await fetch("/admin/calendar/new", { method: "POST", body, redirect: "manual" })).status;
    })()`);
    expect(status).toBe(403);
    await context.close();
  });

  it("renders an Arabic session right to left, at 1280 and 360 px", async () => {
    const { tenants } = e2e();
    for (const width of [1280, 360]) {
      const context = await newContext(browser, { width, locale: "ar-MA" });
      const page = await context.newPage();
      await signIn(page, OWNER.email, "/admin/calendar?lang=ar");
      expect(await page.getAttribute("html", "dir")).toBe("rtl");
      expect(await page.locator("h1").textContent()).toBe("الأجندة");
      await shot(page, `frontdesk-9-calendar-ar-${width}`);
      await expectAccessible(page, `calendar ar ${width}`);
      await page.goto(urlOf(tenants.main, "/admin/takings?lang=ar"));
      expect(await page.getAttribute("html", "dir")).toBe("rtl");
      await shot(page, `frontdesk-10-takings-ar-${width}`);
      await expectAccessible(page, `takings ar ${width}`);
      await context.close();
    }
  });
});
