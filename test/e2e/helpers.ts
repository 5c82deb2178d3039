/** Browser helpers for the e2e tests: Debian's Chromium, screenshots, axe-core, per-tenant URLs. */
import "../../infra/node-driver";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect, inject } from "vitest";
import type { E2eTenant } from "./environment";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const ARTIFACTS = join(new URL("../..", import.meta.url).pathname, "test-artifacts");
mkdirSync(ARTIFACTS, { recursive: true });

export const e2e = () => inject("e2e");
export const urlOf = (tenant: E2eTenant, path = "/") => `http://${tenant.domain}:${e2e().port}${path}`;

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A fresh browser profile: French-speaking desktop unless told otherwise. */
export function newContext(
  browser: Browser,
  options: { locale?: string; width?: number; timezoneId?: string } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    locale: options.locale ?? "fr-FR",
    timezoneId: options.timezoneId ?? "Africa/Casablanca",
    viewport: { width: options.width ?? 1024, height: 900 },
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Runs axe-core in the page; fails on serious or critical violations. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  // Evaluated through the DevTools protocol: the pages' CSP (rightly) refuses an injected <script>.
  await page.evaluate(AXE);
  // A string, so this Node-typed file needs no DOM types.
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ["violations"] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) })))`)) as {
    id: string;
    impact: string;
    help: string;
    targets: string[];
  }[];
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad, `${label}: ${JSON.stringify(bad, null, 1)}`).toEqual([]);
}

export interface Customer {
  name: string;
  email?: string;
  phone?: string;
  notes?: string;
}

/** Fills the details form (labels are in the page's language, so fields are found by name). */
export async function fillDetails(page: Page, c: Customer): Promise<void> {
  await page.fill("input[name=name]", c.name);
  await page.fill("input[name=email]", c.email ?? "");
  await page.fill("input[name=phone]", c.phone ?? "");
  if (c.notes) await page.fill("textarea[name=notes]", c.notes);
}

/** From the start page: service → staff (or anyone) → an early time of the first open date (or the next one); lands on the details form. */
export async function pickFirstTime(
  page: Page,
  tenant: E2eTenant,
  service: RegExp,
  staff: RegExp | null,
  opts: { lang?: string; snap?: string; laterDay?: boolean } = {},
): Promise<string> {
  await page.goto(urlOf(tenant, opts.lang ? `/?lang=${opts.lang}` : "/"));
  if (opts.snap) await shot(page, `${opts.snap}-1-services`);
  await page.getByRole("link", { name: service }).click();
  if (opts.snap) await shot(page, `${opts.snap}-2-staff`);
  if (staff) await page.getByRole("link", { name: staff }).click();
  else await page.locator("a.item").first().click();
  await page.locator("a.time").first().waitFor();
  if (opts.laterDay) {
    // The next open date after the one offered first: hours away from now, whatever the time of day
    // (a time later today could fall inside the cancellation cut-off).
    const href = await page.locator("a.day.open:not([aria-current])").first().getAttribute("href");
    await page.goto(new URL(href!, page.url()).href);
    await page.locator("a.time").first().waitFor();
  }
  if (opts.snap) await shot(page, `${opts.snap}-3-times`);
  // The second time when there is one: the first may cross the minimum-notice line while the test types.
  const times = page.locator("a.time");
  const time = (await times.count()) > 1 ? times.nth(1) : times.first();
  const label = (await time.textContent())!.trim();
  await time.click();
  await page.locator("input[name=name]").waitFor();
  return label;
}
