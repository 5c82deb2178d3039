/**
 * The owner sets the business up in real Chromium: profile and branding at
 * /admin/settings (an unreadable accent refused, then a readable one saved),
 * the booking policy in Arabic on a 360 px phone, and the customer booking
 * page showing the new name, accent and logo. Axe at 1280 and 360 px;
 * screenshots in test-artifacts/admin-setup-*.png. Runs on the "late" tenant
 * and puts its name and branding back through the same form at the end (the
 * worker caches the tenant context, so SQL alone would not undo it).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { hashPassword } from "../../src/auth/passwords";
import { toDrizzle, withClient } from "../../src/db/client";
import { tenantMemberships, tenants as tenantsTable, users } from "../../src/db/schema/public";
import { e2e, expectAccessible, launch, newContext, shot, urlOf } from "./helpers";

const PASSWORD = "Setup-Owner-2026";
const run = Math.random().toString(36).slice(2, 8);
const OWNER = { email: `setup-owner-${run}@example.ma`, name: "Nadia Berrada" };

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
  const { db, tenants } = e2e();
  const hash = await hashPassword(PASSWORD);
  await withClient(db, async (c) => {
    const d = toDrizzle(c);
    const [user] = await d
      .insert(users)
      .values({ email: OWNER.email, displayName: OWNER.name, passwordHash: hash })
      .returning({ id: users.id });
    for (const slug of [tenants.late.slug, tenants.main.slug]) {
      const [tenant] = await d.select({ id: tenantsTable.id }).from(tenantsTable).where(eq(tenantsTable.slug, slug));
      await d.insert(tenantMemberships).values({ tenantId: tenant!.id, userId: user!.id, role: "owner" });
    }
  });
});
afterAll(async () => {
  await browser?.close();
  await withClient(e2e().db, async (c) => {
    await toDrizzle(c).delete(users).where(eq(users.email, OWNER.email));
  }).catch(() => {});
});

async function signIn(page: Page, path: string, tenant = e2e().tenants.late) {
  await page.goto(urlOf(tenant, path));
  await page.fill("input[name=email]", OWNER.email);
  await page.fill("input[name=password]", PASSWORD);
  await page.getByRole("button", { name: /Se connecter|Sign in|دخول/ }).click();
  await page.waitForURL(new RegExp(`${path.replace(/\//g, "\\/")}$`));
}

describe("owner setup", () => {
  it("sets the profile and branding, and the booking page shows them", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser, { width: 1280 });
    const page = await context.newPage();
    await signIn(page, "/admin/settings");
    expect(await page.locator("h1").textContent()).toBe("Réglages");
    expect(await page.getByRole("link", { name: "Profil et image" }).getAttribute("aria-current")).toBe("page");
    expect(await page.inputValue("#name")).toBe(tenants.late.name);
    await expectAccessible(page, "profile fr 1280");

    await page.fill("#name", "Barbier Atlas");
    await page.fill("#description", "Coupe, barbe et soins depuis 1998.");
    await page.fill("#logo_url", "https://cdn.example.ma/atlas-logo.png");
    await page.fill("#contact_phone", "05 22 33 44 55");
    await page.fill("#whatsapp", "+212612345678");
    await page.fill("#address", "12 boulevard d’Anfa, Casablanca");
    // A mid-toned red: neither white nor dark text is readable on it.
    await page.fill("#accent_color", "#d9402b");
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await page.waitForSelector(".alert.bad");
    expect(await page.locator("#accent_color-err").textContent()).toContain("Texte illisible");
    expect(await page.inputValue("#name")).toBe("Barbier Atlas");
    await shot(page, "admin-setup-1-contrast-refused-fr-1280");
    await expectAccessible(page, "profile error fr 1280");

    await page.fill("#accent_color", "#7c2d12");
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await page.waitForURL(/\/admin\/settings\/profile\?saved=1$/);
    expect(await page.locator(".alert.ok").textContent()).toBe("Modifications enregistrées.");
    expect(await page.locator(".brand b").textContent()).toBe("Barbier Atlas");
    await shot(page, "admin-setup-2-profile-saved-fr-1280");

    const customer = await context.newPage();
    await customer.goto(urlOf(tenants.late, "/"));
    expect(await customer.content()).toContain("Barbier Atlas");
    expect(await customer.locator("img[src='https://cdn.example.ma/atlas-logo.png']").count()).toBe(1);
    const accent = await customer.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--a').trim()");
    expect(accent).toBe("#7c2d12");
    await shot(customer, "admin-setup-3-booking-page-branded-1280");
    await context.close();
  });

  it("edits the booking policy in Arabic on a phone (360 px), right to left", async () => {
    // The main tenant: the late one's cut-offs are deliberately beyond what the form accepts.
    const main = e2e().tenants.main;
    const context = await newContext(browser, { width: 360, locale: "ar-MA" });
    const page = await context.newPage();
    await signIn(page, "/admin/settings/policy", main);
    await page.goto(urlOf(main, "/admin/settings/policy?lang=ar"));
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    expect(await page.locator("h1").textContent()).toBe("الإعدادات");
    await expectAccessible(page, "policy ar 360");
    await page.fill("#slot_interval_min", "2");
    await page.getByRole("button", { name: "حفظ" }).click();
    await page.waitForSelector("#slot_interval_min-err");
    await shot(page, "admin-setup-4-policy-error-ar-360");
    await expectAccessible(page, "policy error ar 360");
    await page.fill("#slot_interval_min", "30");
    await page.check("#online_bookings_need_approval");
    await page.getByRole("button", { name: "حفظ" }).click();
    await page.waitForURL(/\/admin\/settings\/policy\?saved=1$/);
    expect(await page.isChecked("#online_bookings_need_approval")).toBe(true);
    expect(await page.inputValue("#slot_interval_min")).toBe("30");
    // Back as it was for the other browser tests: approval off, 15-minute slots.
    await page.fill("#slot_interval_min", "15");
    await page.uncheck("#online_bookings_need_approval");
    await page.getByRole("button", { name: "حفظ" }).click();
    await page.waitForURL(/\/admin\/settings\/policy\?saved=1$/);
    await context.close();
  });

  it("shows the profile in Arabic on a phone, and puts the late tenant back as it was", async () => {
    const late = e2e().tenants.late;
    const context = await newContext(browser, { width: 360, locale: "ar-MA" });
    const page = await context.newPage();
    await signIn(page, "/admin/settings/profile");
    await page.goto(urlOf(late, "/admin/settings/profile?lang=ar"));
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    await shot(page, "admin-setup-5-profile-ar-360");
    await expectAccessible(page, "profile ar 360");
    await page.fill("#name", late.name);
    for (const id of ["#description", "#logo_url", "#contact_phone", "#whatsapp", "#address"]) await page.fill(id, "");
    await page.fill("#accent_color", "#0f766e");
    await page.getByRole("button", { name: "حفظ" }).click();
    await page.waitForURL(/\/admin\/settings\/profile\?saved=1$/);
    expect(await page.inputValue("#name")).toBe(late.name);
    await context.close();
  });
});
