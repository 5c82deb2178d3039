/** Page weight: what the booking page makes the browser download, gzip-compressed, stays under 60 KB. */
import { gzipSync } from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { e2e, launch, newContext, urlOf } from "./helpers";

const LIMIT = 60 * 1024;
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Loads `url` and sums the gzip size of every HTML, CSS and JS response the page loaded. */
async function weigh(page: Page, url: string): Promise<{ gzip: number; raw: number; files: number }> {
  const bodies: Promise<Buffer | null>[] = [];
  const onResponse = (res: import("playwright-core").Response) => {
    const type = res.headers()["content-type"] ?? "";
    if (/text\/html|text\/css|javascript/.test(type)) bodies.push(res.body().catch(() => null));
  };
  page.on("response", onResponse);
  await page.goto(url, { waitUntil: "networkidle" });
  page.off("response", onResponse);
  const loaded = (await Promise.all(bodies)).filter((b): b is Buffer => b !== null);
  return {
    gzip: loaded.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0),
    raw: loaded.reduce((n, b) => n + b.length, 0),
    files: loaded.length,
  };
}

describe("page weight", () => {
  it("keeps the start page and the time step under 60 KB compressed", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser);
    const page = await context.newPage();
    const start = await weigh(page, urlOf(tenants.main));
    await page.getByRole("link", { name: /Coupe femme/ }).click();
    await page.locator("a.item").first().click();
    await page.locator("a.time").first().waitFor();
    const times = await weigh(page, page.url());
    console.log(`[weight] start page ${start.raw} B raw / ${start.gzip} B gzip; time step ${times.raw} B raw / ${times.gzip} B gzip`);
    expect(start.files).toBeGreaterThan(0);
    expect(start.gzip).toBeLessThan(LIMIT);
    expect(times.gzip).toBeLessThan(LIMIT);
    await context.close();
  });
});
