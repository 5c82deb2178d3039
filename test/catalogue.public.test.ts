import { beforeAll, describe, expect, it } from "vitest";
import { useTenants } from "./harness";
import { client, tokenFor, type Client } from "./catalogue-helpers";

describe("public catalogue reads (no login)", () => {
  const t = useTenants();
  let adminA: Client;
  let publicA: Client;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    adminA = client(t.a, await tokenFor(t.a, "owner"));
    publicA = client(t.a);
    const adminB = client(t.b, await tokenFor(t.b, "owner"));
    ids.hair = (await adminA("POST", "/api/service-categories", { name: "Hair", position: 1 })).body.id;
    ids.spa = (await adminA("POST", "/api/service-categories", { name: "Spa", position: 0 })).body.id;
    ids.empty = (await adminA("POST", "/api/service-categories", { name: "Empty", position: 2 })).body.id;
    ids.amina = (
      await adminA("POST", "/api/staff", {
        display_name: "Amina",
        email: "amina@salon.ma",
        phone: "0611111111",
        user_id: crypto.randomUUID(),
      })
    ).body.id;
    ids.gone = (await adminA("POST", "/api/staff", { display_name: "Former", is_active: false })).body.id;
    ids.cut = (
      await adminA("POST", "/api/services", {
        name: "Coupe",
        category_id: ids.hair,
        duration_min: 30,
        price_minor: 8000,
        buffer_after_min: 10,
        required_resource_type: "chair",
        staff_ids: [ids.amina, ids.gone],
      })
    ).body.id;
    ids.hammam = (
      await adminA("POST", "/api/services", { name: "Hammam", category_id: ids.spa, duration_min: 60, price_minor: 20000, capacity: 4 })
    ).body.id;
    ids.loose = (await adminA("POST", "/api/services", { name: "Uncategorised", duration_min: 15 })).body.id;
    await adminA("POST", "/api/services", {
      name: "Retired",
      category_id: ids.empty,
      duration_min: 15,
      is_active: false,
      staff_ids: [ids.amina],
    });
    await adminB("POST", "/api/services", { name: "Other tenant service", duration_min: 30 });
    await adminB("POST", "/api/staff", { display_name: "Other tenant person" });
  });

  it("lists active services with category, price, duration and active staff only", async () => {
    const res = await publicA("GET", "/api/public/services");
    expect(res.status).toBe(200);
    expect(res.body.results.map((s: any) => s.name)).toEqual(["Hammam", "Coupe", "Uncategorised"]);
    const cut = res.body.results.find((s: any) => s.id === ids.cut);
    expect(cut).toEqual({
      id: ids.cut,
      name: "Coupe",
      description: "",
      duration_min: 30,
      price_minor: 8000,
      currency: "MAD",
      capacity: 1,
      category: { id: ids.hair, name: "Hair" },
      staff_ids: [ids.amina],
    });
    expect(res.body.results.find((s: any) => s.id === ids.loose).category).toBeNull();
    const spaOnly = await publicA("GET", `/api/public/services?category_id=${ids.spa}`);
    expect(spaOnly.body.results.map((s: any) => s.name)).toEqual(["Hammam"]);
  });

  it("lists categories that have an active service, by position", async () => {
    const res = await publicA("GET", "/api/public/categories");
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { id: ids.spa, name: "Spa", position: 0 },
      { id: ids.hair, name: "Hair", position: 1 },
    ]);
  });

  it("lists active staff with id and display name only, no contact details", async () => {
    const res = await publicA("GET", "/api/public/staff");
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([{ id: ids.amina, display_name: "Amina" }]);
    const raw = JSON.stringify(res.body);
    expect(raw).not.toContain("amina@salon.ma");
    expect(raw).not.toContain("+212611111111");
    expect(raw).not.toContain("user_id");
    const forCut = await publicA("GET", `/api/public/staff?service_id=${ids.cut}`);
    expect(forCut.body.results).toEqual([{ id: ids.amina, display_name: "Amina" }]);
    const forHammam = await publicA("GET", `/api/public/staff?service_id=${ids.hammam}`);
    expect(forHammam.body.results).toEqual([]);
  });

  it("answers only on a tenant host and validates filters", async () => {
    expect((await client({ ...t.a, domain: "localhost" })("GET", "/api/public/services")).status).toBe(404);
    expect((await publicA("GET", "/api/public/services?category_id=nope")).status).toBe(422);
  });
});
