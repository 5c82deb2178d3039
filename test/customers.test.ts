import { beforeAll, describe, expect, it } from "vitest";
import { quoteSchema } from "../src/tenancy/naming";
import { sql, useTenants } from "./harness";
import { client, count, fields, tokenFor, type Client } from "./catalogue-helpers";

describe("customers (staff side)", () => {
  const t = useTenants();
  let staffA: Client;
  let adminA: Client;
  let adminB: Client;

  beforeAll(async () => {
    staffA = client(t.a, await tokenFor(t.a, "staff"));
    adminA = client(t.a, await tokenFor(t.a, "admin"));
    adminB = client(t.b, await tokenFor(t.b, "admin"));
  });

  it("creates a customer with normalised email and phone and the tenant's locale by default", async () => {
    const res = await staffA("POST", "/api/customers", { name: "Sara Benali", email: "  Sara.Benali@Mail.MA", phone: "06 61 23 45 67" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "Sara Benali", email: "sara.benali@mail.ma", phone: "+212661234567", locale: "fr", notes: "" });
    const got = await staffA("GET", `/api/customers/${res.body.id}`);
    expect(got.body).toEqual(res.body);
  });

  it("refuses a duplicate email or phone (after normalisation) with 409 naming the field", async () => {
    await staffA("POST", "/api/customers", { name: "Karim", email: "karim@mail.ma", phone: "+212 700 11 22 33" });
    const byEmail = await staffA("POST", "/api/customers", { name: "Karim 2", email: "KARIM@mail.ma " });
    expect(byEmail.status).toBe(409);
    expect(fields(byEmail)).toEqual(["email"]);
    const byPhone = await staffA("POST", "/api/customers", { name: "Karim 3", phone: "0700112233" });
    expect(byPhone.status).toBe(409);
    expect(fields(byPhone)).toEqual(["phone"]);
    expect(await count(t.a, "customers", "name like 'Karim%'")).toBe(1);
    // Uniqueness is per tenant: the same person may be a customer of another business.
    expect((await adminB("POST", "/api/customers", { name: "Karim", email: "karim@mail.ma" })).status).toBe(201);
  });

  it.each([
    [{ email: "sara@" }, "email"],
    [{ phone: "+212 12" }, "phone"],
    [{ phone: "hello" }, "phone"],
    [{ email: "ok@mail.ma", locale: "de" }, "locale"],
    [{ email: "ok2@mail.ma", id: "00000000-0000-0000-0000-000000000000" }, "id"],
    [{}, "email"],
    [{ email: null, phone: null }, "phone"],
  ])("refuses %j with 422 naming the field and writes nothing", async (patch, field) => {
    const name = `Bad ${crypto.randomUUID()}`;
    const res = await staffA("POST", "/api/customers", { name, ...patch });
    expect(res.status).toBe(422);
    expect(res.type).toBe("application/problem+json");
    expect(fields(res)).toContain(field);
    expect(await count(t.a, "customers", "name = $1", [name])).toBe(0);
  });

  it("updates fields, refusing to remove the last contact detail", async () => {
    const c = (await staffA("POST", "/api/customers", { name: "Nadia", email: "nadia@mail.ma" })).body;
    const upd = await staffA("PATCH", `/api/customers/${c.id}`, { phone: "0522 12 34 56", locale: "ar", notes: "Allergic to latex" });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ phone: "+212522123456", locale: "ar", notes: "Allergic to latex", email: "nadia@mail.ma" });
    expect((await staffA("PATCH", `/api/customers/${c.id}`, { email: null })).body.email).toBeNull();
    const none = await staffA("PATCH", `/api/customers/${c.id}`, { phone: null });
    expect(none.status).toBe(422);
    expect((await staffA("GET", `/api/customers/${c.id}`)).body.phone).toBe("+212522123456");
  });

  it("searches by name, email and phone (national form too), filters and paginates", async () => {
    const tag = `q${Date.now().toString(36)}`;
    await staffA("POST", "/api/customers", { name: `${tag} Alice`, email: `alice.${tag}@mail.ma`, locale: "en" });
    await staffA("POST", "/api/customers", { name: `${tag} Badr`, phone: "0677 88 99 00" });
    await staffA("POST", "/api/customers", { name: "Chaima", email: `chaima.${tag}@mail.ma` });
    const byTag = await staffA("GET", `/api/customers?search=${tag}&page_size=2`);
    expect(byTag.body.count).toBe(3);
    expect(byTag.body.results.map((c: any) => c.name)).toEqual(["Chaima", `${tag} Alice`]);
    expect(byTag.body.next).toContain("page=2");
    const byPhone = await staffA("GET", `/api/customers?search=${encodeURIComponent("06 77 88")}`);
    expect(byPhone.body.results.map((c: any) => c.name)).toEqual([`${tag} Badr`]);
    const byEmail = await staffA("GET", `/api/customers?search=chaima.${tag}`);
    expect(byEmail.body.results.map((c: any) => c.name)).toEqual(["Chaima"]);
    const english = await staffA("GET", `/api/customers?search=${tag}&locale=en`);
    expect(english.body.results.map((c: any) => c.name)).toEqual([`${tag} Alice`]);
    const desc = await staffA("GET", `/api/customers?search=${tag}&ordering=-name`);
    expect(desc.body.results.map((c: any) => c.name)).toEqual([`${tag} Badr`, `${tag} Alice`, "Chaima"]);
  });

  it("answers another tenant's customer id with 404", async () => {
    const other = (await adminB("POST", "/api/customers", { name: "B customer", phone: "0600000001" })).body;
    expect((await staffA("GET", `/api/customers/${other.id}`)).status).toBe(404);
    expect((await staffA("PATCH", `/api/customers/${other.id}`, { name: "x" })).status).toBe(404);
    expect((await adminA("DELETE", `/api/customers/${other.id}`)).status).toBe(404);
    expect((await adminB("GET", `/api/customers/${other.id}`)).body.name).toBe("B customer");
  });

  it("lets only admins delete, and keeps customers who have bookings (409)", async () => {
    const c = (await staffA("POST", "/api/customers", { name: "Temp", email: "temp@mail.ma" })).body;
    expect((await staffA("DELETE", `/api/customers/${c.id}`)).status).toBe(403);
    expect((await adminA("DELETE", `/api/customers/${c.id}`)).status).toBe(204);

    const kept = (await staffA("POST", "/api/customers", { name: "Kept", email: "kept@mail.ma" })).body;
    const s = quoteSchema(t.a.schemaName);
    const [svc] = await sql<{ id: string }>(`INSERT INTO ${s}.services (name, duration_min) VALUES ('S', 30) RETURNING id`);
    const [st] = await sql<{ id: string }>(`INSERT INTO ${s}.staff (display_name) VALUES ('P') RETURNING id`);
    await sql(
      `INSERT INTO ${s}.bookings (service_id, staff_id, customer_id, starts_at, ends_at, blocked_from, blocked_until, session_key, price_minor, currency)
       VALUES ($1, $2, $3, '2030-01-01T09:00Z', '2030-01-01T09:30Z', '2030-01-01T09:00Z', '2030-01-01T09:30Z', gen_random_uuid()::text, 0, 'MAD')`,
      [svc.id, st.id, kept.id],
    );
    const res = await adminA("DELETE", `/api/customers/${kept.id}`);
    expect(res.status).toBe(409);
    expect(await count(t.a, "customers", "id = $1", [kept.id])).toBe(1);
  });

  it("needs a token", async () => {
    expect((await client(t.a)("GET", "/api/customers")).status).toBe(401);
    expect((await client(t.a)("POST", "/api/customers", { name: "x", email: "x@mail.ma" })).status).toBe(401);
  });
});
