/**
 * Back-office sign-in in real Chromium: the redirect to the sign-in page and
 * back, the shell, sign-out; an Arabic session right to left; the phone
 * layout (360 px, nav behind the menu button); axe at 1280 and 360 px;
 * screenshots in test-artifacts/admin-*.png.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/auth/passwords";
import { toDrizzle, withClient } from "../../src/db/client";
import { tenantMemberships, tenants as tenantsTable, users } from "../../src/db/schema/public";
import { eq } from "drizzle-orm";
import { e2e, expectAccessible, launch, newContext, shot, urlOf } from "./helpers";

const PASSWORD = "Salon-Owner-2026";
const run = Math.random().toString(36).slice(2, 8);
const OWNER = { email: `owner-${run}@example.ma`, name: "Yasmine Alaoui", role: "owner" as const };
const STAFF = { email: `staff-${run}@example.ma`, name: "Karim Tazi", role: "staff" as const };

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
  const { db, tenants } = e2e();
  const hash = await hashPassword(PASSWORD);
  await withClient(db, async (c) => {
    const d = toDrizzle(c);
    const [tenant] = await d.select({ id: tenantsTable.id }).from(tenantsTable).where(eq(tenantsTable.slug, tenants.main.slug));
    for (const person of [OWNER, STAFF]) {
      const [user] = await d
        .insert(users)
        .values({ email: person.email, displayName: person.name, passwordHash: hash })
        .returning({ id: users.id });
      await d.insert(tenantMemberships).values({ tenantId: tenant!.id, userId: user!.id, role: person.role });
    }
  });
});
afterAll(async () => {
  await browser?.close();
  await withClient(e2e().db, async (c) => {
    const d = toDrizzle(c);
    for (const person of [OWNER, STAFF]) await d.delete(users).where(eq(users.email, person.email));
  }).catch(() => {});
});

async function signIn(page: Page, email: string, submit: RegExp) {
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", PASSWORD);
  await page.getByRole("button", { name: submit }).click();
}

describe("back-office sign-in", () => {
  it("signs in from a deep link, lands back there, and signs out (French, desktop)", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser, { width: 1280 });
    const page = await context.newPage();
    await page.goto(urlOf(tenants.main, "/admin/customers"));
    await page.waitForURL(/\/admin\/login\?next=%2Fadmin%2Fcustomers/);
    expect(await page.locator("h1").textContent()).toBe("Connexion");
    await shot(page, "admin-1-login-fr-1280");
    await expectAccessible(page, "login fr 1280");

    await page.fill("input[name=email]", OWNER.email);
    await page.fill("input[name=password]", "not-the-password");
    await page.getByRole("button", { name: "Se connecter" }).click();
    expect(await page.locator(".alert.bad").textContent()).toContain("incorrect");
    await expectAccessible(page, "login error fr");

    await signIn(page, OWNER.email, /Se connecter/);
    await page.waitForURL(/\/admin\/customers$/);
    expect(await page.locator("h1").textContent()).toBe("Clients");
    expect(await page.getByRole("link", { name: "Clients" }).getAttribute("aria-current")).toBe("page");
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "bm_admin")!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe("Lax");
    expect(session.path).toBe("/admin");
    await page.goto(urlOf(tenants.main, "/admin"));
    await page.waitForURL(/\/admin\/calendar$/);
    await page.locator("details.user summary").click();
    await shot(page, "admin-2-shell-fr-1280");
    await expectAccessible(page, "shell fr 1280");
    expect(await page.locator("details.user").textContent()).toContain("Propriétaire");

    await page.getByRole("button", { name: "Se déconnecter" }).click();
    await page.waitForURL(/\/admin\/login\?notice=signed_out/);
    expect(await page.locator(".alert.info").textContent()).toContain("déconnecté");
    await page.goto(urlOf(tenants.main, "/admin/calendar"));
    await page.waitForURL(/\/admin\/login/);
    await context.close();
  });

  it("an Arabic session reads right to left", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser, { width: 1280, locale: "ar-MA" });
    const page = await context.newPage();
    await page.goto(urlOf(tenants.main, "/admin/login"));
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    expect(await page.getAttribute("html", "lang")).toBe("ar");
    await shot(page, "admin-3-login-ar-1280");
    await expectAccessible(page, "login ar");
    await signIn(page, STAFF.email, /دخول/);
    await page.waitForURL(/\/admin\/calendar$/);
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    expect(await page.locator("h1").textContent()).toBe("الأجندة");
    // Staff do not see the admin-only entries.
    expect(await page.getByRole("link", { name: "الإعدادات" }).count()).toBe(0);
    // The sidebar sits on the right.
    const side = await page.locator("#side").boundingBox();
    expect(side!.x).toBeGreaterThan(640);
    await page.locator("details.user summary").click();
    await shot(page, "admin-4-shell-ar-1280");
    await expectAccessible(page, "shell ar 1280");
    // Switching language keeps the session.
    await page.getByRole("link", { name: "English" }).click();
    await page.waitForURL(/lang=en/);
    expect(await page.locator("h1").textContent()).toBe("Calendar");
    expect(await page.getAttribute("html", "dir")).toBe("ltr");
    await context.close();
  });

  it("is usable on a 360 px phone: the nav collapses behind the menu button", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser, { width: 360 });
    const page = await context.newPage();
    await page.goto(urlOf(tenants.main, "/admin/login"));
    await shot(page, "admin-5-login-fr-360");
    await expectAccessible(page, "login fr 360");
    await signIn(page, OWNER.email, /Se connecter/);
    await page.waitForURL(/\/admin\/calendar$/);
    const menu = page.locator("#menu-btn");
    expect(await menu.isVisible()).toBe(true);
    expect(await page.locator("#side-nav").isVisible()).toBe(false);
    const width = await page.evaluate("document.documentElement.scrollWidth");
    expect(width).toBeLessThanOrEqual(360);
    await shot(page, "admin-6-shell-fr-360");
    await expectAccessible(page, "shell fr 360 closed");
    await menu.click();
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    expect(await page.locator("#side-nav").isVisible()).toBe(true);
    await page.locator("details.user summary").click();
    await shot(page, "admin-7-menu-fr-360");
    await expectAccessible(page, "shell fr 360 open");
    await page.getByRole("link", { name: "Clients" }).click();
    await page.waitForURL(/\/admin\/customers$/);

    await page.goto(urlOf(tenants.main, "/admin/password/forgot"));
    await shot(page, "admin-8-forgot-fr-360");
    await expectAccessible(page, "forgot fr 360");
    await context.close();
  });
});
