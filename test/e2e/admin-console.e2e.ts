/**
 * Issue 13 in real Chromium: the superuser creates a business with its owner
 * invitation on the platform console, suspends it (its pages answer with the
 * suspended page) and reactivates it; an owner adds a Ramadan schedule on
 * /admin/settings/hours (Arabic, right to left; preview first) and the
 * booking page shows the Ramadan times. The console again in Arabic (right
 * to left) at 360 px. Axe at 1280 and 360 px; screenshots in
 * test-artifacts/console-*.png.
 */
import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/auth/passwords";
import { toDrizzle, withClient } from "../../src/db/client";
import { tenantMemberships, tenants as tenantsTable, users } from "../../src/db/schema/public";
import { quoteSchema } from "../../src/tenancy/naming";
import { e2e, expectAccessible, launch, newContext, shot, urlOf } from "./helpers";

const PASSWORD = "Platform-Console-2026";
const run = Math.random().toString(36).slice(2, 8);
const SUPER = `super-${run}@example.ma`;
const OWNER = `hours-owner-${run}@example.ma`;
const slug = `e2enew-${run}`;
const domain = `${slug}.localhost`;
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
  const { db, tenants } = e2e();
  const hash = await hashPassword(PASSWORD);
  await withClient(db, async (c) => {
    const d = toDrizzle(c);
    await d.insert(users).values({ email: SUPER, displayName: "Platform admin", passwordHash: hash, isSuperuser: true });
    const [tenant] = await d.select({ id: tenantsTable.id }).from(tenantsTable).where(eq(tenantsTable.slug, tenants.main.slug));
    const [user] = await d
      .insert(users)
      .values({ email: OWNER, displayName: "Nadia Owner", passwordHash: hash })
      .returning({ id: users.id });
    await d.insert(tenantMemberships).values({ tenantId: tenant!.id, userId: user!.id, role: "owner" });
  });
});
afterAll(async () => {
  await browser?.close();
  await withClient(e2e().db, async (c) => {
    const d = toDrizzle(c);
    for (const email of [SUPER, OWNER]) await d.delete(users).where(eq(users.email, email));
    const [row] = await d.select({ schemaName: tenantsTable.schemaName }).from(tenantsTable).where(eq(tenantsTable.slug, slug));
    if (row) {
      await c.query(`DROP SCHEMA IF EXISTS ${quoteSchema(row.schemaName)} CASCADE`);
      await d.delete(tenantsTable).where(eq(tenantsTable.slug, slug));
    }
  }).catch(() => {});
});

const platformUrl = (path: string) => `http://localhost:${e2e().port}${path}`;
/** The business the first test creates (the Arabic pass opens its page). */
let createdUrl = "";

