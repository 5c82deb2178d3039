/**
 * Issue 13's onboarding in real Chromium, on a business nobody has touched:
 * the superuser creates it on the platform console with its owner's
 * invitation; the new owner opens the emailed link (read from the outbox,
 * where the email waits), chooses a name and a password, sets the profile
 * and logo, adds a service and a staff member with weekly hours, then a
 * Ramadan schedule; the customer booking page shows the new branding and the
 * Ramadan times (and the weekly hours after Ramadan). Axe at 1280 and 360 px,
 * the customer's phone in Arabic too; screenshots in
 * test-artifacts/onboarding-*.png.
 *
 * Dates are days in the business's zone counted from today there, so the run
 * does not depend on the time of day: the Ramadan range starts tomorrow and
 * the checked dates are days inside and after it (beyond the minimum notice).
 */
import { eq } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/auth/passwords";
import { toDrizzle, withClient } from "../../src/db/client";
import { tenants as tenantsTable, users } from "../../src/db/schema/public";
import { quoteSchema } from "../../src/tenancy/naming";
import { e2e, expectAccessible, launch, newContext, shot } from "./helpers";

const ZONE = "Africa/Casablanca";
const run = Math.random().toString(36).slice(2, 8);
const SUPER = { email: `onb-super-${run}@example.ma`, password: "Onboarding-Super-2026" };
const OWNER = { email: `onb-owner-${run}@example.ma`, name: "Salma Idrissi", password: "Hammam-Zellige-2026" };
const slug = `e2eonb-${run}`;
const domain = `${slug}.localhost`;
const BUSINESS = "Hammam Zellige";
const SERVICE = "Gommage traditionnel";
const STAFF = "Karima Alaoui";
const LOGO = "https://cdn.example.ma/zellige-logo.svg";
const ACCENT = "#7c2d12";
const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="48" viewBox="0 0 96 48"><rect width="96" height="48" rx="10" fill="#7c2d12"/><path d="M48 8l10 16-10 16-10-16z" fill="#fde68a"/></svg>';

/** The date `n` days after today in the business's zone (YYYY-MM-DD). */
function localDay(n: number): string {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(Date.now());
  const noon = Date.parse(`${today}T12:00:00Z`) + n * 86_400_000;
  return new Date(noon).toISOString().slice(0, 10);
}

const platformUrl = (path: string) => `http://localhost:${e2e().port}${path}`;
const siteUrl = (path: string) => `http://${domain}:${e2e().port}${path}`;

let browser: Browser;
/** The owner's browser, kept from one step to the next (the session cookie). */
let owner: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  const hash = await hashPassword(SUPER.password);
  await withClient(e2e().db, async (c) => {
    await toDrizzle(c).insert(users).values({ email: SUPER.email, displayName: "Platform admin", passwordHash: hash, isSuperuser: true });
  });
});

afterAll(async () => {
  await browser?.close();
  await withClient(e2e().db, async (c) => {
    const d = toDrizzle(c);
    const [row] = await d.select({ schemaName: tenantsTable.schemaName }).from(tenantsTable).where(eq(tenantsTable.slug, slug));
    if (row) {
      await c.query(`DROP SCHEMA IF EXISTS ${quoteSchema(row.schemaName)} CASCADE`);
      await d.delete(tenantsTable).where(eq(tenantsTable.slug, slug));
    }
    for (const email of [SUPER.email, OWNER.email]) await d.delete(users).where(eq(users.email, email));
  }).catch(() => {});
});

