/**
 * Bad input is a 422 naming the field, never a 500 and never a partial write:
 * NUL characters anywhere, dates outside the sane range, and phone numbers no
 * numbering plan has (read in the business's own country).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, count, fields, tokenFor, type Client } from "./catalogue-helpers";
import { daysAhead, postJson, seedCatalogue, type Catalogue } from "./fixtures/booking";
import { call, createTenant, dropTenant, sql, useTenants, type TestTenant } from "./harness";
import { createUser } from "./auth-fixtures";
import { superuserToken } from "./openapi-walk";

const LISTS = [
  "/api/service-categories",
  "/api/services",
  "/api/staff",
  "/api/resources",
  "/api/customers",
  "/api/bookings",
  "/api/notifications",
  "/api/webhooks",
  "/api/memberships",
];

describe("bad input", () => {
  const t = useTenants();
  let owner: Client;
  let cat: Catalogue;

  beforeAll(async () => {
    owner = client(t.a, await tokenFor(t.a, "owner"));
    cat = await seedCatalogue(t.a);
  });

  it.each(LISTS)("refuses a NUL in ?search= of %s with 422 naming search", async (path) => {
    const res = await owner("GET", `${path}?search=a%00b`);
    expect(res.status).toBe(422);
    expect(res.type).toBe("application/problem+json");
    expect(fields(res)).toEqual(["search"]);
  });

  it("refuses a NUL in ?search= of the platform tenant list", async () => {
    const su = await createUser({ superuser: true });
    const res = await call("localhost", "/api/platform/tenants?search=%00", {
      headers: { authorization: `Bearer ${await superuserToken(su.id)}` },
    });
    expect(res.status).toBe(422);
    expect((await res.json<any>()).errors.map((e: any) => e.field)).toEqual(["search"]);
  });

  it.each([
    ["/api/resources?type=room%00", "type"],
    ["/api/notifications?kind=booking%00", "kind"],
  ])("refuses a NUL in the filter %s", async (path, field) => {
    const res = await owner("GET", path);
    expect(res.status).toBe(422);
    expect(fields(res)).toEqual([field]);
  });

  it("refuses a NUL in a path parameter, naming it", async () => {
    const res = await call(t.a.domain, "/api/public/bookings/manage/abcdefghijkl%00mnop");
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await res.json<any>()).errors.map((e: any) => e.field)).toEqual(["token"]);
  });

  it("refuses a NUL in any field of a public booking, naming each, and writes nothing", async () => {
    const before = await count(t.a, "bookings");
    const res = await postJson(t.a.domain, "/api/public/bookings", {
      service_id: cat.serviceId,
      start: `${daysAhead(3)}T10:00:00Z`,
      customer: { name: "Sa\u0000ra", email: "sara@mail.ma", phone: "0612345678" },
      notes: "hello\u0000",
    });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await res.json<any>()).errors.map((e: any) => e.field).sort()).toEqual(["customer.name", "notes"]);
    expect(await count(t.a, "bookings")).toBe(before);
  });

  it("refuses a NUL in a JSON key as well as in values of staff-side bodies", async () => {
    const res = await owner("POST", "/api/customers", { name: "N\u0000", email: "n@mail.ma" });
    expect(res.status).toBe(422);
    expect(fields(res)).toEqual(["name"]);
    const key = await owner("PATCH", "/api/settings", { "slot\u0000": 1 });
    expect(key.status).toBe(422);
    expect(fields(key)).toEqual(["slot\u0000"]);
  });

  it.each(["0000-01-01", "9999-12-31", "1969-12-31"])("refuses availability from %s with 422", async (date) => {
    const res = await call(t.a.domain, `/api/public/availability?service_id=${cat.serviceId}&from=${date}&to=${date}`);
    expect(res.status).toBe(422);
    expect((await res.json<any>()).errors.map((e: any) => e.field)).toEqual(["from", "to"]);
  });

  it.each(["0000-01-01T10:00:00Z", "9999-12-31T10:00:00Z", "+275760-09-13T00:00:00Z"])(
    "refuses a booking at %s with 422 naming start",
    async (start) => {
      const before = await count(t.a, "bookings");
      const res = await postJson(t.a.domain, "/api/public/bookings", {
        service_id: cat.serviceId,
        start,
        customer: { name: "Sara", email: "sara@mail.ma" },
      });
      expect(res.status).toBe(422);
      expect((await res.json<any>()).errors.map((e: any) => e.field)).toEqual(["start"]);
      expect(await count(t.a, "bookings")).toBe(before);
    },
  );

  it("refuses time off in year 9999 with 422", async () => {
    const res = await owner("POST", `/api/staff/${cat.staffA.id}/time-off`, {
      starts_at: "9999-12-31T10:00:00Z",
      ends_at: "9999-12-31T11:00:00Z",
    });
    expect(res.status).toBe(422);
    expect(fields(res).sort()).toEqual(["ends_at", "starts_at"]);
  });

  it("re-renders the booking form (422) for a NUL in the name, email or notes instead of failing", async () => {
    const before = await count(t.a, "bookings");
    const form = (fields: Record<string, string>) =>
      call(t.a.domain, "/book", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
        body: new URLSearchParams({
          service: cat.serviceId,
          staff: "any",
          start: `${daysAhead(3)}T10:00:00.000Z`,
          key: crypto.randomUUID(),
          name: "Sara",
          email: "sara@mail.ma",
          ...fields,
        }),
      });
    const bads: Record<string, string>[] = [{ name: "Sa\u0000ra" }, { email: "sa\u0000ra@mail.ma" }, { notes: "\u0000" }];
    for (const bad of bads) {
      const res = await form(bad);
      expect(res.status).toBe(422);
      expect(res.headers.get("content-type")).toContain("text/html");
      await res.body?.cancel();
    }
    const far = await form({ start: "9999-12-31T10:00:00.000Z" });
    expect(far.status).toBe(404);
    await far.body?.cancel();
    expect(await count(t.a, "bookings")).toBe(before);
  });

  it.each(["+999999999999999", "+212000000000", "+212 6 12"])(
    "refuses the phone %s, which no numbering plan has, and stores nothing",
    async (phone) => {
      const name = `Phone ${crypto.randomUUID()}`;
      const res = await owner("POST", "/api/customers", { name, phone });
      expect(res.status).toBe(422);
      expect(fields(res)).toEqual(["phone"]);
      const booking = await postJson(t.a.domain, "/api/public/bookings", {
        service_id: cat.serviceId,
        start: `${daysAhead(3)}T10:00:00Z`,
        customer: { name, phone },
      });
      expect(booking.status).toBe(422);
      expect((await booking.json<any>()).errors.map((e: any) => e.field)).toEqual(["customer.phone"]);
      expect(await count(t.a, "customers", "name = $1", [name])).toBe(0);
    },
  );
});

describe("phone numbers in the business's country", () => {
  let fr: TestTenant;
  afterAll(async () => {
    if (fr) await dropTenant(fr);
  });

  it("reads a national number in the business's country (FR: 06… is +33 6…), not Morocco's", async () => {
    fr = await createTenant({ country: "FR", timeZone: "Europe/Paris" });
    const [row] = await sql<{ country: string }>(`SELECT country FROM tenants WHERE id = $1`, [fr.id]);
    expect(row.country).toBe("FR");
    const admin = client(fr, await tokenFor(fr, "admin"));
    const res = await admin("POST", "/api/customers", { name: "Claire", phone: "06 12 34 56 78" });
    expect(res.status).toBe(201);
    expect(res.body.phone).toBe("+33612345678");
    const staff = await admin("POST", "/api/staff", { display_name: "Luc", phone: "01 23 45 67 89" });
    expect(staff.status).toBe(201);
    expect(staff.body.phone).toBe("+33123456789");
    // International forms stay as they are, whatever the country.
    const ma = await admin("POST", "/api/customers", { name: "Sara", phone: "+212 6 12 34 56 78" });
    expect(ma.body.phone).toBe("+212612345678");
  });
});
