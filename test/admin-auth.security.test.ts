/**
 * Back-office security: no page or form without a session, CSRF on every
 * form (nothing changes without the right token), a session bound to its
 * business's host, logout and password reset end sessions, reset links work
 * once and for an hour, next= never leaves the back office, page roles.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { signResetToken } from "../src/auth/password-reset";
import { safeNext } from "../src/auth/sessions";
import { addMember, authed, createUser, login, member, PASSWORD } from "./auth-fixtures";
import { adminSession, csrfOf, get, Jar, postForm, setCookies, signInAdmin } from "./admin-auth-helpers";
import { call, json, sql, useTenants } from "./harness";

const tenants = useTenants();
const keys = () => ({ current: env.JWT_SECRET! });

async function liveTokens(userId: string): Promise<number> {
  const rows = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL`, [
    userId,
  ]);
  return rows[0].n;
}

/** The same session with its access part spoiled: the next request must go through the refresh token. */
function withStaleAccess(jar: Jar): Jar {
  const copy = jar.clone();
  const [sid, refresh] = copy.cookies.get("bm_admin")!.split(".");
  copy.cookies.set("bm_admin", `${sid}.${refresh}.eyJhbGciOiJIUzI1NiJ9.e30.AAAA`);
  return copy;
}

describe("without a session", () => {
  it("no page answers and no form does anything", async () => {
    for (const path of ["/admin", "/admin/calendar", "/admin/customers", "/admin/takings", "/admin/settings", "/admin/nope"]) {
      const res = await get(tenants.a.domain, path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get("location"), path).toMatch(/^\/admin\/login/);
    }
    const owner = await member(tenants.a.id, "owner");
    await login(tenants.a.domain, owner.email); // an API session that a forged logout must not touch
    const before = await liveTokens(owner.id);
    const res = await postForm(tenants.a.domain, "/admin/logout", undefined, { _csrf: "x".repeat(43) });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/login");
    expect(await liveTokens(owner.id)).toBe(before);
  });

  it("a garbage cookie is dropped and leads to the sign-in page", async () => {
    const jar = new Jar();
    jar.cookies.set("bm_admin", "not-a-session");
    const res = await get(tenants.a.domain, "/admin/calendar", jar);
    expect(res.status).toBe(303);
    expect(setCookies(res).some((c) => c.startsWith("bm_admin=;") && /Max-Age=0/.test(c))).toBe(true);
  });

  it("the platform host has no business back office (its /admin is the platform console)", async () => {
    expect((await get("localhost", "/admin/calendar")).status).toBe(404);
    const login = await get("localhost", "/admin/login");
    expect(login.status).toBe(200);
    // The console in its default language, French (the platform host has no business default).
    expect(await login.text()).toContain("Console de la plateforme BookMe");
  });
});

