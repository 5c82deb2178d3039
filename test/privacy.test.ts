/**
 * Issue 9 §1: an anonymous booking carries exactly the contact details typed
 * with it. A stranger who knows a customer's phone (or email) can neither read
 * that customer's stored details (API, pages, emails) nor change them, and the
 * booking only lands on a record whose contact details are exactly the typed ones.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "../src/notify/deliver";
import { deriveEventNotifications } from "../src/notify/events";
import { loadNotifyTenant } from "../src/notify/job";
import { HttpEmailProvider } from "../src/notify/provider";
import { quoteSchema } from "../src/tenancy/naming";
import { call, json, sql, useTenants, withDb, type TestTenant } from "./harness";
import { daysAhead, postJson, seedCatalogue, slotsOn, TEST_SECRET, type ApiSlot, type Catalogue } from "./fixtures/booking";
import { decodeIcs, emailsTo } from "./notify-helpers";

const tenants = useTenants();

interface Stored {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  locale: string;
  notes: string;
  updated_at: string;
}

const tag = () => crypto.randomUUID().slice(0, 8);

async function addKnownCustomer(
  t: TestTenant,
  fields: { email?: string | null; phone?: string | null; locale?: string } = {},
): Promise<Stored> {
  const id = tag();
  const [row] = await sql<Stored>(
    `INSERT INTO ${quoteSchema(t.schemaName)}.customers (name, email, phone, locale, notes)
     VALUES ($1, $2, $3, $4, 'VIP, allergic to latex') RETURNING id, name, email, phone, locale, notes, updated_at::text`,
    [
      `Secret Person ${id}`,
      fields.email === undefined ? `secret.${id}@victim.ma` : fields.email,
      fields.phone === undefined ? randomPhone() : fields.phone,
      fields.locale ?? "ar",
    ],
  );
  return row!;
}

/** A Moroccan mobile number nobody else in the test uses. */
function randomPhone(): string {
  return `+2126${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
}

const national = (e164: string) => `0${e164.slice(4, 5)} ${e164.slice(5, 7)} ${e164.slice(7, 9)} ${e164.slice(9, 11)} ${e164.slice(11)}`;

async function stored(t: TestTenant, id: string): Promise<Stored | undefined> {
  const [row] = await sql<Stored>(
    `SELECT id, name, email, phone, locale, notes, updated_at::text FROM ${quoteSchema(t.schemaName)}.customers WHERE id = $1`,
    [id],
  );
  return row;
}

async function linkOf(t: TestTenant, bookingId: string): Promise<string | null> {
  const [row] = await sql<{ customer_id: string | null }>(`SELECT customer_id FROM ${quoteSchema(t.schemaName)}.bookings WHERE id = $1`, [
    bookingId,
  ]);
  return row!.customer_id;
}

/** Every value of a stored record that the booker did not type must be absent from `text`. */
function expectNothingOf(victim: Stored, text: string, typed: string[] = []) {
  for (const value of [victim.id, victim.name, victim.email, victim.phone, victim.notes]) {
    if (value && !typed.includes(value)) expect(text).not.toContain(value);
  }
  if (victim.phone && !typed.includes(victim.phone)) expect(text).not.toContain(victim.phone.slice(4));
}

async function deliverEmails(t: TestTenant) {
  const provider = new HttpEmailProvider({ url: env.EMAIL_API_URL!, apiKey: "test", from: "BookMe Test <no-reply@bookme.test>" });
  await withDb((c) => deriveEventNotifications(c, t.schemaName));
  await withDb(async (c) =>
    deliverDue(c, { tenant: (await loadNotifyTenant(c, t.id))!, email: provider, manageSecret: TEST_SECRET, now: new Date() }),
  );
}

describe("anonymous booking with someone else's contact details", () => {
  let cat: Catalogue;
  let slots: ApiSlot[];
  let next = 0;
  const slot = () => slots[next++]!;

  beforeAll(async () => {
    cat = await seedCatalogue(tenants.a, { durationMin: 30 });
    slots = [
      ...(await slotsOn(tenants.a.domain, cat.serviceId, daysAhead(20), cat.staffA.id)),
      ...(await slotsOn(tenants.a.domain, cat.serviceId, daysAhead(21), cat.staffA.id)),
    ];
  });

  const book = (customer: Record<string, string | undefined>, headers: Record<string, string> = {}) =>
    postJson(
      tenants.a.domain,
      "/api/public/bookings",
      { service_id: cat.serviceId, staff_id: cat.staffA.id, start: slot().start, customer },
      headers,
    );

  it("never shows the stored name or email behind a known phone: the response, the manage API, the confirmation page and the email carry only what was typed", async () => {
    const victim = await addKnownCustomer(tenants.a);
    const mine = `stranger.${tag()}@attacker.ma`;
    const res = await book({ name: "Mallory", email: mine, phone: national(victim.phone!), locale: "en" });
    expect(res.status).toBe(201);
    const raw = await res.text();
    const body = JSON.parse(raw);
    expect(body.booking.contact).toEqual({ name: "Mallory", email: mine, phone: victim.phone, locale: "en" });
    expect(body.booking).not.toHaveProperty("customer_id");
    expectNothingOf(victim, raw, [victim.phone!]);

    const manage = await call(tenants.a.domain, `/api/public/bookings/manage/${body.manage.token}`);
    const manageRaw = await manage.text();
    expect(JSON.parse(manageRaw).booking.contact.email).toBe(mine);
    expectNothingOf(victim, manageRaw, [victim.phone!]);

    const page = await call(tenants.a.domain, `/manage/${body.manage.token}?booked=1&lang=en`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Mallory");
    expect(html).toContain(mine);
    expectNothingOf(victim, html, [victim.phone!]);

    await deliverEmails(tenants.a);
    const toStranger = await emailsTo(mine);
    expect(toStranger).toHaveLength(1);
    const email = JSON.stringify(toStranger[0]!.body);
    expect(email).toContain("Mallory");
    expect(toStranger[0]!.body.subject).toMatch(/confirmed/i); // the typed locale (en), not the record's (ar)
    expectNothingOf(victim, email, [victim.phone!]);
    expect(decodeIcs(toStranger[0]!)).toContain("Mallory");
    expectNothingOf(victim, decodeIcs(toStranger[0]!), [victim.phone!]);
    expect(await emailsTo(victim.email!)).toHaveLength(0);

    // The record is untouched and the booking is not on it.
    expect(await stored(tenants.a, victim.id)).toEqual(victim);
    expect(await linkOf(tenants.a, body.booking.id)).not.toBe(victim.id);
  });

  it("never links, shows or changes a record matching only the email, or email and phone of two different records", async () => {
    const byEmail = await addKnownCustomer(tenants.a);
    const byPhone = await addKnownCustomer(tenants.a);
    const cases: { name: string; email?: string; phone?: string }[] = [
      { name: "Eve", email: byEmail.email!.toUpperCase() },
      { name: "Eve", email: byEmail.email!, phone: randomPhone() },
      { name: "Eve", email: byEmail.email!, phone: byPhone.phone! },
      { name: "Eve", phone: byPhone.phone! },
    ];
    for (const customer of cases) {
      const res = await book(customer);
      expect(res.status).toBe(201);
      const raw = await res.text();
      const body = JSON.parse(raw);
      expect(body.booking.contact.name).toBe("Eve");
      expect(Object.keys(body.booking.contact).sort()).toEqual(["email", "locale", "name", "phone"]);
      for (const victim of [byEmail, byPhone]) expectNothingOf(victim, raw, [customer.email?.toLowerCase() ?? "", customer.phone ?? ""]);
      expect(await linkOf(tenants.a, body.booking.id)).toBeNull();
    }
    expect(await stored(tenants.a, byEmail.id)).toEqual(byEmail);
    expect(await stored(tenants.a, byPhone.id)).toEqual(byPhone);
  });

  it("links to the record whose email and phone are exactly the typed ones, and creates a record for new details, changing no record", async () => {
    const known = await addKnownCustomer(tenants.a);
    const same = await json(await book({ name: "Another name", email: known.email!, phone: national(known.phone!) }));
    expect(await linkOf(tenants.a, same.booking.id)).toBe(known.id);
    expect(same.booking.contact.name).toBe("Another name");
    expect(await stored(tenants.a, known.id)).toEqual(known);

    const phoneOnly = await addKnownCustomer(tenants.a, { email: null });
    const byPhone = await json(await book({ name: "Phone only", phone: phoneOnly.phone! }));
    expect(await linkOf(tenants.a, byPhone.booking.id)).toBe(phoneOnly.id);

    const email = `new.${tag()}@mail.ma`;
    const fresh = await json(await book({ name: "Newcomer", email, phone: randomPhone() }));
    const created = await stored(tenants.a, (await linkOf(tenants.a, fresh.booking.id))!);
    expect(created).toMatchObject({ name: "Newcomer", email });
  });

  it("replays an Idempotency-Key with the typed details only", async () => {
    const victim = await addKnownCustomer(tenants.a);
    const request = {
      service_id: cat.serviceId,
      staff_id: cat.staffA.id,
      start: slot().start,
      customer: { name: "Replay", phone: victim.phone! },
    };
    const key = `privacy-${tag()}`;
    const first = await postJson(tenants.a.domain, "/api/public/bookings", request, { "idempotency-key": key });
    const again = await postJson(tenants.a.domain, "/api/public/bookings", request, { "idempotency-key": key });
    expect([first.status, again.status]).toEqual([201, 200]);
    const raw = await again.text();
    expect(JSON.parse(raw).booking.contact).toEqual({ name: "Replay", email: null, phone: victim.phone, locale: "fr" });
    expectNothingOf(victim, raw, [victim.phone!]);
  });

  it("shows the booking form's confirmation with what was typed, not the record behind the phone", async () => {
    const victim = await addKnownCustomer(tenants.a);
    const mine = `form.${tag()}@attacker.ma`;
    const form = new URLSearchParams({
      service: cat.serviceId,
      staff: cat.staffA.id,
      start: slot().start,
      key: crypto.randomUUID(),
      name: "Form Stranger",
      email: mine,
      phone: national(victim.phone!),
      notes: "",
      lang: "fr",
    });
    const posted = await call(tenants.a.domain, "/book", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
      redirect: "manual",
    });
    expect(posted.status).toBe(303);
    const page = await call(tenants.a.domain, posted.headers.get("location")!);
    const html = await page.text();
    expect(html).toContain("Form Stranger");
    expect(html).toContain(mine);
    expectNothingOf(victim, html, [victim.phone!]);
    expect(await stored(tenants.a, victim.id)).toEqual(victim);
  });

  it("lists an unlinked booking to staff under its own contact", async () => {
    const victim = await addKnownCustomer(tenants.a);
    const res = await json(await book({ name: "Unlinked Person", phone: victim.phone! }));
    const { staffToken } = await import("./fixtures/booking");
    const admin = { authorization: `Bearer ${await staffToken(tenants.a, crypto.randomUUID(), "admin")}` };
    const list = await json(await call(tenants.a.domain, `/api/bookings?search=Unlinked%20Person`, { headers: admin }));
    expect(list.results.map((b: any) => [b.id, b.customer_id, b.customer_name])).toEqual([[res.booking.id, null, "Unlinked Person"]]);
    const detail = await json(await call(tenants.a.domain, `/api/bookings/${res.booking.id}`, { headers: admin }));
    expect(detail.customer).toBeNull();
    expect(detail.contact).toMatchObject({ name: "Unlinked Person", phone: victim.phone });
  });

  it("keeps linking staff-side bookings by email or phone, completing the contact from the record the staff may see", async () => {
    const known = await addKnownCustomer(tenants.a);
    const { staffToken } = await import("./fixtures/booking");
    const admin = { authorization: `Bearer ${await staffToken(tenants.a, crypto.randomUUID(), "admin")}` };
    const res = await postJson(
      tenants.a.domain,
      "/api/bookings",
      {
        service_id: cat.serviceId,
        staff_id: cat.staffA.id,
        start: slot().start,
        customer: { name: "At the desk", phone: national(known.phone!) },
      },
      admin,
    );
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.booking.customer_id).toBe(known.id);
    expect(body.booking.contact).toEqual({ name: "At the desk", email: known.email, phone: known.phone, locale: known.locale });
    expect(await stored(tenants.a, known.id)).toEqual(known);
  });
});
