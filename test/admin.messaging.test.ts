/**
 * Back office: /admin/settings/messaging (admin and above: customer channel,
 * agenda time, embedding sites, embed code) and /admin/account/alerts (every
 * member's own alerts), on the same services as the API.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { quoteSchema } from "../src/tenancy/naming";
import { adminSession, get, type Jar, postForm } from "./admin-auth-helpers";
import { member } from "./auth-fixtures";
import { client, tokenFor } from "./catalogue-helpers";
import { call, sql, useTenants } from "./harness";

const GOOD = { phone_channel: "sms", agenda_time: "06:45", embed_origins: "https://www.salon.example\r\nhttps://Blog.Salon.Example/" };

describe("messaging settings screen", () => {
  const t = useTenants();
  let admin: { jar: Jar; csrf: string };
  let staff: { jar: Jar; csrf: string };
  const row = async () =>
    (
      await sql<{ phone_channel: string; agenda_time: string; embed_origins: string[] }>(
        `SELECT phone_channel, agenda_time::text, embed_origins FROM ${quoteSchema(t.a.schemaName)}.settings WHERE id = 1`,
      )
    )[0];

  beforeAll(async () => {
    admin = await adminSession(t.a.domain, (await member(t.a.id, "admin")).email);
    staff = await adminSession(t.a.domain, (await member(t.a.id, "staff")).email);
  });

  it("renders in fr, ar and en with the tab, the zone and embed code built from the business's address", async () => {
    const fr = await (await get(t.a.domain, "/admin/settings/messaging?lang=fr", admin.jar)).text();
    expect(fr).toContain("Messages et alertes");
    expect(fr).toMatch(/href="\/admin\/settings\/messaging" aria-current="page"/);
    expect(fr).toContain("(Africa/Casablanca)");
    expect(fr).toContain(`&lt;script src=&quot;https://${t.a.domain}/embed.js&quot; data-label=&quot;Réserver&quot;&gt;&lt;/script&gt;`);
    expect(fr).toContain(`data-mode=&quot;inline&quot;`);
    expect(fr).toContain(`&lt;a href=&quot;https://${t.a.domain}/&quot;&gt;Réserver&lt;/a&gt;`);
    expect(fr).toMatch(/<button type="button" class="btn ghost" data-copy="snippet-button"[^>]*hidden/);
    expect(fr).not.toMatch(/ style=| on[a-z]+=/);
    const ar = await (await get(t.a.domain, "/admin/settings/messaging?lang=ar", admin.jar)).text();
    expect(ar).toContain('dir="rtl"');
    expect(ar).toContain("الرسائل والتنبيهات");
    const en = await (await get(t.a.domain, "/admin/settings/messaging?lang=en", admin.jar)).text();
    expect(en).toContain("Sites allowed to embed booking");
    // The copy script runs with the page's nonce.
    const res = await get(t.a.domain, "/admin/settings/messaging", admin.jar);
    const nonce = /script-src 'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
    expect(nonce).toBeTruthy();
    expect(await res.text()).toContain(`<script nonce="${nonce}">`);
  });

  it("keeps staff out (page and form) and refuses a form without the CSRF token", async () => {
    expect((await get(t.a.domain, "/admin/settings/messaging", staff.jar)).status).toBe(403);
    expect((await postForm(t.a.domain, "/admin/settings/messaging", staff.jar, { _csrf: staff.csrf, ...GOOD })).status).toBe(403);
    expect((await postForm(t.a.domain, "/admin/settings/messaging", admin.jar, { ...GOOD })).status).toBe(403);
    expect(await row()).toMatchObject({ phone_channel: "whatsapp", embed_origins: [] });
  });

  it("refuses a bad origin or time with 422 next to the field, keeps what was typed, writes nothing", async () => {
    const res = await postForm(t.a.domain, "/admin/settings/messaging?lang=en", admin.jar, {
      _csrf: admin.csrf,
      ...GOOD,
      embed_origins: "https://ok.example\nhttps://salon.example/book\nhttps://*.salon.example",
    });
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain("Address refused (line 2, 3)");
    expect(page).toMatch(/id="embed_origins"[^>]*aria-invalid="true"[^>]*aria-describedby="embed_origins-hint embed_origins-err"/);
    expect(page).toContain("https://salon.example/book");
    const time = await postForm(t.a.domain, "/admin/settings/messaging", admin.jar, { _csrf: admin.csrf, ...GOOD, agenda_time: "31:00" });
    expect(time.status).toBe(422);
    expect(await time.text()).toMatch(/id="agenda_time"[^>]*aria-invalid="true"/);
    expect(await row()).toMatchObject({ phone_channel: "whatsapp", agenda_time: "07:30:00", embed_origins: [] });
  });

  it("saves, and the API and the booking page's frame rule report it at once", async () => {
    const res = await postForm(t.a.domain, "/admin/settings/messaging", admin.jar, { _csrf: admin.csrf, ...GOOD });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/settings/messaging?saved=1");
    const api = await client(t.a, await tokenFor(t.a, "staff"))("GET", "/api/settings");
    expect(api.body).toMatchObject({
      phone_channel: "sms",
      agenda_time: "06:45",
      embed_origins: ["https://www.salon.example", "https://blog.salon.example"],
    });
    const framed = await call(t.a.domain, "/", { headers: { "sec-fetch-dest": "iframe" } });
    expect(framed.headers.get("content-security-policy")).toContain(
      "frame-ancestors 'self' https://www.salon.example https://blog.salon.example;",
    );
    const page = await (await get(t.a.domain, "/admin/settings/messaging?saved=1&lang=fr", admin.jar)).text();
    expect(page).toContain("Modifications enregistrées.");
    expect(page).toMatch(/value="sms" checked/);
    // The other business is untouched.
    const [other] = await sql<{ phone_channel: string }>(`SELECT phone_channel FROM ${quoteSchema(t.b.schemaName)}.settings`);
    expect(other?.phone_channel ?? "whatsapp").toBe("whatsapp");
  });
});

describe("my alerts screen", () => {
  const t = useTenants();

  it("every role reaches it from the user menu, in fr, ar and en", async () => {
    for (const role of ["owner", "admin", "staff"] as const) {
      const s = await adminSession(t.a.domain, (await member(t.a.id, role)).email);
      const calendar = await (await get(t.a.domain, "/admin/calendar", s.jar)).text();
      expect(calendar).toContain('href="/admin/account/alerts"');
      const res = await get(t.a.domain, "/admin/account/alerts", s.jar);
      expect(res.status).toBe(200);
    }
    const s = await adminSession(t.a.domain, (await member(t.a.id, "staff")).email);
    expect(await (await get(t.a.domain, "/admin/account/alerts?lang=fr", s.jar)).text()).toContain("Me prévenir quand");
    expect(await (await get(t.a.domain, "/admin/account/alerts?lang=ar", s.jar)).text()).toContain("نبّهني عندما");
    expect(await (await get(t.a.domain, "/admin/account/alerts?lang=en", s.jar)).text()).toContain("Tell me when");
    expect((await get(t.a.domain, "/admin/account/alerts")).status).toBe(303); // signed out → sign-in
  });

  it("a staff member saves their choices and number; the API reports them; a bad number is refused", async () => {
    const user = await member(t.a.id, "staff");
    const s = await adminSession(t.a.domain, user.email);
    const page = await (await get(t.a.domain, "/admin/account/alerts", s.jar)).text();
    expect(page).toMatch(/id="on_created" name="on_created" value="1" checked/);
    expect(page).toContain(user.email.toLowerCase());

    expect((await postForm(t.a.domain, "/admin/account/alerts", s.jar, { on_cancelled: "1" })).status).toBe(403); // no CSRF
    const bad = await postForm(t.a.domain, "/admin/account/alerts?lang=en", s.jar, {
      _csrf: s.csrf,
      on_cancelled: "1",
      whatsapp_phone: "0612",
    });
    expect(bad.status).toBe(422);
    const badPage = await bad.text();
    expect(badPage).toContain("Enter a valid number");
    expect(badPage).toMatch(/id="whatsapp_phone"[^>]*value="0612"/);
    const me = client(t.a, await tokenFor(t.a, "staff", user.id));
    expect((await me("GET", "/api/auth/me/alerts")).body).toMatchObject({ on_created: true, whatsapp_phone: null });

    const ok = await postForm(t.a.domain, "/admin/account/alerts", s.jar, {
      _csrf: s.csrf,
      on_cancelled: "1",
      daily_agenda: "1",
      whatsapp_phone: "06 12 34 56 78",
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe("/admin/account/alerts?saved=1");
    expect((await me("GET", "/api/auth/me/alerts")).body).toMatchObject({
      on_created: false,
      on_cancelled: true,
      on_rescheduled: false,
      daily_agenda: true,
      whatsapp_phone: "+212612345678",
    });
    // Nothing of it in the other business.
    const [n] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${quoteSchema(t.b.schemaName)}.alert_preferences WHERE email = $1`,
      [user.email.toLowerCase()],
    );
    expect(n!.n).toBe(0);
  });
});
