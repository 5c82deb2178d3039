/**
 * The owner's team screen in real Chromium: invite someone (the pending
 * invitation appears with its expiry), change a member's role, the confirm
 * step before a removal; then the same screen in Arabic on a 360 px phone,
 * right to left, with nothing wider than the screen. Axe at 1280 and 360 px;
 * screenshots in test-artifacts/admin-team-*.png.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { e2e, expectAccessible, launch, newContext, shot, urlOf } from "./helpers";
import { addPeople, removePeople, signInWith } from "./people";

const PASSWORD = "Team-Owner-2026";
const run = Math.random().toString(36).slice(2, 8);
const OWNER = { email: `team-owner-${run}@example.ma`, name: "Salma Idrissi" };
const STAFF = { email: `team-staff-${run}@example.ma`, name: "Youssef Amrani" };
const INVITEE = `team-invitee-${run}@example.ma`;

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
  await addPeople(e2e().tenants.main.slug, PASSWORD, [
    [OWNER, "owner"],
    [STAFF, "staff"],
  ]);
});
afterAll(async () => {
  await browser?.close();
  await removePeople([OWNER.email, STAFF.email]);
});

async function signIn(page: Page, path: string) {
  await page.goto(urlOf(e2e().tenants.main, path));
  await signInWith(page, { email: OWNER.email, password: PASSWORD }, /\/admin\/settings\/team/);
}

describe("team screen", () => {
  it("invites, changes a role and asks before removing (1280 px, French)", async () => {
    const context = await newContext(browser, { width: 1280 });
    const page = await context.newPage();
    await signIn(page, "/admin/settings/team");
    expect(await page.getByRole("link", { name: "Accès" }).getAttribute("aria-current")).toBe("page");
    await expectAccessible(page, "team fr 1280");

    await page.fill("#invite-email", "pas-une-adresse");
    await page.getByRole("button", { name: "Envoyer l’invitation" }).click();
    await page.waitForSelector("#invite-email-err");
    await expectAccessible(page, "team invite error fr 1280");
    await page.fill("#invite-email", INVITEE);
    await page.selectOption("#invite-role", "admin");
    await page.getByRole("button", { name: "Envoyer l’invitation" }).click();
    await page.waitForSelector(".alert.ok");
    expect(await page.locator("body").textContent()).toContain(INVITEE);

    const row = page.locator("li", { hasText: STAFF.email });
    await row.locator("select").selectOption("admin");
    await row.getByRole("button", { name: "Changer" }).click();
    await page.waitForURL(/done=role/);
    expect(await page.locator("li", { hasText: STAFF.email }).locator("select").inputValue()).toBe("admin");

    await page.getByRole("link", { name: `Retirer ${STAFF.name}` }).click();
    await page.waitForSelector("#confirm");
    await shot(page, "admin-team-1-confirm-fr-1280");
    await expectAccessible(page, "team confirm fr 1280");
    await page.getByRole("link", { name: "Annuler" }).click();
    expect(await page.locator("#confirm").count()).toBe(0);
    await context.close();
  });

  it("fits a 360 px phone in Arabic, right to left", async () => {
    const context = await newContext(browser, { width: 360, locale: "ar-MA" });
    const page = await context.newPage();
    await signIn(page, "/admin/settings/team?lang=ar");
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(360);
    await shot(page, "admin-team-2-ar-360");
    await expectAccessible(page, "team ar 360");
    await context.close();
  });
});
