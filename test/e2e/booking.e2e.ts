/** Booking through the customer pages in real Chromium: French, Arabic (RTL), English, bad input, bad hosts. */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "../../bench/http";
import { withClient } from "../../src/db/client";
import { quoteSchema } from "../../src/tenancy/naming";
import { e2e, expectAccessible, fillDetails, launch, newContext, pickFirstTime, shot, urlOf } from "./helpers";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function bookingOf(id: string) {
  const { db, tenants } = e2e();
  return withClient(db, async (c) => {
    const { rows } = await c.query(
      `SELECT b.status, b.notes, c.name, c.email, c.phone, c.locale FROM ${quoteSchema(tenants.main.schemaName)}.bookings b
         JOIN ${quoteSchema(tenants.main.schemaName)}.customers c ON c.id = b.customer_id WHERE b.id::text LIKE $1`,
      [`${id.toLowerCase()}%`],
    );
    return rows[0] as { status: string; notes: string; name: string; email: string | null; phone: string | null; locale: string };
  });
}

describe("booking pages", () => {
  it("books a haircut in French from service to confirmation, with an .ics and a manage link", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(urlOf(tenants.main));
    expect(await page.getAttribute("html", "lang")).toBe("fr");
    expect(await page.locator("h1").textContent()).toBe("Choisissez une prestation");
    expect(await page.locator("body").textContent()).toMatch(/250\s?MAD/);
    await expectAccessible(page, "services fr");

    const time = await pickFirstTime(page, tenants.main, /Coupe femme/, null, { snap: "fr" });
    await expectAccessible(page, "details fr");
    await fillDetails(page, { name: "Sara Bennani", email: "sara@example.ma", phone: "06 12 34 56 78", notes: "Cheveux longs" });
    await shot(page, "fr-4-details");
    await page.getByRole("button", { name: "Confirmer la réservation" }).click();
    await page.waitForURL(/\/manage\/[^/?]+\?booked=1/);
    expect(await page.locator("h1").textContent()).toBe("C'est réservé !");
    const text = (await page.locator("main").textContent())!;
    expect(text).toContain("Coupe femme");
    expect(text).toContain(time);
    expect(text).toContain("sara@example.ma");
    await shot(page, "fr-5-confirmation");
    await expectAccessible(page, "confirmation fr");

    const manageHref = await page.locator("#manage-link").getAttribute("href");
    expect(manageHref).toMatch(new RegExp(`^http://${tenants.main.domain}:\\d+/manage/`));
    const icsHref = await page.getByRole("link", { name: /agenda/ }).getAttribute("href");
    const ics = await page.evaluate(async (href) => {
      const res = await fetch(href);
      return { type: res.headers.get("content-type"), body: await res.text() };
    }, icsHref!);
    expect(ics.type).toContain("text/calendar");
    const body = ics.body;
    expect(body).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(body).toContain("SUMMARY:Coupe femme · Salon Yasmine");

    const ref = (await page.locator("code").first().textContent())!;
    const row = await bookingOf(ref);
    expect(row).toMatchObject({
      status: "confirmed",
      name: "Sara Bennani",
      email: "sara@example.ma",
      phone: "+212612345678",
      locale: "fr",
      notes: "Cheveux longs",
    });
    await context.close();
  });

  it("books in Arabic: right-to-left page, Western digits, Arabic confirmation", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser, { locale: "ar-MA" });
    const page = await context.newPage();
    await page.goto(urlOf(tenants.main));
    // Accept-Language alone picks Arabic.
    expect(await page.getAttribute("html", "lang")).toBe("ar");
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    expect(await page.locator("body").textContent()).toMatch(/250/);
    await shot(page, "ar-1-services");
    await expectAccessible(page, "services ar");
    await pickFirstTime(page, tenants.main, /Brushing/, null, { snap: "ar" });
    await expectAccessible(page, "details ar");
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    await fillDetails(page, { name: "يوسف العلوي", phone: "+212 6 61 22 33 44" });
    await shot(page, "ar-4-details");
    await page.getByRole("button", { name: "تأكيد الحجز" }).click();
    await page.waitForURL(/booked=1/);
    expect(await page.locator("h1").textContent()).toBe("تم الحجز!");
    expect(await page.getAttribute("html", "dir")).toBe("rtl");
    // Times in Western digits (policy: ar-MA with nu-latn).
    expect(await page.locator("main").textContent()).toMatch(/\d{2}:\d{2}/);
    await shot(page, "ar-5-confirmation");
    await expectAccessible(page, "confirmation ar");
    const row = await bookingOf((await page.locator("code").first().textContent())!);
    expect(row).toMatchObject({ status: "confirmed", name: "يوسف العلوي", phone: "+212661223344", locale: "ar" });
    await context.close();
  });

  it("switches language with the switcher and remembers it in a cookie", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser, { locale: "fr-FR" });
    const page = await context.newPage();
    await page.goto(urlOf(tenants.main));
    await page.getByRole("link", { name: "English" }).click();
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.locator("h1").textContent()).toBe("Choose a service");
    // A later visit without ?lang= keeps English (cookie), over the browser's French.
    await page.goto(urlOf(tenants.main));
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.getAttribute("html", "dir")).toBe("ltr");
    await context.close();
  });

  it("keeps what was typed and shows the phone error next to the field", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser);
    const page = await context.newPage();
    await pickFirstTime(page, tenants.main, /Brushing/, null);
    await fillDetails(page, { name: "Nadia", email: "nadia@example.ma", phone: "12 34", notes: "Merci" });
    await page.getByRole("button", { name: "Confirmer la réservation" }).click();
    await page.locator("#phone-err").waitFor();
    expect(await page.locator("#phone-err").textContent()).toContain("Ce numéro n'est pas valide");
    expect(await page.getAttribute("#phone", "aria-invalid")).toBe("true");
    expect(await page.getAttribute("#phone", "aria-describedby")).toContain("phone-err");
    expect(await page.inputValue("#name")).toBe("Nadia");
    expect(await page.inputValue("#email")).toBe("nadia@example.ma");
    expect(await page.inputValue("#phone")).toBe("12 34");
    expect(await page.inputValue("#notes")).toBe("Merci");
    // Focus lands on the field to fix.
    expect(await page.evaluate("document.activeElement && document.activeElement.id")).toBe("phone");
    await shot(page, "fr-invalid-phone");
    await expectAccessible(page, "invalid phone");
    // Fixing it books.
    await page.fill("#phone", "0612345679");
    await page.getByRole("button", { name: "Confirmer la réservation" }).click();
    await page.waitForURL(/booked=1/);
    await context.close();
  });

  it("notes the customer's own time zone next to each time when it differs", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser, { timezoneId: "Europe/Paris" });
    const page = await context.newPage();
    await pickFirstTime(page, tenants.main, /Brushing/, null);
    await page.goBack();
    await page.locator("#tz:not([hidden])").waitFor();
    expect(await page.locator("#tz").textContent()).toContain("Europe/Paris");
    const first = page.locator("a.time").first();
    // Casablanca and Paris differ by an hour in winter: "09:00(10:00)".
    expect(await first.locator("small").textContent()).toMatch(/^\(\d{2}:\d{2}\)$/);
    await shot(page, "tz-note");
    await context.close();
  });

  it("books a seat in a group class and shows the places left", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser);
    const page = await context.newPage();
    await pickFirstTime(page, tenants.main, /Atelier maquillage/, /Salma/);
    const start = new URL(page.url()).searchParams.get("start")!;
    await page.goBack();
    const seat = page.locator(`a.time[href*="${encodeURIComponent(start)}"] small`);
    expect(await seat.textContent()).toBe("6 places");
    await page.locator(`a.time[href*="${encodeURIComponent(start)}"]`).click();
    await fillDetails(page, { name: "Atelier Une", email: "atelier1@example.ma" });
    await page.getByRole("button", { name: "Confirmer la réservation" }).click();
    await page.waitForURL(/booked=1/);
    await page.goBack();
    await page.goBack();
    await page.reload();
    expect(await page.locator(`a.time[href*="${encodeURIComponent(start)}"] small`).textContent()).toBe("5 places");
    await context.close();
  });

  it("can be used with the keyboard alone: skip link first, then links in reading order", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(urlOf(tenants.main));
    const focused = () => page.evaluate("document.activeElement && document.activeElement.textContent.trim()") as Promise<string>;
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("Aller au contenu");
    await page.keyboard.press("Enter");
    // From the main content the next Tab reaches the first service.
    await page.keyboard.press("Tab");
    expect(await focused()).toMatch(/^Brushing/);
    await page.keyboard.press("Enter");
    await page.waitForURL(/service=/);
    expect(await page.locator("h1").textContent()).toBe("Avec qui ?");
    await context.close();
  });

  it("works at 360 px wide", async () => {
    const { tenants } = e2e();
    const context = await newContext(browser, { width: 360 });
    const page = await context.newPage();
    const overflows = () => page.evaluate("document.documentElement.scrollWidth > window.innerWidth");
    await pickFirstTime(page, tenants.main, /Soin du visage/, /Salma/, { snap: "360" });
    expect(await overflows()).toBe(false);
    await page.goBack();
    await page.locator("a.time").first().waitFor();
    expect(await overflows()).toBe(false);
    await expectAccessible(page, "times 360");
    // Right to left too.
    await page.goto(urlOf(tenants.main, "/?lang=ar"));
    expect(await overflows()).toBe(false);
    await shot(page, "360-ar-services");
    await pickFirstTime(page, tenants.main, /Soin du visage/, /Salma/, { lang: "ar" });
    await page.goBack();
    await page.locator("a.time").first().waitFor();
    expect(await overflows()).toBe(false);
    await shot(page, "360-ar-times");
    await page.goForward();
    await shot(page, "360-4-details");
    await expectAccessible(page, "details 360");
    await context.close();
  });

  it("answers an unknown host and a suspended business with HTML pages", async () => {
    const { tenants, port } = e2e();
    const context = await newContext(browser);
    const page = await context.newPage();
    const unknown = await page.goto(`http://nobody-here.localhost:${port}/`);
    expect(unknown!.status()).toBe(404);
    expect(unknown!.headers()["content-type"]).toContain("text/html");
    expect(await page.locator("h1").textContent()).toBe("Adresse inconnue");
    await shot(page, "unknown-host");
    await expectAccessible(page, "unknown host");
    const suspended = await page.goto(urlOf(tenants.suspended));
    expect(suspended!.status()).toBe(403);
    expect(await page.locator("h1").textContent()).toBe("Réservations suspendues");
    // The API keeps problem+json on the same hosts.
    const api = await request(`http://127.0.0.1:${port}`, "nobody-here.localhost", "/api/tenant", {
      headers: { accept: "text/html,application/json" },
    });
    expect(api.status).toBe(404);
    expect(JSON.parse(api.body)).toMatchObject({ code: "tenant_not_found", status: 404 });
    await context.close();
  });
});