describe("CSRF", () => {
  it("refuses a form without the token, with a wrong one or another session's, and changes nothing", async () => {
    const owner = await member(tenants.a.id, "owner");
    const { jar, csrf } = await adminSession(tenants.a.domain, owner.email);
    const other = await adminSession(tenants.a.domain, (await member(tenants.a.id, "owner")).email);
    const live = await liveTokens(owner.id);
    for (const fields of [{}, { _csrf: "" }, { _csrf: "A".repeat(43) }, { _csrf: other.csrf }, { _csrf: `${csrf}x` }]) {
      const res = await postForm(tenants.a.domain, "/admin/logout", jar, fields as Record<string, string>);
      expect(res.status, JSON.stringify(fields)).toBe(403);
      expect(res.headers.get("content-type")).toMatch(/text\/html/);
      expect(await res.text()).toContain("Rien n’a été modifié");
    }
    // A JSON body is no form: refused too.
    const asJson = await call(tenants.a.domain, "/admin/logout", {
      method: "POST",
      redirect: "manual",
      headers: { cookie: jar.header(), "content-type": "application/json" },
      body: JSON.stringify({ _csrf: csrf }),
    });
    expect(asJson.status).toBe(403);
    // The right token from another origin is refused as well.
    const foreign = await postForm(tenants.a.domain, "/admin/logout", jar, { _csrf: csrf }, { origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(await liveTokens(owner.id)).toBe(live);
    expect((await get(tenants.a.domain, "/admin/calendar", jar)).status).toBe(200);

    const ok = await postForm(tenants.a.domain, "/admin/logout", jar, { _csrf: csrf }, { origin: `http://${tenants.a.domain}` });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe("/admin/login?notice=signed_out");
  });

  it("the sign-in form needs its pre-session token", async () => {
    const owner = await member(tenants.a.id, "owner");
    const jar = new Jar();
    const page = await get(tenants.a.domain, "/admin/login", jar);
    const token = csrfOf(await page.text());
    const noToken = await postForm(tenants.a.domain, "/admin/login", jar, { email: owner.email, password: PASSWORD });
    expect(noToken.status).toBe(403);
    const noCookie = await postForm(tenants.a.domain, "/admin/login", undefined, { _csrf: token, email: owner.email, password: PASSWORD });
    expect(noCookie.status).toBe(403);
    // A token made for tenant A's pre-session does not pass on tenant B.
    const elsewhere = await postForm(tenants.b.domain, "/admin/login", jar, { _csrf: token, email: owner.email, password: PASSWORD });
    expect(elsewhere.status).toBe(403);
    expect(jar.cookies.has("bm_admin")).toBe(false);
  });
});

describe("host binding", () => {
  it("a session cookie from one business is refused on another's host, even for a member of both", async () => {
    const user = await createUser();
    await addMember(tenants.a.id, user.id, "owner");
    await addMember(tenants.b.id, user.id, "owner");
    const { jar } = await adminSession(tenants.a.domain, user.email);
    for (const copy of [jar, withStaleAccess(jar)]) {
      const res = await get(tenants.b.domain, "/admin/calendar", copy.clone());
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toMatch(/^\/admin\/login/);
    }
    // Still fine at home.
    expect((await get(tenants.a.domain, "/admin/calendar", jar)).status).toBe(200);
  });
});

describe("session lifetime", () => {
  it("rotates the refresh token when the access part has expired, keeping the CSRF token", async () => {
    const owner = await member(tenants.a.id, "owner");
    const { jar, csrf } = await adminSession(tenants.a.domain, owner.email);
    const stale = withStaleAccess(jar);
    const oldRefresh = stale.cookies.get("bm_admin")!.split(".")[1];
    const res = await get(tenants.a.domain, "/admin/calendar", stale);
    expect(res.status).toBe(200);
    const renewed = stale.cookies.get("bm_admin")!;
    expect(renewed.split(".")[1]).not.toBe(oldRefresh);
    expect(csrfOf(await res.text())).toBe(csrf);
  });

  it("logout revokes the whole family: the old cookie changes nothing and cannot be renewed", async () => {
    const owner = await member(tenants.a.id, "owner");
    const { jar, csrf } = await adminSession(tenants.a.domain, owner.email);
    const stolen = jar.clone();
    const out = await postForm(tenants.a.domain, "/admin/logout", jar, { _csrf: csrf });
    expect(out.status).toBe(303);
    expect(jar.cookies.has("bm_admin")).toBe(false);
    expect(await liveTokens(owner.id)).toBe(0);
    // A replayed cookie cannot post (the family is checked on every write)…
    const replay = await postForm(tenants.a.domain, "/admin/logout", stolen.clone(), { _csrf: csrf });
    expect(replay.status).toBe(303);
    expect(replay.headers.get("location")).toBe("/admin/login?notice=expired");
    // …and once its access part is gone it opens nothing.
    const page = await get(tenants.a.domain, "/admin/calendar", withStaleAccess(stolen));
    expect(page.status).toBe(303);
  });

  it("a removed member's session ends at the next form", async () => {
    const staff = await member(tenants.a.id, "staff");
    const { jar, csrf } = await adminSession(tenants.a.domain, staff.email);
    await sql(`DELETE FROM tenant_memberships WHERE id = $1`, [staff.membershipId]);
    const res = await postForm(tenants.a.domain, "/admin/logout", jar, { _csrf: csrf });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/login?notice=expired");
  });
});

describe("roles", () => {
  it("a page for admins answers 403 to staff and hides its nav entry", async () => {
    const staff = await member(tenants.a.id, "staff");
    const { jar } = await adminSession(tenants.a.domain, staff.email);
    const res = await get(tenants.a.domain, "/admin/settings", jar);
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain("Accès refusé");
    expect(html).not.toContain('href="/admin/settings"');
    const admin = await member(tenants.a.id, "admin");
    const asAdmin = await adminSession(tenants.a.domain, admin.email);
    const ok = await get(tenants.a.domain, "/admin/settings", asAdmin.jar);
    expect(ok.status).toBe(200);
  });
});

describe("next=", () => {
  it("only comes back to a back-office path on this host", async () => {
    for (const bad of [
      "//evil.com",
      "https://evil.com/admin",
      "/\\evil.com",
      "/api/tenant",
      "/admin/../api/tenant",
      "/admin/login",
      "javascript:alert(1)",
      "/%2F%2Fevil.com",
    ]) {
      expect(safeNext(bad), bad).toBe("/admin");
    }
    expect(safeNext("/admin/calendar?day=2026-12-01")).toBe("/admin/calendar?day=2026-12-01");
    const owner = await member(tenants.a.id, "owner");
    const { res } = await signInAdmin(tenants.a.domain, owner.email, undefined, "//evil.com/admin");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin");
    const page = await get(tenants.a.domain, `/admin/login?next=${encodeURIComponent("https://evil.com")}`);
    expect(await page.text()).toContain('name="next" value="/admin"');
  });
});

async function resetUrlFor(email: string): Promise<string | null> {
  const rows = await sql<{ payload: { reset_url: string } }>(
    `SELECT payload FROM "${tenants.a.schemaName}".notifications WHERE kind = 'password_reset' AND recipient = $1 ORDER BY created_at DESC LIMIT 1`,
    [email],
  );
  return rows[0]?.payload.reset_url ?? null;
}

describe("password reset", () => {
  it("emails a link through the outbox that works once and ends every session", async () => {
    const owner = await member(tenants.a.id, "owner");
    const { jar: session, csrf: sessionCsrf } = await adminSession(tenants.a.domain, owner.email);
    await login(tenants.a.domain, owner.email); // an API session too

    const jar = new Jar();
    const form = await get(tenants.a.domain, "/admin/password/forgot", jar);
    const asked = await postForm(tenants.a.domain, "/admin/password/forgot", jar, {
      _csrf: csrfOf(await form.text()),
      email: owner.email.toUpperCase(),
    });
    expect(asked.status).toBe(200);
    const sentPage = await asked.text();
    expect(sentPage).toContain("valable une heure");
    const link = await resetUrlFor(owner.email);
    expect(link).toMatch(new RegExp(`^https://${tenants.a.domain}/admin/password/reset\\?token=`));
    const path = new URL(link!).pathname + new URL(link!).search;

    const page = await get(tenants.a.domain, path, jar);
    expect(page.status).toBe(200);
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await page.text();
    const token = /name="token" value="([^"]+)"/.exec(html)![1];
    const csrf = csrfOf(html);

    const mismatch = await postForm(tenants.a.domain, "/admin/password/reset", jar, {
      _csrf: csrf,
      token,
      password: "New-Password-77",
      confirm: "other",
    });
    expect(mismatch.status).toBe(422);
    const weak = await postForm(tenants.a.domain, "/admin/password/reset", jar, {
      _csrf: csrf,
      token,
      password: "short",
      confirm: "short",
    });
    expect(weak.status).toBe(422);
    const done = await postForm(tenants.a.domain, "/admin/password/reset", jar, {
      _csrf: csrf,
      token,
      password: "New-Password-77",
      confirm: "New-Password-77",
    });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/admin/login?notice=reset");
    expect(await liveTokens(owner.id)).toBe(0);

    // Every session is over: the back-office one cannot post, the old password is refused, the new one works.
    const replay = await postForm(tenants.a.domain, "/admin/logout", session, { _csrf: sessionCsrf });
    expect(replay.headers.get("location")).toBe("/admin/login?notice=expired");
    expect((await signInAdmin(tenants.a.domain, owner.email)).res.status).toBe(401);
    expect((await signInAdmin(tenants.a.domain, owner.email, "New-Password-77")).res.status).toBe(303);

    // The link worked once: its page says so at once, and posting it changes nothing.
    const reopened = await get(tenants.a.domain, path, jar);
    expect(reopened.status).toBe(404);
    expect(await reopened.text()).toContain("plus valable");
    const again = await postForm(tenants.a.domain, "/admin/password/reset", jar, {
      _csrf: csrf,
      token,
      password: "Other-Password-88",
      confirm: "Other-Password-88",
    });
    expect(again.status).toBe(404);
    expect(await again.text()).toContain("plus valable");
    expect((await signInAdmin(tenants.a.domain, owner.email, "Other-Password-88")).res.status).toBe(401);
  });

  it("answers the same for an unknown address or another business's member, and sends nothing", async () => {
    const outsider = await member(tenants.b.id, "owner");
    for (const email of [`nobody-${Date.now()}@example.ma`, outsider.email]) {
      const jar = new Jar();
      const form = await get(tenants.a.domain, "/admin/password/forgot", jar);
      const res = await postForm(tenants.a.domain, "/admin/password/forgot", jar, { _csrf: csrfOf(await form.text()), email });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("valable une heure");
      expect(await resetUrlFor(email)).toBeNull();
    }
  });

  it("a link expires after its hour and is tied to its business", async () => {
    const owner = await member(tenants.a.id, "owner");
    const [row] = await sql<{ password_hash: string }>(`SELECT password_hash FROM users WHERE id = $1`, [owner.id]);
    const expired = await signResetToken(keys(), { userId: owner.id, tenantId: tenants.a.id, passwordHash: row.password_hash }, 1);
    const foreign = await signResetToken(keys(), { userId: owner.id, tenantId: tenants.b.id, passwordHash: row.password_hash });
    await new Promise((r) => setTimeout(r, 2100));
    for (const token of [expired, foreign, "garbage"]) {
      const jar = new Jar();
      const page = await get(tenants.a.domain, `/admin/password/reset?token=${encodeURIComponent(token)}`, jar);
      expect(page.status).toBe(404);
      expect(await page.text()).toContain("plus valable");
      const form = await get(tenants.a.domain, "/admin/password/forgot", jar);
      const res = await postForm(tenants.a.domain, "/admin/password/reset", jar, {
        _csrf: csrfOf(await form.text()),
        token,
        password: "New-Password-77",
        confirm: "New-Password-77",
      });
      expect(res.status).toBe(404);
    }
    expect((await signInAdmin(tenants.a.domain, owner.email)).res.status).toBe(303);
  });
});

