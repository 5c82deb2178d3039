/** Two browsers grab the same time: the second is told, in words, and offered the next free times. */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { e2e, expectAccessible, fillDetails, launch, newContext, pickFirstTime, shot } from "./helpers";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("same slot from two browsers", () => {
  it("books it for the first and shows the second the conflict page with alternatives that book in one click", async () => {
    const { tenants } = e2e();
    const first = await newContext(browser);
    const second = await newContext(browser);
    const a = await first.newPage();
    const b = await second.newPage();
    const timeA = await pickFirstTime(a, tenants.main, /Soin du visage/, /Youssef/);
    const timeB = await pickFirstTime(b, tenants.main, /Soin du visage/, /Youssef/);
    expect(timeB).toBe(timeA);
    await fillDetails(a, { name: "Premier Client", email: "premier@example.ma" });
    await fillDetails(b, { name: "Second Client", email: "second@example.ma", phone: "0611223344", notes: "Peau sensible" });

    await a.getByRole("button", { name: "Confirmer la réservation" }).click();
    await a.waitForURL(/booked=1/);

    const response = b.waitForResponse((r) => r.url().endsWith("/book"));
    await b.getByRole("button", { name: "Confirmer la réservation" }).click();
    expect((await response).status()).toBe(409);
    await b.locator("h1").waitFor();
    expect(await b.locator("h1").textContent()).toBe("Ce créneau vient d'être réservé");
    const alternatives = b.locator("form button[name=start]");
    expect(await alternatives.count()).toBeGreaterThan(0);
    await shot(b, "conflict-1-page");
    await expectAccessible(b, "conflict");

    // One click books the next time with the details kept.
    const next = await alternatives.first().getAttribute("value");
    expect(Date.parse(next!)).toBeGreaterThan(0);
    await alternatives.first().click();
    await b.waitForURL(/booked=1/);
    const text = (await b.locator("main").textContent())!;
    expect(text).toContain("Second Client");
    expect(text).toContain("second@example.ma");
    await shot(b, "conflict-2-rebooked");
    await first.close();
    await second.close();
  });
});
