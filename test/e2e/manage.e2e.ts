/** The manage link in Chromium: cancel, reschedule, cut-off passed, invalid link. */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client";
import { quoteSchema } from "../../src/tenancy/naming";
import type { E2eTenant } from "./environment";
import { e2e, expectAccessible, fillDetails, launch, newContext, pickFirstTime, shot, urlOf } from "./helpers";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Books through the pages and returns the manage link shown on the confirmation. */
async function book(page: Page, tenant: E2eTenant, service: RegExp, name: string): Promise<string> {
  await pickFirstTime(page, tenant, service, /Salma/, { laterDay: true });
  await fillDetails(page, { name, email: `${name.toLowerCase().replace(/\W/g, "")}@example.ma` });
  await page.locator("form button[type=submit]").click();
  await page.waitForURL(/booked=1/);
  return (await page.locator("#manage-link").getAttribute("href"))!;
}

async function bookingRow(tenant: E2eTenant, customerName: string) {
  const { db } = e2e();
  return withClient(db, async (c) => {
    const s = quoteSchema(tenant.schemaName);
    const { rows } = await c.query(
      `SELECT b.id, b.status, b.starts_at, b.manage_token_version FROM ${s}.bookings b JOIN ${s}.customers c ON c.id = b.customer_id WHERE c.name = $1`,
      [customerName],
    );
    return rows as { id: string; status: string; starts_at: Date; manage_token_version: number }[];
  });
}

describe("manage link", () => {
  it("cancels after a confirmation step", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser);
    const page = await context.newPage();
    const link = await book(page, tenants.main, /Coupe femme/, "Karim Cancel");
    await page.goto(link);
    expect(await page.locator("h1").textContent()).toBe("Votre réservation");
    await shot(page, "manage-1-view");
    await expectAccessible(page, "manage");
    await page.getByRole("link", { name: "Annuler le rendez-vous" }).click();
    expect(await page.locator("h1").textContent()).toBe("Voulez-vous vraiment annuler ce rendez-vous ?");
    await shot(page, "manage-2-cancel-confirm");
    await expectAccessible(page, "cancel confirm");
    await page.getByRole("button", { name: "Oui, annuler" }).click();
    await page.waitForURL(/cancelled=1/);
    expect(await page.locator("[role=status]").textContent()).toBe("Le rendez-vous est annulé.");
    expect(await page.locator(".badge").textContent()).toBe("Annulée");
    expect(await page.getByRole("link", { name: "Annuler le rendez-vous" }).count()).toBe(0);
    await shot(page, "manage-3-cancelled");
    const [row] = await bookingRow(tenants.main, "Karim Cancel");
    expect(row.status).toBe("cancelled");
    await context.close();
  });

  it("reschedules to another time, keeping the booking and retiring the old link", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser, { locale: "en-GB" });
    const page = await context.newPage();
    const link = await book(page, tenants.main, /Brushing/, "Laila Move");
    const [before] = await bookingRow(tenants.main, "Laila Move");
    await page.goto(link);
    await page.getByRole("link", { name: "Change the time" }).click();
    expect(await page.locator("h1").textContent()).toBe("Choose a new time");
    await shot(page, "manage-4-reschedule");
    await expectAccessible(page, "reschedule");
    // Another day: the second open date of the strip, its last time.
    await page.locator("a.day.open").nth(1).click();
    const target = page.locator("a.time").last();
    const label = (await target.textContent())!.trim();
    await target.click();
    // Like cancelling, moving asks once more; nothing has moved yet.
    expect(await page.locator("h1").textContent()).toBe("Move your appointment to this new time?");
    expect(await page.locator("#new-time").textContent()).toContain(label);
    await shot(page, "manage-4b-reschedule-confirm");
    await expectAccessible(page, "reschedule confirm");
    const [pending] = await bookingRow(tenants.main, "Laila Move");
    expect(pending.starts_at.getTime()).toBe(before.starts_at.getTime());
    await page.getByRole("button", { name: "Yes, move it" }).click();
    await page.waitForURL(/moved=1/);
    expect(await page.locator("[role=status]").textContent()).toBe("Done: your appointment has been moved.");
    expect(await page.locator("main").textContent()).toContain(label);
    await shot(page, "manage-5-moved");
    const [after] = await bookingRow(tenants.main, "Laila Move");
    expect(after.id).toBe(before.id);
    expect(after.starts_at.getTime()).not.toBe(before.starts_at.getTime());
    expect(after.manage_token_version).toBe(before.manage_token_version + 1);
    // The old link no longer works: a friendly page, not JSON.
    const old = await page.goto(link);
    expect(old!.status()).toBe(404);
    expect(await page.locator("h1").textContent()).toBe("Link not valid");
    await context.close();
  });

  it("explains that changes are closed once the cut-off has passed", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser);
    const page = await context.newPage();
    const link = await book(page, tenants.late, /Brushing/, "Omar Late");
    await page.goto(link);
    const text = (await page.locator("main").textContent())!;
    expect(text).toContain("L'annulation en ligne n'est plus possible");
    expect(text).toContain("Le changement d'horaire en ligne n'est plus possible");
    expect(await page.getByRole("link", { name: "Annuler le rendez-vous" }).count()).toBe(0);
    await shot(page, "manage-6-too-late");
    await expectAccessible(page, "too late");
    // Posting anyway changes nothing.
    const token = new URL(link).pathname.split("/")[2];
    const res = await page.evaluate(
      async (t) => (await fetch(`/manage/${t}/cancel`, { method: "POST", body: new URLSearchParams({ lang: "fr" }) })).url,
      token,
    );
    expect(res).not.toContain("cancelled=1");
    const [row] = await bookingRow(tenants.late, "Omar Late");
    expect(row.status).toBe("confirmed");
    await context.close();
  });

  it("answers a forged link with a friendly 404 page", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser);
    const page = await context.newPage();
    const res = await page.goto(urlOf(tenants.main, "/manage/not-a-real-token"));
    expect(res!.status()).toBe(404);
    expect(res!.headers()["content-type"]).toContain("text/html");
    expect(await page.locator("h1").textContent()).toBe("Lien non valable");
    await shot(page, "manage-7-invalid");
    await expectAccessible(page, "invalid link");
    await context.close();
  });
});
