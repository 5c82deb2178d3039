/**
 * Issue 14: another local origin embeds the booking page with the script tag
 * and books inside the frame; an origin not on the business's list is refused
 * by the browser (CSP frame-ancestors).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client";
import { quoteSchema } from "../../src/tenancy/naming";
import { e2e, launch, newContext, urlOf } from "./helpers";

let browser: Browser;
const servers: Server[] = [];

/** A third-party site: one page with the embed script tag. */
async function hostSite(scriptSrc: string): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html><body><h1>Partner site</h1><script src="${scriptSrc}" data-mode="inline"></script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let allowed: string;
let other: string;
beforeAll(async () => {
  browser = await launch();
  const { db, tenants } = e2e();
  const script = urlOf(tenants.main, "/embed.js");
  allowed = await hostSite(script);
  other = await hostSite(script);
  await withClient(db, (c) =>
    c.query(`UPDATE ${quoteSchema(tenants.main.schemaName)}.settings SET embed_origins = $1::text[] WHERE id = 1`, [[allowed]]),
  );
});
afterAll(async () => {
  await browser?.close();
  for (const s of servers) await new Promise<void>((resolve) => s.close(() => resolve()));
});

describe("embedded booking page", () => {
  it("books inside the frame on a listed origin; the frame resizes to its page", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(allowed);
    const frame = page.frameLocator("iframe");
    await frame.getByRole("link", { name: /Coupe femme/ }).click();
    await frame.locator("a.item").first().click();
    await frame.locator("a.time").first().waitFor();
    const times = frame.locator("a.time");
    await ((await times.count()) > 1 ? times.nth(1) : times.first()).click();
    await frame.locator("input[name=name]").waitFor();
    await frame.locator("input[name=name]").fill("Leila Embed");
    await frame.locator("input[name=phone]").fill("06 99 88 77 66");
    await frame.getByRole("button", { name: "Confirmer la réservation" }).click();
    await expect.poll(async () => frame.locator("h1").textContent(), { timeout: 20_000 }).toBe("C'est réservé !");
    // The embed script set the frame's height from the page's postMessage.
    await expect
      .poll(async () => page.locator("iframe").evaluate((f) => (f as unknown as { style: { height: string } }).style.height))
      .toMatch(/^\d+px$/);
    await context.close();
  });

  it("an origin not on the list gets no page in the frame", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const refusals: string[] = [];
    page.on("console", (m) => {
      if (m.text().includes("frame-ancestors")) refusals.push(m.text());
    });
    await page.goto(other);
    await page.waitForTimeout(1500);
    expect(refusals.length).toBeGreaterThan(0);
    // Chromium shows its own "refused" error page in the frame: none of the booking page is there.
    const frame = page.frameLocator("iframe");
    expect(await frame.getByRole("link", { name: /Coupe femme/ }).count()).toBe(0);
    expect(await frame.locator("h1").allTextContents()).not.toContain("Choisissez une prestation");
    await context.close();
  });
});
