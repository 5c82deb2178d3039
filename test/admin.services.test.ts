import { beforeAll, describe, expect, it } from "vitest";
import { adminSession, get, postForm } from "./admin-auth-helpers";
import { member } from "./auth-fixtures";
import { client, count, tokenFor, type Client } from "./catalogue-helpers";
import { call, useTenants } from "./harness";

const PATH = "/admin/settings/services";
type Session = { jar: Awaited<ReturnType<typeof adminSession>>["jar"]; csrf: string };

/** The create form's fields with sensible values; `over` replaces some. */
const serviceForm = (csrf: string, over: Record<string, string> = {}) => ({
  _csrf: csrf,
  name: "Coupe",
  description: "",
  category_id: "",
  duration_min: "30",
  price: "100",
  buffer_before_min: "0",
  buffer_after_min: "0",
  capacity: "1",
  required_resource_type: "",
  is_active: "1",
  ...over,
});

/** A form post with repeated fields (staff_ids), which Record<string, string> cannot carry. */
async function postPairs(host: string, path: string, s: Session, pairs: [string, string][]) {
  const res = await call(host, path, {
    method: "POST",
    redirect: "manual",
    headers: {
      accept: "text/html",
      "content-type": "application/x-www-form-urlencoded",
      cookie: s.jar.header(),
      "cf-connecting-ip": s.jar.address,
    },
    body: new URLSearchParams(pairs).toString(),
  });
  return s.jar.take(res);
}

const publicNames = async (api: Client) => (await api("GET", "/api/public/services")).body.results.map((x: { name: string }) => x.name);