/** Fails when the page is wider than the viewport (a 360 px screen would scroll sideways). */
async function expectNoSidewaysScroll(page: Page, label: string) {
  const overflow = (await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")) as number;
  expect(overflow, `${label}: page wider than the screen`).toBeLessThanOrEqual(0);
}

describe("platform console", () => {
  it("creates a business with its owner invitation, suspends it and reactivates it", async () => {
    const context = await newContext(browser, { width: 1280, locale: "en-GB" });
    const page = await context.newPage();
    await page.goto(platformUrl("/admin/businesses"));
    await page.waitForURL(/\/admin\/login\?next=/);
    await page.fill("input[name=email]", SUPER);
    await page.fill("input[name=password]", PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/admin\/businesses$/);
    await shot(page, "console-1-list-1280");
    await expectAccessible(page, "console list 1280");

    await page.fill("#new-slug", slug);
    await page.fill("#new-name", "Hammam Nour");
    await page.fill("#new-domain", domain);
    await page.fill("#new-contact_email", `hello@${slug}.example.ma`);
    await page.fill("#new-time_zone", "Africa/Casablanca");
    await page.selectOption("#new-locale", "ar");
    await page.fill("#new-currency", "MAD");
    await page.fill("#new-owner_email", `owner@${slug}.example.ma`);
    await page.getByRole("button", { name: "Create and invite the owner" }).click();
    await page.waitForURL(/\/admin\/businesses\/[0-9a-f-]{36}\?invited=/);
    expect(await page.locator(".alert.ok").textContent()).toContain(`owner@${slug}.example.ma`);
    expect(await page.locator("#tenant-status").textContent()).toBe("active");
    await shot(page, "console-2-created-1280");
    await expectAccessible(page, "console detail 1280");
    const detailUrl = page.url().split("?")[0]!;
    createdUrl = detailUrl;

    const site = `http://${domain}:${e2e().port}/`;
    const open = await context.newPage();
    expect((await open.goto(site))!.status()).toBe(200);

    await page.fill("#reason", "Unpaid subscription");
    await page.getByRole("button", { name: "Suspend" }).click();
    await page.waitForURL(detailUrl);
    expect(await page.locator("#tenant-status").textContent()).toBe("suspended");
    expect(await page.locator("#lifecycle").textContent()).toContain("Unpaid subscription");
    const suspended = await open.goto(site);
    expect(suspended!.status()).toBe(403);
    await shot(open, "console-3-suspended-site");

    await page.fill("#reason", "Paid");
    await page.getByRole("button", { name: "Reactivate" }).click();
    await page.waitForURL(detailUrl);
    expect(await page.locator("#tenant-status").textContent()).toBe("active");
    expect((await open.goto(site))!.status()).toBe(200);

    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(platformUrl("/admin/businesses?status=active"));
    await shot(page, "console-4-list-360");
    await expectAccessible(page, "console list 360");
    await page.goto(platformUrl("/admin/migrations"));
    await shot(page, "console-5-migrations-360");
    await expectAccessible(page, "console migrations 360");
    await context.close();
  });
});

describe("platform console in Arabic at 360 px", () => {
  it("signs in, lists, refuses a bad form next to its field and shows a business, right to left", async () => {
    const context = await newContext(browser, { width: 360, locale: "ar-MA" });
    const page = await context.newPage();
    await page.goto(platformUrl("/admin/businesses"));
    await page.waitForURL(/\/admin\/login\?next=/);
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    expect(await page.getAttribute("html", "lang")).toBe("ar");
    await shot(page, "console-ar-1-login-360");
    await expectAccessible(page, "console login ar 360");
    await expectNoSidewaysScroll(page, "console login ar 360");
    await page.fill("input[name=email]", SUPER);
    await page.fill("input[name=password]", PASSWORD);
    await page.getByRole("button", { name: "دخول" }).click();
    await page.waitForURL(/\/admin\/businesses$/);
    expect(await page.locator("h1").textContent()).toBe("الأنشطة");
    await shot(page, "console-ar-2-list-360");
    await expectAccessible(page, "console list ar 360");
    await expectNoSidewaysScroll(page, "console list ar 360");

    // A refused form: 422, the Arabic message next to its field, the values kept.
    await page.fill("#new-slug", `${slug}-x`);
    await page.fill("#new-name", "صالون");
    await page.fill("#new-domain", `x.${domain}`);
    await page.fill("#new-contact_email", "hello@example.ma");
    await page.fill("#new-owner_email", "owner@example.ma");
    await page.fill("#new-time_zone", "Mars/Olympus");
    await page.getByRole("button", { name: "إنشاء ودعوة المالك" }).click();
    await page.locator("#new-time_zone-err").waitFor();
    expect(await page.locator("#new-time_zone-err").textContent()).toContain("منطقة زمنية غير معروفة");
    expect(await page.getAttribute("#new-time_zone", "aria-describedby")).toBe("new-time_zone-err");
    expect(await page.inputValue("#new-slug")).toBe(`${slug}-x`);
    await shot(page, "console-ar-3-create-error-360");
    await expectAccessible(page, "console create error ar 360");
    await expectNoSidewaysScroll(page, "console create error ar 360");

    expect(createdUrl).not.toBe("");
    await page.goto(createdUrl);
    expect(await page.locator("#tenant-status").getAttribute("data-status")).toBe("active");
    expect(await page.locator("#tenant-status").textContent()).toBe("نشط");
    await shot(page, "console-ar-4-detail-360");
    await expectAccessible(page, "console detail ar 360");
    await expectNoSidewaysScroll(page, "console detail ar 360");

    await page.goto(platformUrl("/admin/migrations"));
    await shot(page, "console-ar-5-migrations-360");
    await expectAccessible(page, "console migrations ar 360");
    await expectNoSidewaysScroll(page, "console migrations ar 360");

    // The switcher: French, remembered on the next page.
    await page.getByRole("link", { name: "Français" }).click();
    await page.waitForURL(/lang=fr/);
    expect(await page.getAttribute("html", "dir")).toBe("ltr");
    await page.goto(platformUrl("/admin/businesses"));
    expect(await page.locator("h1").textContent()).toBe("Établissements");
    await context.close();
  });
});

describe("seasonal hours screen", () => {
  it("an owner adds a Ramadan schedule (Arabic, preview first) and the booking page shows the Ramadan times", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser, { width: 1280, locale: "ar-MA" });
    const page = await context.newPage();
    await page.goto(urlOf(tenants.main, "/admin/settings/hours"));
    await page.waitForURL(/\/admin\/login/);
    await page.fill("input[name=email]", OWNER);
    await page.fill("input[name=password]", PASSWORD);
    await page.locator("button[type=submit]").last().click();
    await page.waitForURL(/\/admin\/settings\/hours$/);
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    await expectAccessible(page, "hours ar 1280");

    const from = day(8);
    const to = day(20);
    await page.fill("#s-label", "Ramadan");
    await page.fill("#s-from", from);
    await page.fill("#s-to", to);
    const boxes = page.locator("input[name=staff_ids]");
    for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).check();
    for (let d = 1; d <= 7; d++) {
      await page.fill(`input[name=start_${d}]`, "13:00");
      await page.fill(`input[name=end_${d}]`, "16:00");
    }
    await page.locator("button[name=intent][value=preview]").click();
    await page.locator("#affected").waitFor();
    await shot(page, "console-6-hours-preview-ar-1280");
    await expectAccessible(page, "hours preview ar");
    await page.locator("button[name=intent][value=save]").click();
    await page.waitForURL(/done=saved/);
    expect(await page.locator(".alert.ok").count()).toBe(1);
    await shot(page, "console-7-hours-saved-ar-1280");
    await page.setViewportSize({ width: 360, height: 800 });
    await shot(page, "console-8-hours-ar-360");
    await expectAccessible(page, "hours ar 360");

    // The customer booking page: times of a Ramadan date start at 13:00 and end by 16:00.
    const date = day(12);
    await page.goto(urlOf(tenants.main, "/?lang=fr"));
    await page.locator("a.item").first().click();
    await page.locator("a.item").first().click();
    await page.locator("a.time").first().waitFor();
    const url = new URL(page.url());
    url.searchParams.set("from", date);
    url.searchParams.set("date", date);
    await page.goto(url.toString());
    await page.locator("a.time").first().waitFor();
    const times = (await page.locator("a.time").allTextContents()).map((t) => t.trim());
    await shot(page, "console-9-booking-ramadan-times");
    expect(times[0]).toBe("13:00");
    expect(times.every((t) => t >= "13:00" && t < "16:00")).toBe(true);
    await context.close();
  });
});
