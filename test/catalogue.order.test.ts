import { beforeAll, describe, expect, it } from "vitest";
import { useTenants } from "./harness";
import { client, count, fields, tokenFor, type Client } from "./catalogue-helpers";

describe("catalogue order: moving services and categories", () => {
  const t = useTenants();
  let ownerA: Client;
  let staffA: Client;
  let publicA: Client;
  let ownerB: Client;
  const names = async () => (await publicA("GET", "/api/public/services")).body.results.map((s: { name: string }) => s.name);

  beforeAll(async () => {
    ownerA = client(t.a, await tokenFor(t.a, "owner"));
    staffA = client(t.a, await tokenFor(t.a, "staff"));
    publicA = client(t.a);
    ownerB = client(t.b, await tokenFor(t.b, "owner"));
  });

  it("appends new services after the last of their category, and a move up changes the public order", async () => {
    const hair = (await ownerA("POST", "/api/service-categories", { name: "Coiffure" })).body;
    const ids: string[] = [];
    // Names in reverse alphabetical order: the list follows creation, not the name.
    for (const name of ["Mèches", "Coupe", "Brushing"]) {
      const res = await ownerA("POST", "/api/services", { name, category_id: hair.id, duration_min: 30 });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    expect((await ownerA("GET", `/api/services/${ids[2]}`)).body.position).toBe(2);
    expect(await names()).toEqual(["Mèches", "Coupe", "Brushing"]);

    const moved = await ownerA("POST", `/api/services/${ids[2]}/move`, { direction: "up" });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: ids[2], position: 1 });
    expect(await names()).toEqual(["Mèches", "Brushing", "Coupe"]);

    // Already first: nothing moves.
    const first = await ownerA("POST", `/api/services/${ids[0]}/move`, { direction: "up" });
    expect(first.status).toBe(200);
    expect(first.body.position).toBe(0);
    expect(await names()).toEqual(["Mèches", "Brushing", "Coupe"]);

    expect((await ownerA("POST", `/api/services/${ids[0]}/move`, { direction: "down" })).body.position).toBe(1);
    expect(await names()).toEqual(["Brushing", "Mèches", "Coupe"]);

    const listed = await staffA("GET", `/api/services?category_id=${hair.id}&ordering=position`);
    expect(listed.body.results.map((s: { position: number }) => s.position)).toEqual([0, 1, 2]);
  });

  it("moves a category up and down; the public categories follow", async () => {
    const ids: string[] = [];
    for (const name of ["Ongles", "Hammam"]) {
      const cat = (await ownerA("POST", "/api/service-categories", { name })).body;
      await ownerA("POST", "/api/services", { name: `${name} 1`, category_id: cat.id, duration_min: 30 });
      ids.push(cat.id);
    }
    const order = async () => (await publicA("GET", "/api/public/categories")).body.results.map((c: { name: string }) => c.name);
    expect((await order()).slice(-2)).toEqual(["Ongles", "Hammam"]);
    const moved = await ownerA("POST", `/api/service-categories/${ids[1]}/move`, { direction: "up" });
    expect(moved.status).toBe(200);
    expect((await order()).slice(-2)).toEqual(["Hammam", "Ongles"]);
    const last = await ownerA("POST", `/api/service-categories/${ids[0]}/move`, { direction: "down" });
    expect(last.status).toBe(200);
    expect((await order()).slice(-2)).toEqual(["Hammam", "Ongles"]);
  });

  it("refuses a bad direction with 422 and moves nothing", async () => {
    const a = (await ownerA("POST", "/api/services", { name: "Zz premier", duration_min: 30 })).body;
    await ownerA("POST", "/api/services", { name: "Aa second", duration_min: 30 });
    const res = await ownerA("POST", `/api/services/${a.id}/move`, { direction: "sideways" });
    expect(res.status).toBe(422);
    expect(fields(res)).toEqual(["direction"]);
    expect((await ownerA("GET", `/api/services/${a.id}`)).body.position).toBe(a.position);
  });

  it("answers another business's service or category id with 404, moving nothing there", async () => {
    const theirs = (await ownerB("POST", "/api/services", { name: "Autre", duration_min: 30 })).body;
    await ownerB("POST", "/api/services", { name: "Autre 2", duration_min: 30 });
    const theirCat = (await ownerB("POST", "/api/service-categories", { name: "Autre catégorie" })).body;
    expect((await ownerA("POST", `/api/services/${theirs.id}/move`, { direction: "down" })).status).toBe(404);
    expect((await ownerA("POST", `/api/service-categories/${theirCat.id}/move`, { direction: "down" })).status).toBe(404);
    expect((await ownerB("GET", `/api/services/${theirs.id}`)).body.position).toBe(theirs.position);
  });

  it("refuses the staff role (403)", async () => {
    const svc = (await ownerA("POST", "/api/services", { name: "Soin", duration_min: 30 })).body;
    expect((await staffA("POST", `/api/services/${svc.id}/move`, { direction: "up" })).status).toBe(403);
    const cat = (await ownerA("POST", "/api/service-categories", { name: "Soins" })).body;
    expect((await staffA("POST", `/api/service-categories/${cat.id}/move`, { direction: "up" })).status).toBe(403);
    expect(await count(t.a, "services", "id = $1 and position = $2", [svc.id, svc.position])).toBe(1);
  });
});