/** Axe and a screenshot at 1280 px, then at 360 px (a phone), back to 1280. */
async function bothWidths(p: Page, name: string) {
  await p.setViewportSize({ width: 1280, height: 900 });
  await shot(p, `${name}-1280`);
  await expectAccessible(p, `${name} 1280`);
  await p.setViewportSize({ width: 360, height: 800 });
  await shot(p, `${name}-360`);
  await expectAccessible(p, `${name} 360`);
  const overflow = (await p.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")) as number;
  expect(overflow, `${name} 360: page wider than the screen`).toBeLessThanOrEqual(0);
  await p.setViewportSize({ width: 1280, height: 900 });
}

/** The invitation email's link, as queued in the new business's outbox, on this run's host and port. */
async function invitationLink(): Promise<string> {
  return withClient(e2e().db, async (c) => {
    const [tenant] = await toDrizzle(c)
      .select({ schemaName: tenantsTable.schemaName })
      .from(tenantsTable)
      .where(eq(tenantsTable.slug, slug));
    const { rows } = await c.query<{ url: string }>(
      `SELECT payload->>'accept_url' AS url FROM ${quoteSchema(tenant!.schemaName)}.notifications
        WHERE kind = 'invitation' AND channel = 'email' AND recipient = $1`,
      [OWNER.email],
    );
    expect(rows).toHaveLength(1);
    const link = new URL(rows[0]!.url);
    expect(link.hostname).toBe(domain);
    return siteUrl(`${link.pathname}${link.search}`);
  });
}

describe("a new business, from the console to the customer's booking page", () => {
  it("the superuser creates the business with its owner's invitation on the platform console", async () => {
    const context = await newContext(browser, { width: 1280 });
    const platform = await context.newPage();
    await platform.goto(platformUrl("/admin/businesses"));
    await platform.waitForURL(/\/admin\/login\?next=/);
    await platform.fill("input[name=email]", SUPER.email);
    await platform.fill("input[name=password]", SUPER.password);
    await platform.getByRole("button", { name: "Se connecter" }).click();
    await platform.waitForURL(/\/admin\/businesses$/);
    await platform.fill("#new-slug", slug);
    await platform.fill("#new-name", BUSINESS);
    await platform.fill("#new-domain", domain);
    await platform.fill("#new-contact_email", `bonjour@${slug}.example.ma`);
    await platform.fill("#new-time_zone", ZONE);
    await platform.selectOption("#new-locale", "fr");
    await platform.fill("#new-currency", "MAD");
    await platform.fill("#new-owner_email", OWNER.email);
    await platform.getByRole("button", { name: "Créer et inviter le propriétaire" }).click();
    await platform.waitForURL(/\/admin\/businesses\/[0-9a-f-]{36}\?invited=/);
    expect(await platform.locator(".alert.ok").textContent()).toContain(OWNER.email);
    await bothWidths(platform, "onboarding-1-console-created");
    await context.close();
  });

  it("the invited owner opens the emailed link, chooses a name and a password and lands in the back office", async () => {
    const link = await invitationLink();
    owner = await newContext(browser, { width: 1280 });
    page = await owner.newPage();
    await page.goto(link);
    await page.waitForURL(/\/admin\/invitation\?token=/);
    expect(await page.locator("h1").textContent()).toBe("Rejoindre l’équipe");
    expect(await page.inputValue("#email")).toBe(OWNER.email);
    await bothWidths(page, "onboarding-2-invitation");
    await page.fill("#name", OWNER.name);
    await page.fill("#password", OWNER.password);
    await page.getByRole("button", { name: "Rejoindre" }).click();
    await page.waitForURL(/\/admin\/calendar/);
    expect(await page.locator(".brand b").textContent()).toBe(BUSINESS);
  });

  it("the owner sets the profile and the logo", async () => {
    await page.goto(siteUrl("/admin/settings/profile"));
    await page.fill("#description", "Hammam, gommage et soins au savon noir, au cœur de la médina.");
    await page.fill("#logo_url", LOGO);
    await page.fill("#accent_color", ACCENT);
    await page.fill("#contact_phone", "05 24 38 00 00");
    await page.fill("#address", "Derb Sidi Bouloukat, Marrakech");
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await page.waitForURL(/\/admin\/settings\/profile\?saved=1$/);
    expect(await page.inputValue("#logo_url")).toBe(LOGO);
    await bothWidths(page, "onboarding-3-profile");
  });

  it("the owner adds a service", async () => {
    await page.goto(siteUrl("/admin/settings/services"));
    expect(await page.locator("h1").textContent()).toBe("Prestations");
    await page.getByRole("link", { name: "Nouvelle prestation" }).first().click();
    await page.waitForURL(/\/admin\/settings\/services\/new$/);
    await page.fill("#name", SERVICE);
    await page.fill("#description", "Savon noir, kessa et rinçage à l’eau chaude.");
    await page.fill("#duration_min", "45");
    await page.fill("#price", "150");
    await page.getByRole("button", { name: "Créer la prestation" }).click();
    await page.waitForURL(/\/admin\/settings\/services\?done=created/);
    expect(await page.locator(".alert.ok").textContent()).toContain("Prestation créée.");
    expect(await page.locator("main").textContent()).toContain(SERVICE);
    await bothWidths(page, "onboarding-4-service");
  });

  it("the owner adds a staff member who gives the service, with weekly hours and a lunch break", async () => {
    await page.goto(siteUrl("/admin/settings/staff"));
    expect(await page.locator("h1").textContent()).toBe("Personnel et horaires");
    await page.fill("#display_name", STAFF);
    await page.fill("#phone", "06 61 23 45 67");
    await page.getByRole("checkbox", { name: SERVICE, exact: true }).check();
    await page.getByRole("button", { name: "Ajouter le membre du personnel" }).click();
    await page.waitForURL(/\/admin\/settings\/staff\/[0-9a-f-]{36}\?done=created$/);
    expect(await page.locator(".alert.ok").textContent()).toContain("Membre du personnel ajouté");
    // Every day 09:00–13:00 and 14:00–19:00 (open every day, so any date checked below is a working day).
    for (let d = 1; d <= 7; d++) {
      await page.fill(`#w${d}_start_0`, "09:00");
      await page.fill(`#w${d}_end_0`, "13:00");
      await page.fill(`#w${d}_start_1`, "14:00");
      await page.fill(`#w${d}_end_1`, "19:00");
    }
    await page.getByRole("button", { name: "Enregistrer les horaires" }).click();
    await page.waitForURL(/\/admin\/settings\/staff\/[0-9a-f-]{36}\?/);
    expect(await page.locator(".alert.ok").textContent()).toContain("Modifications enregistrées.");
    expect(await page.inputValue("#w7_end_1")).toBe("19:00");
    await bothWidths(page, "onboarding-5-staff-hours");
    // The same page in Arabic, right to left (then back to French: the choice sticks in a cookie).
    const personUrl = page.url().split("?")[0]!;
    await page.goto(`${personUrl}?lang=ar`);
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    await bothWidths(page, "onboarding-5-staff-hours-ar");
    await page.goto(siteUrl("/admin/settings/staff?lang=fr"));
    expect(await page.locator("#staff-list").textContent()).toContain(SERVICE);
  });

  it("the owner adds a Ramadan schedule for the staff member (preview first)", async () => {
    await page.goto(siteUrl("/admin/settings/hours"));
    await page.fill("#s-label", "Ramadan");
    await page.fill("#s-from", localDay(1));
    await page.fill("#s-to", localDay(14));
    await page.getByRole("checkbox", { name: STAFF }).check();
    for (let d = 1; d <= 7; d++) {
      await page.fill(`input[name=start_${d}]`, "10:00");
      await page.fill(`input[name=end_${d}]`, "14:00");
    }
    await page.locator("button[name=intent][value=preview]").click();
    await page.locator("#affected").waitFor();
    await page.locator("button[name=intent][value=save]").click();
    await page.waitForURL(/done=saved/);
    expect(await page.locator(".alert.ok").count()).toBe(1);
    await bothWidths(page, "onboarding-6-ramadan");
    await owner.close();
  });

  it("the customer booking page shows the new branding and the Ramadan times", async () => {
    for (const [lang, width] of [
      ["fr", 1280],
      ["ar", 360],
    ] as const) {
      const context = await newContext(browser, { width, locale: lang === "ar" ? "ar-MA" : "fr-FR" });
      // The logo's host is not reachable from the test machine: serve the image the owner linked.
      await context.route(LOGO, (route) => route.fulfill({ status: 200, contentType: "image/svg+xml", body: LOGO_SVG }));
      const customer = await context.newPage();
      await customer.goto(siteUrl(`/?lang=${lang}`));
      expect(await customer.locator(`img[src='${LOGO}']`).count()).toBe(1);
      expect(await customer.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--a').trim()")).toBe(ACCENT);
      expect(await customer.content()).toContain(BUSINESS);
      await shot(customer, `onboarding-7-booking-services-${lang}-${width}`);
      await expectAccessible(customer, `booking services ${lang} ${width}`);
      await customer.getByRole("link", { name: new RegExp(SERVICE) }).click();
      await customer.getByRole("link", { name: new RegExp(STAFF) }).click();
      await customer.locator("a.time").first().waitFor();

      const timesOn = async (date: string) => {
        const url = new URL(customer.url());
        url.searchParams.set("from", date);
        url.searchParams.set("date", date);
        await customer.goto(url.toString());
        await customer.locator("a.time").first().waitFor();
        return (await customer.locator("a.time").allTextContents()).map((t) => t.trim());
      };
      // Inside Ramadan (two days ahead: past any minimum notice, whatever the hour): 10:00 to 14:00.
      const ramadan = await timesOn(localDay(3));
      expect(ramadan[0]).toBe("10:00");
      expect(ramadan.every((t) => t >= "10:00" && t < "14:00")).toBe(true);
      await shot(customer, `onboarding-8-booking-ramadan-${lang}-${width}`);
      await expectAccessible(customer, `booking ramadan times ${lang} ${width}`);
      // After Ramadan: the weekly hours again.
      const after = await timesOn(localDay(20));
      expect(after[0]).toBe("09:00");
      expect(after.some((t) => t >= "14:00")).toBe(true);
      expect(after.some((t) => t >= "13:00" && t < "14:00")).toBe(false);
      await context.close();
    }
  });
});
