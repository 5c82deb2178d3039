/**
 * Customer pages inside workerd (the browser journeys are in test/e2e): pure
 * helpers (language choice, branding contrast, form checks, Intl formats) and
 * the HTML-vs-problem+json split of errors.
 */
import { describe, expect, it } from "vitest";
import { brandingFrom, contrast } from "../src/web/branding";
import { checkBookingForm, readBookingForm } from "../src/web/form";
import { formatDuration, formatPrice, formatTime } from "../src/web/format";
import { chooseLang, fromAcceptLanguage, messages } from "../src/web/i18n";
import { call, sql, useTenants } from "./harness";

const HTML = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };

describe("language choice", () => {
  it("prefers ?lang=, then the cookie, then Accept-Language, then the tenant default", () => {
    expect(chooseLang({ query: "ar", cookie: "bm_lang=en", acceptLanguage: "fr" })).toEqual({ lang: "ar", explicit: true });
    expect(chooseLang({ query: "de", cookie: "x=1; bm_lang=en", acceptLanguage: "fr" })).toEqual({ lang: "en", explicit: false });
    expect(chooseLang({ acceptLanguage: "de-DE,ar-MA;q=0.8,en;q=0.9" }).lang).toBe("en");
    expect(chooseLang({ acceptLanguage: "de", fallback: "ar" }).lang).toBe("ar");
    expect(chooseLang({}).lang).toBe("fr");
    expect(fromAcceptLanguage("en;q=0, ar")).toBe("ar");
  });
});

describe("formats", () => {
  it("formats through Intl in each language, Western digits in Arabic", () => {
    const ms = Date.parse("2026-12-01T13:30:00Z");
    expect(formatTime("fr", "Africa/Casablanca", ms)).toBe("14:30");
    expect(formatTime("ar", "Africa/Casablanca", ms)).toBe("14:30");
    expect(formatPrice("ar", 25000, "MAD")).toMatch(/250/);
    expect(formatPrice("fr", 25050, "MAD")).toMatch(/250,50/);
    expect(formatDuration("fr", 45)).toMatch(/45\s?min/);
    expect(formatDuration("en", 90)).toMatch(/1\s?hr?\s+30\s?min/);
  });
});

describe("branding", () => {
  it("keeps text readable whatever accent the business picks", () => {
    const light = brandingFrom({ accentColor: "#ffe066", logoUrl: "javascript:alert(1)" });
    expect(light.onAccent).toBe("#111111");
    expect(contrast(light.accentText, "#ffffff")).toBeGreaterThanOrEqual(4.5);
    expect(light.logoUrl).toBeNull();
    const dark = brandingFrom({ accentColor: "#1E3A8A", logoUrl: "https://cdn.example.ma/logo.png" });
    expect(dark).toMatchObject({
      accent: "#1e3a8a",
      onAccent: "#ffffff",
      accentText: "#1e3a8a",
      logoUrl: "https://cdn.example.ma/logo.png",
    });
    expect(brandingFrom({ accentColor: "red" }).accent).toBe("#0f766e");
  });
});

describe("booking form checks", () => {
  const m = messages("fr");
  it("names each bad field and accepts Moroccan national phone numbers", () => {
    const form = readBookingForm({ name: " ", email: "not-an-email", phone: "12 34", notes: "x".repeat(1001) });
    expect(Object.keys(checkBookingForm(form, m, "MA")).sort()).toEqual(["email", "name", "notes", "phone"]);
    expect(checkBookingForm(readBookingForm({ name: "Sara" }), m, "MA")).toEqual({ contact: m.errors.contact });
    expect(checkBookingForm(readBookingForm({ name: "Sara", phone: "06 12 34 56 78" }), m, "MA")).toEqual({});
  });
});

describe("pages and errors over HTTP", () => {
  const t = useTenants();

  it("serves the booking start page as HTML in the language asked for", async () => {
    const res = await call(t.a.domain, "/?lang=ar", { headers: HTML });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(res.headers.get("set-cookie")).toContain("bm_lang=ar");
    const body = await res.text();
    expect(body).toMatch(/^<!DOCTYPE html><html lang="ar" dir="rtl">/);
  });

  it("reads the accent colour from the tenant config", async () => {
    await sql(`UPDATE tenant_config SET settings = '{"accentColor":"#1e3a8a"}'::jsonb WHERE tenant_id = $1`, [t.b.id]);
    const body = await (await call(t.b.domain, "/", { headers: HTML })).text();
    expect(body).toContain("--a:#1e3a8a");
  });

  it("renders an HTML 404 for a browser on an unknown host, problem+json on /api", async () => {
    const page = await call("nobody.bookme.test", "/", { headers: HTML });
    expect(page.status).toBe(404);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toContain("Adresse inconnue");
    const api = await call("nobody.bookme.test", "/api/tenant", { headers: HTML });
    expect(api.status).toBe(404);
    expect(api.headers.get("content-type")).toBe("application/problem+json");
    const missing = await call(t.a.domain, "/api/nothing-here", { headers: HTML });
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
  });

  it("keeps problem+json for non-browser clients outside /api", async () => {
    const res = await call("nobody.bookme.test", "/", { headers: { accept: "application/json" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it("shows a friendly 404 page for a forged manage link and for another tenant's service", async () => {
    const res = await call(t.a.domain, "/manage/abc.def.ghi", { headers: HTML });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Lien non valable");
    const svc = await call(t.a.domain, "/?service=00000000-0000-4000-8000-000000000000&staff=any", { headers: HTML });
    expect(svc.status).toBe(404);
    expect(svc.headers.get("content-type")).toMatch(/text\/html/);
  });
});
