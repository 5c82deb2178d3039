/**
 * Integrations in real Chromium: an admin adds a webhook endpoint (the secret
 * shown once), queues a test delivery and reads the notifications log, at
 * 1280 px in French and on a 360 px phone in Arabic (right to left, nothing
 * wider than the screen). Axe clean; screenshots in
 * test-artifacts/admin-integrations-*.png. Also the messages-and-alerts settings
 * (embed snippets, a refused site) and "my alerts" (admin-messaging-*.png).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { e2e, expectAccessible, launch, newContext, shot, urlOf } from "./helpers";
import { addPeople, removePeople, signInWith } from "./people";

const PASSWORD = "Hooks-Admin-2026";
const run = Math.random().toString(36).slice(2, 8);
const ADMIN = { email: `hooks-admin-${run}@example.ma`, name: "Youssef Alami" };
const BASE = "/admin/settings/integrations";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
  await addPeople(e2e().tenants.main.slug, PASSWORD, [[ADMIN, "admin"]]);
});
afterAll(async () => {
  await browser?.close();
  await removePeople([ADMIN.email]);
});

async function signIn(page: Page, path: string) {
  await page.goto(urlOf(e2e().tenants.main, path));
  await signInWith(page, { email: ADMIN.email, password: PASSWORD }, new RegExp(`${path.replace(/[/?]/g, "\\$&")}$`));
}

/** Nothing may push the page sideways on a phone. */
async function expectNoSidewaysScroll(page: Page) {
  const widths = (await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")) as [number, number];
  expect(widths[0]).toBeLessThanOrEqual(widths[1]);
}

describe("integrations", () => {
  it("adds an endpoint, shows its secret once, queues a test (fr, 1280 px)", async () => {
    const context = await newContext(browser, { width: 1280 });
    const page = await context.newPage();
    await signIn(page, BASE);
    expect(await page.getByRole("link", { name: "Intégrations" }).getAttribute("aria-current")).toBe("page");
    await expectAccessible(page, "integrations fr 1280");

    // (Private addresses are refused in production only: the workerd tests cover that.)
    await page.fill("#new-url", `http://example.com/hooks/${run}`);
    await page.getByRole("button", { name: "Ajouter l'adresse" }).click();
    await page.waitForSelector("#new-url-err");
    expect(await page.locator("#new-url-err").textContent()).toContain("https://");
    await shot(page, "admin-integrations-1-refused-fr-1280");
    await expectAccessible(page, "integrations error fr 1280");

    await page.fill("#new-url", `https://example.com/hooks/${run}`);
    await page.check("#new-ev-booking\\.created");
    await page.getByRole("button", { name: "Ajouter l'adresse" }).click();
    await page.waitForSelector("#secret");
    expect(await page.inputValue("#secret")).toMatch(/^whsec_[0-9a-f]{64}$/);
    await shot(page, "admin-integrations-2-secret-fr-1280");
    await expectAccessible(page, "endpoint secret fr 1280");
    await page.reload();
    expect(await page.locator("#secret").count()).toBe(0);
    await page.waitForSelector("#secret-hidden");

    await page.getByRole("button", { name: "Envoyer un test" }).click();
    await page.waitForSelector(".alert.ok");
    expect(await page.locator("#deliveries li").count()).toBeGreaterThan(0);
    await shot(page, "admin-integrations-3-test-queued-fr-1280");
    await context.close();
  });

  it("reads the endpoint and the notifications log in Arabic on a phone (360 px)", async () => {
    const context = await newContext(browser, { width: 360, locale: "ar-MA" });
    const page = await context.newPage();
    await signIn(page, `${BASE}?lang=ar`);
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    await expectNoSidewaysScroll(page);
    await expectAccessible(page, "integrations ar 360");
    await shot(page, "admin-integrations-4-overview-ar-360");

    await page
      .getByRole("link", { name: /^إدارة/ })
      .first()
      .click();
    await page.waitForSelector("#secret-hidden");
    await expectNoSidewaysScroll(page);
    await expectAccessible(page, "endpoint ar 360");
    await shot(page, "admin-integrations-5-endpoint-ar-360");

    await page.goto(urlOf(e2e().tenants.main, `${BASE}/notifications?lang=ar`));
    await page.waitForSelector("#f-status");
    await expectNoSidewaysScroll(page);
    await expectAccessible(page, "log ar 360");
    await shot(page, "admin-integrations-6-log-ar-360");
    await context.close();
  });
});

describe("messages and alerts settings", () => {
  it("lists allowed sites with the embed snippets, and my alerts, in Arabic on a phone and in French at 1280 px", async () => {
    const phone = await newContext(browser, { width: 360, locale: "ar-MA" });
    const page = await phone.newPage();
    await signIn(page, "/admin/settings/messaging?lang=ar");
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    await page.waitForSelector("#embed_origins");
    await expectNoSidewaysScroll(page);
    await expectAccessible(page, "messaging settings ar 360");
    await shot(page, "admin-messaging-1-settings-ar-360");
    // A site that is not a bare origin is refused next to the field, in Arabic.
    await page.fill("#embed_origins", "https://salon.example.ma/reserver");
    await page.locator("form:has(#embed_origins) button[type=submit]").click();
    await page.waitForSelector("#embed_origins[aria-invalid=true]");
    await expectAccessible(page, "messaging settings error ar 360");
    await shot(page, "admin-messaging-2-origin-refused-ar-360");

    await page.goto(urlOf(e2e().tenants.main, "/admin/account/alerts?lang=ar"));
    await page.waitForSelector("input[name=whatsapp_phone]");
    await expectNoSidewaysScroll(page);
    await expectAccessible(page, "my alerts ar 360");
    await shot(page, "admin-messaging-3-my-alerts-ar-360");
    await phone.close();

    const desk = await newContext(browser, { width: 1280 });
    const wide = await desk.newPage();
    await signIn(wide, "/admin/settings/messaging?lang=fr");
    await wide.waitForSelector("#embed_origins");
    // The snippets carry the business's own host.
    expect(await wide.locator("code").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining(e2e().tenants.main.domain)]),
    );
    await expectAccessible(wide, "messaging settings fr 1280");
    await shot(wide, "admin-messaging-4-settings-fr-1280");
    await desk.close();
  });
});
