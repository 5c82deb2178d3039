/**
 * Slot hoarding: public booking creation is limited per client address (the
 * Workers rate-limiting binding, 10 per 60 s) and per contact (a database
 * cap on upcoming bookings, `max_active_bookings_per_contact`, default 3).
 */
import { describe, expect, it } from "vitest";
import { CONTACT_CAP_RETRY_AFTER_SECONDS, DEFAULT_CONTACT_CAP } from "../src/bookings/contact-cap.service";
import { quoteSchema } from "../src/tenancy/naming";
import { freshAddress } from "./auth-fixtures";
import { client, fields, tokenFor } from "./catalogue-helpers";
import { daysAhead, postJson, seedCatalogue, slotsOn, staffToken, type ApiSlot, type Catalogue } from "./fixtures/booking";
import { call, json, sql, useTenants } from "./harness";
import type { TestTenant } from "./harness";

const t = useTenants();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The binding counts in fixed 60 s windows: start a burst early in one so it cannot straddle two. */
async function freshMinute() {
  const into = Date.now() % 60_000;
  if (into > 40_000) await sleep(60_000 - into + 200);
}

/** `n` bookable starts that do not overlap (every other 30-minute start of a 60-minute service; staff A then B, day after day). */
async function starts(cat: Catalogue, n: number, fromDay: number): Promise<ApiSlot[]> {
  const out: ApiSlot[] = [];
  for (let day = fromDay; out.length < n; day++) {
    for (const staff of [cat.staffA.id, cat.staffB.id])
      out.push(...(await slotsOn(t.a.domain, cat.serviceId, daysAhead(day), staff)).filter((_, i) => i % 2 === 0));
  }
  return out.slice(0, n);
}

function book(slot: ApiSlot, cat: Catalogue, customer: Record<string, string>, address = freshAddress()) {
  return postJson(
    t.a.domain,
    "/api/public/bookings",
    { service_id: cat.serviceId, staff_id: slot.staff_id, start: slot.start, customer: { name: "Hoarder", ...customer } },
    { "cf-connecting-ip": address },
  );
}

async function expect429(res: Response) {
  if (res.status !== 429) throw new Error(`expected 429, got ${res.status}: ${await res.text()}`);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
  return json(res);
}

