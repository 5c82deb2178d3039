import { beforeAll, describe, expect, it } from "vitest";
import { quoteSchema } from "../src/tenancy/naming";
import { adminSession, get, type Jar, postForm } from "./admin-auth-helpers";
import { member } from "./auth-fixtures";
import { count } from "./catalogue-helpers";
import { type Catalogue, daysAhead, seedCatalogue, slotsOn } from "./fixtures/booking";
import { sql, useTenants } from "./harness";

const PATH = "/admin/settings/staff";
const DAYS = [1, 2, 3, 4, 5, 6, 7];

/** The weekly editor's fields: the same intervals every day. */
const everyDay = (...ranges: [string, string][]) =>
  Object.fromEntries(
    DAYS.flatMap((d) =>
      ranges.flatMap(([start, end], row) => [
        [`w${d}_start_${row}`, start],
        [`w${d}_end_${row}`, end],
      ]),
    ),
  );

const times = async (host: string, serviceId: string, date: string, staffId: string) =>
  (await slotsOn(host, serviceId, date, staffId)).map((s) => s.local_start.slice(11, 16));

const staffIdOf = (res: Response) => {
  const match = /\/admin\/settings\/staff\/([0-9a-f-]{36})\?done=created$/.exec(res.headers.get("location") ?? "");
  if (!match) throw new Error(`no staff id in ${res.status} ${res.headers.get("location")}`);
  return match[1]!;
};

