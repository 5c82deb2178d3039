import { describe, expect, it } from "vitest";
import { adminSession, get, postForm } from "./admin-auth-helpers";
import { member } from "./auth-fixtures";
import { seedCatalogue, slotsOn } from "./fixtures/booking";
import { useTenants } from "./harness";

const PATH = "/admin/settings/hours";
const week = (start: string, end: string) =>
  Object.fromEntries(
    [1, 2, 3, 4, 5, 6, 7].flatMap((d) => [
      [`start_${d}`, start],
      [`end_${d}`, end],
    ]),
  );

describe("/admin/settings/hours", () => {
  const t = useTenants();

  it("an admin adds a closure and a Ramadan schedule (preview first); the booking page follows", async () => {
    const cat = await seedCatalogue(t.a, { weekly: { start: "09:00", end: "18:00" } });
    const owner = await member(t.a.id, "owner");
    const { jar, csrf } = await adminSession(t.a.domain, owner.email);
    const page = await get(t.a.domain, `${PATH}?lang=ar`, jar);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('dir="rtl"');
    expect(html).toContain("رمضان");
    expect(html).toContain("Amina");

    const closure = await postForm(t.a.domain, `${PATH}/closures`, jar, {
      _csrf: csrf,
      starts_on: "2027-01-11",
      ends_on: "2027-01-11",
      label: "Nouvel an amazigh",
    });
    expect(closure.status).toBe(303);
    expect(await slotsOn(t.a.domain, cat.serviceId, "2027-01-11")).toEqual([]);

    const bad = await postForm(t.a.domain, `${PATH}/seasons`, jar, {
      _csrf: csrf,
      intent: "save",
      starts_on: "2027-02-07",
      ends_on: "2027-02-01",
      ...week("10:00", "16:00"),
    });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('class="err"');

    const fields = {
      _csrf: csrf,
      label: "Ramadan",
      starts_on: "2027-02-07",
      ends_on: "2027-03-14",
      staff_ids: cat.staffA.id,
      ...week("10:00", "16:00"),
    };
    const preview = await postForm(t.a.domain, `${PATH}/seasons`, jar, { ...fields, intent: "preview" });
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain('id="affected"');
    expect((await slotsOn(t.a.domain, cat.serviceId, "2027-02-24", cat.staffA.id))[0]!.local_start.slice(11, 16)).toBe("09:00");

    const saved = await postForm(t.a.domain, `${PATH}/seasons`, jar, { ...fields, intent: "save" });
    expect(saved.status).toBe(303);
    expect((await slotsOn(t.a.domain, cat.serviceId, "2027-02-24", cat.staffA.id))[0]!.local_start.slice(11, 16)).toBe("10:00");
    const after = await (await get(t.a.domain, `${PATH}?done=saved`, jar)).text();
    expect(after).toContain("Nouvel an amazigh");
    expect(after).toContain("Ramadan");
  });

  it("is refused to staff members, and without the CSRF token", async () => {
    const staff = await member(t.b.id, "staff");
    const { jar, csrf } = await adminSession(t.b.domain, staff.email);
    expect((await get(t.b.domain, PATH, jar)).status).toBe(403);
    expect(
      (await postForm(t.b.domain, `${PATH}/closures`, jar, { _csrf: csrf, starts_on: "2027-01-11", ends_on: "2027-01-11" })).status,
    ).toBe(403);
    const admin = await member(t.b.id, "admin");
    const a = await adminSession(t.b.domain, admin.email);
    expect((await postForm(t.b.domain, `${PATH}/closures`, a.jar, { starts_on: "2027-01-11", ends_on: "2027-01-11" })).status).toBe(403);
  });
});