describe("/admin/settings/services", () => {
  const t = useTenants();
  let owner: Session;
  let api: Client;
  let publicApi: Client;

  beforeAll(async () => {
    owner = await adminSession(t.a.domain, (await member(t.a.id, "owner")).email);
    api = client(t.a, await tokenFor(t.a, "owner"));
    publicApi = client(t.a);
  });

  it("renders the list, the form, categories and resources in French, Arabic (RTL) and English", async () => {
    for (const [lang, word] of [
      ["fr", "Nouvelle prestation"],
      ["ar", "خدمة جديدة"],
      ["en", "New service"],
    ] as const) {
      const page = await get(t.a.domain, `${PATH}?lang=${lang}`, owner.jar);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(`lang="${lang}"`);
      expect(html).toContain(word);
      expect(html).toContain('href="/admin/settings/services" aria-current="page"');
      if (lang === "ar") expect(html).toContain('dir="rtl"');
    }
    const form = await (await get(t.a.domain, `${PATH}/new?lang=en`, owner.jar)).text();
    for (const label of ["Name", "Duration (minutes)", "Price", "Buffer before (minutes)", "Buffer after (minutes)", "Seats per slot"]) {
      expect(form).toContain(`>${label}</label>`);
    }
    expect(form).toContain('<label for="required_resource_type">Required resource type</label>');
    expect((await get(t.a.domain, `${PATH}/categories?lang=ar`, owner.jar)).status).toBe(200);
    expect((await get(t.a.domain, `${PATH}/resources?lang=fr`, owner.jar)).status).toBe(200);
  });

  it("an admin creates a service with staff and buffers and the public catalogue lists it", async () => {
    const admin = await adminSession(t.a.domain, (await member(t.a.id, "admin")).email);
    const amina = (await api("POST", "/api/staff", { display_name: "Amina" })).body.id;
    const youssef = (await api("POST", "/api/staff", { display_name: "Youssef" })).body.id;
    const hair = (await api("POST", "/api/service-categories", { name: "Coiffure" })).body.id;
    const form = (await (await get(t.a.domain, `${PATH}/new`, admin.jar)).text()) as string;
    expect(form).toContain("Amina");
    expect(form).toContain("Coiffure");

    const res = await postPairs(t.a.domain, PATH, admin, [
      ...Object.entries(
        serviceForm(admin.csrf, {
          name: "Brushing long",
          description: "Shampoing inclus",
          category_id: hair,
          duration_min: "45",
          price: "150,50",
          buffer_before_min: "5",
          buffer_after_min: "10",
          capacity: "2",
          required_resource_type: "chair",
        }),
      ),
      ["staff_ids", amina],
      ["staff_ids", youssef],
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(/^\/admin\/settings\/services\?done=created#service-/);

    const [created] = (await api("GET", "/api/services?search=Brushing")).body.results;
    expect(created).toMatchObject({
      name: "Brushing long",
      description: "Shampoing inclus",
      category_id: hair,
      duration_min: 45,
      price_minor: 15050,
      currency: "MAD",
      buffer_before_min: 5,
      buffer_after_min: 10,
      capacity: 2,
      required_resource_type: "chair",
      is_active: true,
    });
    expect([...created.staff_ids].sort()).toEqual([amina, youssef].sort());
    const listed = (await publicApi("GET", "/api/public/services")).body.results.find((x: { id: string }) => x.id === created.id);
    expect(listed).toMatchObject({ name: "Brushing long", duration_min: 45, price_minor: 15050, staff_ids: [amina, youssef].sort() });

    const list = await (await get(t.a.domain, `${PATH}?done=created&lang=fr`, admin.jar)).text();
    expect(list).toContain("Prestation créée.");
    expect(list).toContain("Brushing long");
    expect(list).toContain("2 membres de l’équipe");
    expect(list).toMatch(/150,50\s*MAD|MAD\s*150,50/);

    // Edit: unticking every staff member empties the set, the price reads back as typed.
    const edit = await (await get(t.a.domain, `${PATH}/${created.id}`, admin.jar)).text();
    expect(edit).toContain('value="150.50"');
    const saved = await postForm(
      t.a.domain,
      `${PATH}/${created.id}`,
      admin.jar,
      serviceForm(admin.csrf, { name: "Brushing", price: "160" }),
    );
    expect(saved.status).toBe(303);
    expect((await api("GET", `/api/services/${created.id}`)).body).toMatchObject({ name: "Brushing", price_minor: 16000, staff_ids: [] });
  });

  it("a deactivated service disappears from the booking page, and comes back when activated", async () => {
    const svc = (await api("POST", "/api/services", { name: "Hammam traditionnel", duration_min: 60 })).body;
    const bookingPage = async () => (await call(t.a.domain, "/", { headers: { accept: "text/html" } })).text();
    expect(await bookingPage()).toContain("Hammam traditionnel");
    const off = await postForm(t.a.domain, `${PATH}/${svc.id}/active`, owner.jar, { _csrf: owner.csrf, active: "0" });
    expect(off.status).toBe(303);
    expect(await bookingPage()).not.toContain("Hammam traditionnel");
    const list = await (await get(t.a.domain, `${PATH}?lang=en`, owner.jar)).text();
    expect(list).toMatch(/Hammam traditionnel<\/b><span class="badge off">Inactive/);
    await postForm(t.a.domain, `${PATH}/${svc.id}/active`, owner.jar, { _csrf: owner.csrf, active: "1" });
    expect(await bookingPage()).toContain("Hammam traditionnel");
  });

  it("moving a service up changes the public order", async () => {
    const nails = (await api("POST", "/api/service-categories", { name: "Ongles" })).body.id;
    const first = (await api("POST", "/api/services", { name: "Manucure", category_id: nails, duration_min: 30 })).body.id;
    const second = (await api("POST", "/api/services", { name: "Pose vernis", category_id: nails, duration_min: 30 })).body.id;
    const inNails = async () => (await publicNames(publicApi)).filter((n: string) => n === "Manucure" || n === "Pose vernis");
    expect(await inNails()).toEqual(["Manucure", "Pose vernis"]);
    const page = await (await get(t.a.domain, `${PATH}?lang=en`, owner.jar)).text();
    // The first of a category cannot go up.
    expect(page).toMatch(new RegExp(`action="${PATH}/${first}/move">.*?disabled="" aria-label="Move up Manucure"`));
    const res = await postForm(t.a.domain, `${PATH}/${second}/move`, owner.jar, { _csrf: owner.csrf, direction: "up" });
    expect(res.status).toBe(303);
    expect(await inNails()).toEqual(["Pose vernis", "Manucure"]);
  });

  it("a negative duration re-renders with an error and writes nothing", async () => {
    const before = await count(t.a, "services");
    const res = await postForm(
      t.a.domain,
      `${PATH}?lang=en`,
      owner.jar,
      serviceForm(owner.csrf, { name: "Épilation", duration_min: "-15", price: "abc" }),
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('aria-describedby="duration_min-hint duration_min-err"');
    expect(html).toContain('<span class="err" id="duration_min-err">A duration in minutes, from 5 to 1440.</span>');
    expect(html).toContain('id="price-err"');
    expect(html).toContain('value="Épilation"');
    expect(html).toContain('value="-15"');
    expect(await count(t.a, "services")).toBe(before);
  });

  it("an unknown staff member or category in the form re-renders with an error and writes nothing", async () => {
    const before = await count(t.a, "services");
    const res = await postPairs(t.a.domain, PATH, owner, [
      ...Object.entries(serviceForm(owner.csrf, { name: "Fantôme", category_id: crypto.randomUUID() })),
      ["staff_ids", crypto.randomUUID()],
    ]);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('id="category_id-err"');
    expect(html).toContain('id="staff_ids-err"');
    expect(await count(t.a, "services")).toBe(before);
  });

  it("a staff member is refused the services screen, and a post without the CSRF token is refused", async () => {
    const staff = await adminSession(t.a.domain, (await member(t.a.id, "staff")).email);
    const svc = (await api("POST", "/api/services", { name: "Soin visage", duration_min: 30 })).body;
    for (const path of [PATH, `${PATH}/new`, `${PATH}/${svc.id}`, `${PATH}/categories`, `${PATH}/resources`]) {
      expect((await get(t.a.domain, path, staff.jar)).status).toBe(403);
    }
    expect((await postForm(t.a.domain, PATH, staff.jar, serviceForm(staff.csrf, { name: "Intrus" }))).status).toBe(403);
    expect((await postForm(t.a.domain, `${PATH}/${svc.id}/active`, staff.jar, { _csrf: staff.csrf, active: "0" })).status).toBe(403);
    const noToken = serviceForm("", { name: "Sans jeton" });
    delete (noToken as Record<string, string>)._csrf;
    expect((await postForm(t.a.domain, PATH, owner.jar, noToken)).status).toBe(403);
    expect(await count(t.a, "services", "name in ('Intrus', 'Sans jeton')")).toBe(0);
    expect((await api("GET", `/api/services/${svc.id}`)).body.is_active).toBe(true);
  });

  it("a service id of another business answers 404, and nothing changes there", async () => {
    const other = client(t.b, await tokenFor(t.b, "owner"));
    const theirs = (await other("POST", "/api/services", { name: "Ailleurs", duration_min: 30 })).body;
    expect((await get(t.a.domain, `${PATH}/${theirs.id}`, owner.jar)).status).toBe(404);
    expect((await postForm(t.a.domain, `${PATH}/${theirs.id}`, owner.jar, serviceForm(owner.csrf, { name: "Volé" }))).status).toBe(404);
    expect((await postForm(t.a.domain, `${PATH}/${theirs.id}`, owner.jar, serviceForm(owner.csrf, { duration_min: "-1" }))).status).toBe(
      404,
    );
    expect((await postForm(t.a.domain, `${PATH}/${theirs.id}/active`, owner.jar, { _csrf: owner.csrf, active: "0" })).status).toBe(404);
    expect((await postForm(t.a.domain, `${PATH}/${theirs.id}/move`, owner.jar, { _csrf: owner.csrf, direction: "up" })).status).toBe(404);
    expect((await other("GET", `/api/services/${theirs.id}`)).body).toMatchObject({ name: "Ailleurs", is_active: true });
    const theirCat = (await other("POST", "/api/service-categories", { name: "Leur catégorie" })).body.id;
    expect((await postForm(t.a.domain, `${PATH}/categories/${theirCat}/delete`, owner.jar, { _csrf: owner.csrf })).status).toBe(404);
    expect((await other("GET", `/api/service-categories/${theirCat}`)).status).toBe(200);
  });
});

describe("/admin/settings/services/categories and /resources", () => {
  const t = useTenants();
  let owner: Session;
  let api: Client;

  beforeAll(async () => {
    owner = await adminSession(t.a.domain, (await member(t.a.id, "owner")).email);
    api = client(t.a, await tokenFor(t.a, "owner"));
  });

  it("adds, renames, orders and deletes categories; a taken name is refused in words; services outlive their category", async () => {
    const C = `${PATH}/categories`;
    expect((await postForm(t.a.domain, C, owner.jar, { _csrf: owner.csrf, name: "Visage" })).status).toBe(303);
    expect((await postForm(t.a.domain, C, owner.jar, { _csrf: owner.csrf, name: "Corps" })).status).toBe(303);
    const cats = async () => (await api("GET", "/api/service-categories")).body.results as { id: string; name: string }[];
    const [visage, corps] = await cats();
    expect([visage!.name, corps!.name]).toEqual(["Visage", "Corps"]);

    const taken = await postForm(t.a.domain, `${C}?lang=en`, owner.jar, { _csrf: owner.csrf, name: "visage" });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain("A category already has this name.");
    const empty = await postForm(t.a.domain, `${C}/${corps!.id}?lang=en`, owner.jar, { _csrf: owner.csrf, name: "" });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain(`id="name-${corps!.id}-err"`);

    expect((await postForm(t.a.domain, `${C}/${corps!.id}`, owner.jar, { _csrf: owner.csrf, name: "Corps & bien-être" })).status).toBe(303);
    expect((await postForm(t.a.domain, `${C}/${corps!.id}/move`, owner.jar, { _csrf: owner.csrf, direction: "up" })).status).toBe(303);
    expect((await cats()).map((c) => c.name)).toEqual(["Corps & bien-être", "Visage"]);

    const svc = (await api("POST", "/api/services", { name: "Gommage", category_id: corps!.id, duration_min: 30 })).body.id;
    const gone = await postForm(t.a.domain, `${C}/${corps!.id}/delete`, owner.jar, { _csrf: owner.csrf });
    expect(gone.status).toBe(303);
    const notice = await (await get(t.a.domain, `${gone.headers.get("location")}&lang=en`, owner.jar)).text();
    expect(notice).toContain("Its 1 service is now “Uncategorised”.");
    expect((await api("GET", `/api/services/${svc}`)).body.category_id).toBeNull();
  });

  it("adds, edits and deletes resources; a zero capacity re-renders with an error and writes nothing", async () => {
    const R = `${PATH}/resources`;
    const bad = await postForm(t.a.domain, `${R}?lang=en`, owner.jar, {
      _csrf: owner.csrf,
      name: "Salle 1",
      type: "Room!",
      capacity: "0",
      is_active: "1",
    });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('id="capacity-err"');
    expect(html).toContain('id="type-err"');
    expect(await count(t.a, "resources")).toBe(0);

    const ok = await postForm(t.a.domain, R, owner.jar, {
      _csrf: owner.csrf,
      name: "Salle 1",
      type: "room",
      capacity: "2",
      is_active: "1",
    });
    expect(ok.status).toBe(303);
    const [room] = (await api("GET", "/api/resources")).body.results;
    expect(room).toMatchObject({ name: "Salle 1", type: "room", capacity: 2, is_active: true });

    // The service form offers the existing types.
    expect(await (await get(t.a.domain, `${PATH}/new`, owner.jar)).text()).toContain('<option value="room">');

    const edited = await postForm(t.a.domain, `${R}/${room.id}`, owner.jar, {
      _csrf: owner.csrf,
      name: "Salle hammam",
      type: "room",
      capacity: "3",
    });
    expect(edited.status).toBe(303);
    expect((await api("GET", `/api/resources/${room.id}`)).body).toMatchObject({ name: "Salle hammam", capacity: 3, is_active: false });

    expect((await postForm(t.a.domain, `${R}/${room.id}/delete`, owner.jar, { _csrf: owner.csrf })).status).toBe(303);
    expect((await api("GET", `/api/resources/${room.id}`)).status).toBe(404);

    const other = client(t.b, await tokenFor(t.b, "owner"));
    const theirs = (await other("POST", "/api/resources", { name: "Leur salle", type: "room" })).body.id;
    expect((await get(t.a.domain, `${R}/${theirs}`, owner.jar)).status).toBe(404);
    expect((await postForm(t.a.domain, `${R}/${theirs}/delete`, owner.jar, { _csrf: owner.csrf })).status).toBe(404);
    expect((await other("GET", `/api/resources/${theirs}`)).status).toBe(200);
  });
});