describe("/admin/settings/staff", () => {
  const t = useTenants();
  let cat: Catalogue;
  let jar: Jar;
  let csrf: string;
  let salma: string;
  const host = () => t.a.domain;
  const date = daysAhead(12);

  beforeAll(async () => {
    cat = await seedCatalogue(t.a);
    const owner = await member(t.a.id, "owner");
    ({ jar, csrf } = await adminSession(t.a.domain, owner.email));
  });

  it("renders the list in fr, ar (right to left) and en, with a link to the business-wide closures", async () => {
    const fr = await (await get(host(), `${PATH}?lang=fr`, jar)).text();
    expect(fr).toContain("Personnel et horaires");
    expect(fr).toContain("Amina");
    expect(fr).toContain('href="/admin/settings/hours"');
    const ar = await get(host(), `${PATH}?lang=ar`, jar);
    expect(ar.status).toBe(200);
    const arHtml = await ar.text();
    expect(arHtml).toContain('dir="rtl"');
    expect(arHtml).toContain("إضافة موظف");
    const en = await (await get(host(), `${PATH}?lang=en`, jar)).text();
    expect(en).toContain("Add staff member");
    expect(en).toContain('aria-current="page"');
  });

  it("an admin adds a staff member with split hours and the public availability shows the break", async () => {
    const created = await postForm(host(), PATH, jar, {
      _csrf: csrf,
      display_name: "Salma",
      email: "Salma@Salon.ma",
      phone: "06 12 34 56 78",
      service_ids: cat.serviceId,
    });
    expect(created.status).toBe(303);
    salma = staffIdOf(created);
    const page = await (await get(host(), `${PATH}/${salma}?done=created`, jar)).text();
    expect(page).toContain("Now set their hours");
    expect(page).toContain(t.a.timeZone);
    expect(page).toContain("salma@salon.ma");
    expect(page).toContain('aria-label="Monday 1 From"');

    const hours = await postForm(host(), `${PATH}/${salma}/hours`, jar, {
      _csrf: csrf,
      ...everyDay(["09:00", "13:00"], ["14:00", "19:00"]),
    });
    expect(hours.status).toBe(303);
    const slots = await times(host(), cat.serviceId, date, salma);
    expect(slots).toContain("09:00");
    expect(slots).toContain("12:00");
    expect(slots).not.toContain("12:30");
    expect(slots).not.toContain("13:00");
    expect(slots).not.toContain("13:30");
    expect(slots).toContain("14:00");
    expect(slots.at(-1)).toBe("18:00");

    const again = await (await get(host(), `${PATH}/${salma}`, jar)).text();
    expect(again).toContain('name="w1_start_1" id="w1_start_1" type="time" value="14:00"');
    // One empty row more than the filled ones.
    expect(again).toContain('name="w1_start_2"');
  });

  it("time off removes that day's slots, and removing it brings them back", async () => {
    const added = await postForm(host(), `${PATH}/${salma}/time-off`, jar, { _csrf: csrf, off_from: date, note: "Congé" });
    expect(added.status).toBe(303);
    expect(await times(host(), cat.serviceId, date, salma)).toEqual([]);
    const page = await (await get(host(), `${PATH}/${salma}`, jar)).text();
    expect(page).toContain("Congé");
    const id = /time-off\/([0-9a-f-]{36})\/delete/.exec(page)![1]!;
    expect((await postForm(host(), `${PATH}/${salma}/time-off/${id}/delete`, jar, { _csrf: csrf })).status).toBe(303);
    expect(await times(host(), cat.serviceId, date, salma)).toContain("09:00");
  });

  it("a date override with special hours replaces the weekly hours that day", async () => {
    const set = await postForm(host(), `${PATH}/${salma}/overrides`, jar, {
      _csrf: csrf,
      o_date: date,
      o_start_0: "10:00",
      o_end_0: "12:00",
    });
    expect(set.status).toBe(303);
    expect(await times(host(), cat.serviceId, date, salma)).toEqual(["10:00", "10:30", "11:00"]);
    expect(await times(host(), cat.serviceId, daysAhead(13), salma)).toContain("09:00");

    // No hours: closed that day.
    await postForm(host(), `${PATH}/${salma}/overrides`, jar, { _csrf: csrf, o_date: date });
    expect(await times(host(), cat.serviceId, date, salma)).toEqual([]);
    const page = await (await get(host(), `${PATH}/${salma}`, jar)).text();
    expect(page).toContain(`overrides/${date}/delete`);
    expect((await postForm(host(), `${PATH}/${salma}/overrides/${date}/delete`, jar, { _csrf: csrf })).status).toBe(303);
    expect(await times(host(), cat.serviceId, date, salma)).toContain("09:00");
  });

  it("hours ending before they start re-render with an error and write nothing", async () => {
    await get(host(), `${PATH}?lang=en`, jar);
    const rows = () => count(t.a, "staff_availability", "staff_id = $1", [salma]);
    const before = await rows();
    const backwards = await postForm(host(), `${PATH}/${salma}/hours`, jar, { _csrf: csrf, w1_start_0: "13:00", w1_end_0: "09:00" });
    expect(backwards.status).toBe(422);
    const html = await backwards.text();
    expect(html).toContain('<p class="err" id="w1_end_0-err">The end must be after the start.</p>');
    expect(html).toContain('aria-describedby="w1_end_0-err"');
    expect(html).toContain('value="13:00"');

    const overlapping = await postForm(host(), `${PATH}/${salma}/hours`, jar, {
      _csrf: csrf,
      w2_start_0: "09:00",
      w2_end_0: "13:00",
      w2_start_1: "12:00",
      w2_end_1: "18:00",
    });
    expect(overlapping.status).toBe(422);
    expect(await overlapping.text()).toContain('id="w2_start_1-err">Overlaps another interval of the same day.');

    await get(host(), `${PATH}?lang=fr`, jar);
    const override = await postForm(host(), `${PATH}/${salma}/overrides`, jar, {
      _csrf: csrf,
      o_date: date,
      o_start_0: "12:00",
      o_end_0: "10:00",
    });
    expect(override.status).toBe(422);
    expect(await override.text()).toContain('id="o_end_0-err">La fin doit être après le début.');
    const timeOff = await postForm(host(), `${PATH}/${salma}/time-off`, jar, {
      _csrf: csrf,
      off_from: daysAhead(20),
      off_to: daysAhead(18),
    });
    expect(timeOff.status).toBe(422);
    expect(await timeOff.text()).toContain('id="off_to-err"');
    const badDate = await postForm(host(), `${PATH}/${salma}/overrides`, jar, { _csrf: csrf, o_date: "2027-02-30" });
    expect(badDate.status).toBe(422);
    expect(await rows()).toBe(before);
  });

  it("edits details and services, refuses a bad email (422, nothing changed), deactivates and reactivates", async () => {
    await get(host(), `${PATH}?lang=en`, jar);
    const s = quoteSchema(t.a.schemaName);
    const bad = await postForm(host(), `${PATH}/${salma}`, jar, { _csrf: csrf, display_name: "Salma B", email: "nope" });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('id="email-err">Invalid email address.');
    const [kept] = await sql<{ display_name: string }>(`SELECT display_name FROM ${s}.staff WHERE id = $1`, [salma]);
    expect(kept!.display_name).toBe("Salma");

    const ok = await postForm(host(), `${PATH}/${salma}`, jar, { _csrf: csrf, display_name: "Salma B", email: "", phone: "" });
    expect(ok.status).toBe(303);
    const [row] = await sql<{ display_name: string; email: string | null }>(`SELECT display_name, email FROM ${s}.staff WHERE id = $1`, [
      salma,
    ]);
    expect(row).toEqual({ display_name: "Salma B", email: null });
    // No box ticked: the service is no longer hers, so the public page offers her nothing.
    expect(await count(t.a, "service_staff", "staff_id = $1", [salma])).toBe(0);

    const off = await postForm(host(), `${PATH}/${cat.staffA.id}/active`, jar, { _csrf: csrf, active: "0", back: "list" });
    expect(off.status).toBe(303);
    expect(off.headers.get("location")).toBe(`${PATH}?done=deactivated`);
    expect(await count(t.a, "staff", "id = $1 and not is_active", [cat.staffA.id])).toBe(1);
    expect(await (await get(host(), `${PATH}?done=deactivated`, jar)).text()).toContain(`Reactivate Amina`);
    await postForm(host(), `${PATH}/${cat.staffA.id}/active`, jar, { _csrf: csrf, active: "1", back: "detail" });
    expect(await count(t.a, "staff", "id = $1 and is_active", [cat.staffA.id])).toBe(1);
  });

  it("another business's staff id answers 404, and nothing there changes", async () => {
    const other = await seedCatalogue(t.b);
    const id = other.staffA.id;
    expect((await get(host(), `${PATH}/${id}`, jar)).status).toBe(404);
    expect((await get(host(), `${PATH}/not-a-uuid`, jar)).status).toBe(404);
    const before = await count(t.b, "staff_availability", "staff_id = $1", [id]);
    expect((await postForm(host(), `${PATH}/${id}/hours`, jar, { _csrf: csrf, ...everyDay(["10:00", "11:00"]) })).status).toBe(404);
    expect((await postForm(host(), `${PATH}/${id}/active`, jar, { _csrf: csrf, active: "0" })).status).toBe(404);
    expect((await postForm(host(), `${PATH}/${id}/overrides`, jar, { _csrf: csrf, o_date: date })).status).toBe(404);
    expect((await postForm(host(), `${PATH}/${id}/time-off`, jar, { _csrf: csrf, off_from: date })).status).toBe(404);
    expect((await postForm(host(), `${PATH}/${id}`, jar, { _csrf: csrf, display_name: "Taken" })).status).toBe(404);
    expect(await count(t.b, "staff_availability", "staff_id = $1", [id])).toBe(before);
    expect(await count(t.b, "staff", "id = $1 and is_active and display_name = 'Amina'", [id])).toBe(1);
  });

  it("a staff-role user is refused, and so is a form without the CSRF token", async () => {
    const staff = await member(t.a.id, "staff");
    const s = await adminSession(t.a.domain, staff.email);
    expect((await get(host(), PATH, s.jar)).status).toBe(403);
    expect((await get(host(), `${PATH}/${salma}`, s.jar)).status).toBe(403);
    expect((await postForm(host(), PATH, s.jar, { _csrf: s.csrf, display_name: "Intruder" })).status).toBe(403);
    expect((await postForm(host(), `${PATH}/${salma}/hours`, s.jar, { _csrf: s.csrf })).status).toBe(403);
    expect(await count(t.a, "staff", "display_name = 'Intruder'")).toBe(0);

    expect((await postForm(host(), PATH, jar, { display_name: "No token" })).status).toBe(403);
    expect((await postForm(host(), `${PATH}/${salma}/hours`, jar, { _csrf: "wrong" })).status).toBe(403);
    expect(await count(t.a, "staff", "display_name = 'No token'")).toBe(0);
    expect(await count(t.a, "staff_availability", "staff_id = $1", [salma])).toBeGreaterThan(0);
  });
});