describe("invitation", () => {
  it("the emailed link opens a page where the invitee sets a password and lands in /admin", async () => {
    const owner = await member(tenants.a.id, "owner");
    const tokens = await login(tenants.a.domain, owner.email);
    const email = `inv${Date.now()}@example.ma`;
    const created = await json(
      await call(tenants.a.domain, "/api/invitations", authed(tokens.access_token, { method: "POST", json: { email, role: "staff" } })),
    );
    const link = new URL(created.accept_url);
    const jar = new Jar();
    const hop = await get(tenants.a.domain, link.pathname + link.search, jar);
    expect(hop.status).toBe(303);
    const page = await get(tenants.a.domain, hop.headers.get("location")!, jar);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(email);
    const res = await postForm(tenants.a.domain, "/admin/invitation", jar, {
      _csrf: csrfOf(html),
      token: created.token,
      name: "Salma",
      password: "Invited-Pass-7",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin");
    expect(jar.cookies.has("bm_admin")).toBe(true);
    const calendar = await get(tenants.a.domain, "/admin/calendar", jar);
    expect(calendar.status).toBe(200);
    expect(await calendar.text()).toContain("Équipe");
    // Used: the page says so.
    const used = await postForm(tenants.a.domain, "/admin/invitation", jar, {
      _csrf: csrfOf(html),
      token: created.token,
      password: "Invited-Pass-7",
    });
    expect(used.status).toBe(404);
  });
});
