/**
 * Back-office sign-in (/admin): session cookie, CSRF on every form, audience
 * binding to the business's host, logout, next= redirects.
 */
import { describe, expect, it } from "vitest";
import { member, PASSWORD } from "./auth-fixtures";
import { adminSession, csrfOf, get, Jar, postForm, setCookies, signInAdmin } from "./admin-auth-helpers";
import { countRoundTrips, useTenants } from "./harness";

const tenants = useTenants();

describe("sign-in", () => {
  it("sends a visitor without a session to the sign-in page and back after signing in", async () => {
    const res = await get(tenants.a.domain, "/admin/calendar?day=2026-12-01");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/admin/login?next=${encodeURIComponent("/admin/calendar?day=2026-12-01")}`);

    const owner = await member(tenants.a.id, "owner");
    const { jar, res: signed } = await signInAdmin(tenants.a.domain, owner.email, undefined, "/admin/calendar?day=2026-12-01");
    expect(signed.status).toBe(303);
    expect(signed.headers.get("location")).toBe("/admin/calendar?day=2026-12-01");
    const cookie = setCookies(signed).find((c) => c.startsWith("bm_admin="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/admin/);
    expect(cookie).not.toMatch(/Domain=/i);

    const page = await get(tenants.a.domain, "/admin/calendar", jar);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<nav aria-label="Navigation principale"');
    expect(html).toContain('name="_csrf"');

    const again = await get(tenants.a.domain, "/admin/login?next=%2Fadmin%2Fcustomers", jar);
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toBe("/admin/customers");

    const home = await get(tenants.a.domain, "/admin", jar);
    expect(home.status).toBe(303);
    expect(home.headers.get("location")).toBe("/admin/calendar");
  });

  it("keeps the sign-in form working when the language is switched by ?lang= (both cookies set)", async () => {
    const owner = await member(tenants.a.id, "owner");
    const jar = new Jar();
    const page = await get(tenants.a.domain, "/admin/login?lang=ar", jar);
    expect(jar.cookies.get("bm_lang")).toBe("ar");
    expect(jar.cookies.has("bm_admin_pre")).toBe(true);
    const html = await page.text();
    expect(html).toContain('dir="rtl"');
    const res = await postForm(tenants.a.domain, "/admin/login", jar, { _csrf: csrfOf(html), email: owner.email, password: PASSWORD });
    expect(res.status).toBe(303);
    const shell = await get(tenants.a.domain, "/admin/calendar", jar);
    expect(await shell.text()).toContain('<html lang="ar" dir="rtl">');
  });

  it("refuses a wrong password with the same page and no cookie", async () => {
    const owner = await member(tenants.a.id, "owner");
    const { jar, res } = await signInAdmin(tenants.a.domain, owner.email, "Wrong-password-1");
    expect(res.status).toBe(401);
    expect(jar.cookies.has("bm_admin")).toBe(false);
    expect(await res.text()).toContain("incorrect");
  });

  it("refuses a member of another business", async () => {
    const other = await member(tenants.b.id, "owner");
    const { res } = await signInAdmin(tenants.a.domain, other.email);
    expect(res.status).toBe(401);
  });
});

describe("reset email", () => {
  it("renders in the member's language with the link (Arabic right to left)", async () => {
    const { renderPasswordResetEmail } = await import("../src/notify/templates");
    const url = "https://salon.bookme.test/admin/password/reset?token=abc";
    const fr = renderPasswordResetEmail("fr", { tenantName: "Salon Nour", resetUrl: url });
    expect(fr.subject).toBe("Réinitialisez votre mot de passe Salon Nour");
    expect(fr.text).toContain(url);
    expect(fr.html).toContain(`href="${url.replace("&", "&amp;")}"`);
    const ar = renderPasswordResetEmail("ar", { tenantName: "Salon Nour", resetUrl: url });
    expect(ar.dir).toBe("rtl");
    expect(ar.html).toContain('dir="rtl"');
    expect(renderPasswordResetEmail("en", { tenantName: "X", resetUrl: "javascript:alert(1)" }).html).not.toContain("javascript:");
  });
});

describe("cost", () => {
  it("a page with a live session costs no database round trip; a renewal one statement; a form one check", async () => {
    const owner = await member(tenants.a.id, "owner");
    const { jar, csrf } = await adminSession(tenants.a.domain, owner.email);
    // The settings page reads the business in one statement; the live session adds nothing to it.
    const page = await countRoundTrips(async () => expect((await get(tenants.a.domain, "/admin/settings", jar)).status).toBe(200));
    expect(page).toEqual({ connections: 0, flights: 1, httpRequests: 1 });

    const stale = jar.clone();
    const [sid, refresh] = stale.cookies.get("bm_admin")!.split(".");
    stale.cookies.set("bm_admin", `${sid}.${refresh}.eyJhbGciOiJIUzI1NiJ9.e30.AAAA`);
    const renewal = await countRoundTrips(async () => expect((await get(tenants.a.domain, "/admin/settings", stale)).status).toBe(200));

    // Sign-out: the CSRF check (no database), the liveness check (one HTTP statement), then the family revoked (one more).
    const write = await countRoundTrips(async () =>
      expect((await postForm(tenants.a.domain, "/admin/logout", jar, { _csrf: csrf })).status).toBe(303),
    );
    // The renewal (one statement) before the page's own one.
    expect(renewal).toEqual({ connections: 0, flights: 2, httpRequests: 2 });
    expect(write).toEqual({ connections: 0, flights: 2, httpRequests: 2 });
    console.log(`[admin cost] page ${JSON.stringify(page)} renewal ${JSON.stringify(renewal)} logout ${JSON.stringify(write)}`);
  });
});