const bookingCount = async (tenant: TestTenant, where: string, params: unknown[]) =>
  (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteSchema(tenant.schemaName)}.bookings WHERE ${where}`, params))[0]!.n;

describe("public booking limits", () => {
  it("refuses the 11th booking from one address within a minute (API and form), but not another address", async () => {
    const cat = await seedCatalogue(t.a);
    const slots = await starts(cat, 13, 60);
    const address = freshAddress();
    await freshMinute();
    for (let i = 0; i < 10; i++) {
      const res = await book(slots[i]!, cat, { email: `guest${i}@hoard.ma` }, address);
      if (res.status !== 201) throw new Error(`${i}: ${await res.text()}`);
    }
    const refused = await expect429(await book(slots[10]!, cat, { email: "guest10@hoard.ma" }, address));
    expect(refused).toMatchObject({ code: "rate_limited", reason: "address_limit" });
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);

    // The booking form from that address gets a friendly page, not a booking.
    const form = new URLSearchParams({
      service: cat.serviceId,
      staff: slots[11]!.staff_id,
      start: slots[11]!.start,
      key: crypto.randomUUID(),
      name: "Form",
      email: "form@hoard.ma",
      lang: "en",
    });
    const page = await call(t.a.domain, "/book", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "text/html",
        "accept-language": "en",
        "cf-connecting-ip": address,
      },
      body: form.toString(),
    });
    expect(page.status).toBe(429);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(page.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await page.text()).toContain("Too many requests");

    expect((await book(slots[12]!, cat, { email: "neighbour@hoard.ma" })).status).toBe(201);
    expect(await bookingCount(t.a, "service_id = $1", [cat.serviceId])).toBe(11);
  });

  it("caps a contact's upcoming public bookings (by normalised email or phone) with 429 and Retry-After", async () => {
    const cat = await seedCatalogue(t.a);
    const slots = await starts(cat, 7, 70);
    const email = `cap-${crypto.randomUUID().slice(0, 8)}@hoard.ma`;
    for (let i = 0; i < DEFAULT_CONTACT_CAP; i++) {
      expect((await book(slots[i]!, cat, { email, phone: "06 12 34 56 78" })).status).toBe(201);
    }
    // Same email written differently, then only the same phone written differently: both are the same contact.
    const byEmail = await expect429(await book(slots[3]!, cat, { email: `  ${email.toUpperCase()} ` }));
    expect(byEmail).toMatchObject({ code: "rate_limited", reason: "contact_cap" });
    expect(byEmail.detail).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const byPhone = await expect429(await book(slots[3]!, cat, { email: "someone-else@hoard.ma", phone: "+212612345678" }));
    expect(byPhone.reason).toBe("contact_cap");
    expect(byPhone.retryAfter).toBe(CONTACT_CAP_RETRY_AFTER_SECONDS);
    expect(await bookingCount(t.a, "contact_email = $1", [email])).toBe(DEFAULT_CONTACT_CAP);

    // Staff may still book that customer.
    const staff = await staffToken(t.a, crypto.randomUUID(), "admin");
    const byStaff = await postJson(
      t.a.domain,
      "/api/bookings",
      { service_id: cat.serviceId, staff_id: slots[4]!.staff_id, start: slots[4]!.start, customer: { name: "Hoarder", email } },
      { authorization: `Bearer ${staff}` },
    );
    expect(byStaff.status).toBe(201);

    // A cancelled booking frees a place (the staff one still counts, so cancel two).
    await sql(
      `UPDATE ${quoteSchema(t.a.schemaName)}.bookings SET status = 'cancelled' WHERE contact_email = $1 AND source = 'public' AND starts_at = $2`,
      [email, slots[0]!.start],
    );
    await expect429(await book(slots[5]!, cat, { email }));
    await sql(`UPDATE ${quoteSchema(t.a.schemaName)}.bookings SET status = 'cancelled' WHERE contact_email = $1 AND starts_at = $2`, [
      email,
      slots[1]!.start,
    ]);
    expect((await book(slots[5]!, cat, { email })).status).toBe(201);
  });

  it("counts only upcoming bookings, and no other business's", async () => {
    const cat = await seedCatalogue(t.a);
    const slots = await starts(cat, 2, 80);
    const email = `past-${crypto.randomUUID().slice(0, 8)}@hoard.ma`;
    const s = quoteSchema(t.a.schemaName);
    const [customer] = await sql<{ id: string }>(`INSERT INTO ${s}.customers (name, email) VALUES ('Past', $1) RETURNING id`, [email]);
    for (let i = 1; i <= DEFAULT_CONTACT_CAP; i++) {
      await sql(
        `INSERT INTO ${s}.bookings (service_id, staff_id, customer_id, starts_at, ends_at, blocked_from, blocked_until, session_key, price_minor, currency, contact_email)
         VALUES ($1, $2, $3, now() - make_interval(days => $4), now() - make_interval(days => $4) + interval '1 hour',
                 now() - make_interval(days => $4), now() - make_interval(days => $4) + interval '1 hour', gen_random_uuid()::text, 0, 'MAD', $5)`,
        [cat.serviceId, cat.staffA.id, customer!.id, i, email],
      );
    }
    expect((await book(slots[0]!, cat, { email })).status).toBe(201);
    await sql(`UPDATE ${quoteSchema(t.b.schemaName)}.settings SET max_active_bookings_per_contact = 1`);
    const catB = await seedCatalogue(t.b);
    const [slotB] = await slotsOn(t.b.domain, catB.serviceId, daysAhead(80), catB.staffA.id);
    const resB = await postJson(t.b.domain, "/api/public/bookings", {
      service_id: catB.serviceId,
      staff_id: slotB!.staff_id,
      start: slotB!.start,
      customer: { name: "B", email },
    });
    expect(resB.status).toBe(201);
  });

  it("never lets N parallel bookings of one contact exceed the cap", async () => {
    const cat = await seedCatalogue(t.a);
    const slots = await starts(cat, 12, 90);
    const email = `race-${crypto.randomUUID().slice(0, 8)}@hoard.ma`;
    const responses = await Promise.all(slots.map((slot, i) => book(slot, cat, i % 2 ? { email, phone: "+212612345679" } : { email })));
    const codes = responses.map((r) => r.status).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(DEFAULT_CONTACT_CAP);
    expect(codes.filter((c) => c === 429)).toHaveLength(slots.length - DEFAULT_CONTACT_CAP);
    for (const r of responses.filter((r) => r.status === 429)) expect((await json(r)).reason).toBe("contact_cap");
    expect(await bookingCount(t.a, "contact_email = $1 AND status <> 'cancelled'", [email])).toBe(DEFAULT_CONTACT_CAP);
  });

  it("takes the cap from the booking settings (GET/PATCH, 1–100) and shows a friendly page on the form", async () => {
    const admin = client(t.a, await tokenFor(t.a, "admin"));
    expect((await admin("GET", "/api/settings")).body.max_active_bookings_per_contact).toBe(DEFAULT_CONTACT_CAP);
    for (const bad of [0, 101, 2.5, "3", null]) {
      const res = await admin("PATCH", "/api/settings", { max_active_bookings_per_contact: bad });
      expect(res.status).toBe(422);
      expect(fields(res)).toContain("max_active_bookings_per_contact");
    }
    const patched = await admin("PATCH", "/api/settings", { max_active_bookings_per_contact: 1 });
    expect(patched).toMatchObject({ status: 200, body: { max_active_bookings_per_contact: 1 } });

    const cat = await seedCatalogue(t.a);
    const slots = await starts(cat, 2, 100);
    const email = `one-${crypto.randomUUID().slice(0, 8)}@hoard.ma`;
    expect((await book(slots[0]!, cat, { email })).status).toBe(201);
    const form = new URLSearchParams({
      service: cat.serviceId,
      staff: slots[1]!.staff_id,
      start: slots[1]!.start,
      key: crypto.randomUUID(),
      name: "Form",
      email,
      lang: "en",
    });
    const page = await call(t.a.domain, "/book", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "text/html",
        "accept-language": "en",
        "cf-connecting-ip": freshAddress(),
      },
      body: form.toString(),
    });
    expect(page.status).toBe(429);
    expect(page.headers.get("retry-after")).toBe(String(CONTACT_CAP_RETRY_AFTER_SECONDS));
    expect(await page.text()).toContain("Too many upcoming appointments");
    expect(await bookingCount(t.a, "contact_email = $1", [email])).toBe(1);
    await admin("PATCH", "/api/settings", { max_active_bookings_per_contact: DEFAULT_CONTACT_CAP });
  });
});
