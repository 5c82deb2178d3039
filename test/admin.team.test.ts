/**
 * /admin/settings/team: the owner sees the members with their last activity
 * and the pending invitations, invites (the email goes through the outbox),
 * resends and revokes invitations, changes roles and removes members (after a
 * confirm step) on the same services as the API. Admins and staff are refused
 * the screen; another business's ids answer 404; refusals change nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { quoteSchema } from "../src/tenancy/naming";
import { adminSession, get, type Jar, postForm } from "./admin-auth-helpers";
import { authed, expectProblem, login, member, post } from "./auth-fixtures";
import { call, json, sql, uniqueSlug, useTenants, type TestTenant } from "./harness";

const PATH = "/admin/settings/team";
type Session = { jar: Jar; csrf: string };

const pendingOf = (tenant: TestTenant, email: string) =>
  sql<{ id: string }>(
    `SELECT id FROM invitations WHERE tenant_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL ORDER BY created_at DESC`,
    [tenant.id, email],
  );

/** The link the invitee received (the outbox email of that invitation). */
async function emailedToken(tenant: TestTenant, invitationId: string): Promise<string> {
  const [row] = await sql<{ payload: { accept_url: string } }>(
    `SELECT payload FROM ${quoteSchema(tenant.schemaName)}.notifications WHERE dedupe_key = $1`,
    [`invitation:${invitationId}`],
  );
  return new URL(row!.payload.accept_url).searchParams.get("token")!;
}

const accept = (tenant: TestTenant, token: string) => post(tenant.domain, "/api/invitations/accept", { token, password: "Invited-Pass-7" });

const roleOf = async (membershipId: string) =>
  (await sql<{ role: string }>(`SELECT role FROM tenant_memberships WHERE id = $1`, [membershipId]))[0]?.role;

async function inviteOnScreen(tenant: TestTenant, owner: Session, role = "staff") {
  const email = `${uniqueSlug("inv")}@example.ma`;
  const res = await postForm(tenant.domain, `${PATH}/invitations`, owner.jar, { _csrf: owner.csrf, email, role });
  expect(res.status).toBe(303);
  const [row] = await pendingOf(tenant, email);
  return { email, id: row!.id };
}

describe("/admin/settings/team", () => {
  const t = useTenants();
  let owner: Session & { id: string; email: string; membershipId: string };

  beforeAll(async () => {
    const user = await member(t.a.id, "owner");
    owner = { ...user, ...(await adminSession(t.a.domain, user.email)) };
  });

  it("lists members with their role and last activity, and pending invitations, in French, Arabic (RTL) and English", async () => {
    const staff = await member(t.a.id, "staff");
    await sql(`UPDATE tenant_memberships SET last_seen_at = now() - interval '3 hours' WHERE id = $1`, [staff.membershipId]);
    const invited = await inviteOnScreen(t.a, owner);
    const fr = await (await get(t.a.domain, PATH, owner.jar)).text();
    expect(fr).toContain('aria-current="page">Accès</a>');
    expect(fr).toContain(staff.email);
    expect(fr).toContain("il y a 3 heures");
    expect(fr).toContain("Dans l’heure"); // the owner signed in just now
    expect(fr).toContain(invited.email);
    expect(fr).toContain("Expire le");
    expect(fr).toMatch(new RegExp(`id="role-${staff.membershipId}" name="role"[^>]*>.*?<option value="staff" selected`));
    const ar = await (await get(t.a.domain, `${PATH}?lang=ar`, owner.jar)).text();
    expect(ar).toMatch(/<html lang="ar" dir="rtl">/);
    expect(ar).toContain("دعوات في الانتظار");
    expect(ar).toContain("قبل 3 ساعات");
    const en = await (await get(t.a.domain, `${PATH}?lang=en`, owner.jar)).text();
    expect(en).toContain("Pending invitations");
    expect(en).toContain("3 hours ago");
    await get(t.a.domain, `${PATH}?lang=fr`, owner.jar);
  });

  it("an owner invites a receptionist and the invitation email is in the outbox", async () => {
    const email = `${uniqueSlug("recep")}@example.ma`;
    const res = await postForm(t.a.domain, `${PATH}/invitations`, owner.jar, {
      _csrf: owner.csrf,
      email: ` ${email.toUpperCase()} `,
      role: "staff",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${PATH}?done=invited`);
    const [invitation] = await pendingOf(t.a, email);
    const [queued] = await sql<{ channel: string; recipient: string; payload: { role: string } }>(
      `SELECT channel, recipient, payload FROM ${quoteSchema(t.a.schemaName)}.notifications WHERE dedupe_key = $1`,
      [`invitation:${invitation!.id}`],
    );
    expect(queued).toMatchObject({ channel: "email", recipient: email, payload: { role: "staff" } });
    const page = await (await get(t.a.domain, `${PATH}?done=invited`, owner.jar)).text();
    expect(page).toContain("Invitation envoyée.");
    expect(page).toContain(email);
    // The emailed link opens the existing acceptance page and works.
    expect((await accept(t.a, await emailedToken(t.a, invitation!.id))).status).toBe(201);
  });

  it("an invalid email re-renders with an error and nothing is sent", async () => {
    const before = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM invitations WHERE tenant_id = $1`, [t.a.id]);
    const outbox = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteSchema(t.a.schemaName)}.notifications`);
    const res = await postForm(t.a.domain, `${PATH}/invitations?lang=en`, owner.jar, {
      _csrf: owner.csrf,
      email: "not-an-email",
      role: "admin",
    });
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain("Enter a valid email address.");
    expect(page).toMatch(
      /id="invite-email"[^>]*value="not-an-email"[^>]*aria-invalid="true"[^>]*aria-describedby="invite-email-hint invite-email-err"/,
    );
    expect(page).toMatch(/<option value="admin" selected/);
    const badRole = await postForm(t.a.domain, `${PATH}/invitations`, owner.jar, {
      _csrf: owner.csrf,
      email: "x@example.ma",
      role: "boss",
    });
    expect(badRole.status).toBe(422);
    // Someone already on the team: said next to the field, nothing sent either.
    const already = await postForm(t.a.domain, `${PATH}/invitations`, owner.jar, { _csrf: owner.csrf, email: owner.email, role: "staff" });
    expect(already.status).toBe(409);
    expect(await already.text()).toContain("This person is already on the team.");
    expect((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM invitations WHERE tenant_id = $1`, [t.a.id]))[0]!.n).toBe(
      before[0]!.n,
    );
    expect((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteSchema(t.a.schemaName)}.notifications`))[0]!.n).toBe(
      outbox[0]!.n,
    );
    await get(t.a.domain, `${PATH}?lang=fr`, owner.jar);
  });

  it("resending makes the old link stop working", async () => {
    const invited = await inviteOnScreen(t.a, owner, "admin");
    const oldToken = await emailedToken(t.a, invited.id);
    const res = await postForm(t.a.domain, `${PATH}/invitations/${invited.id}/resend`, owner.jar, { _csrf: owner.csrf });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${PATH}?done=resent`);
    const [renewed] = await pendingOf(t.a, invited.email);
    expect(renewed!.id).not.toBe(invited.id);
    const newToken = await emailedToken(t.a, renewed!.id);
    await expectProblem(await accept(t.a, oldToken), 409);
    const ok = await accept(t.a, newToken);
    expect(ok.status).toBe(201);
    expect((await json(ok)).membership.role).toBe("admin");
  });

  it("revoking an invitation makes its link fail", async () => {
    const invited = await inviteOnScreen(t.a, owner);
    const token = await emailedToken(t.a, invited.id);
    const res = await postForm(t.a.domain, `${PATH}/invitations/${invited.id}/revoke`, owner.jar, { _csrf: owner.csrf });
    expect(res.status).toBe(303);
    expect(await (await get(t.a.domain, `${PATH}?done=revoked`, owner.jar)).text()).not.toContain(invited.email);
    await expectProblem(await accept(t.a, token), 409);
    // A second revoke: no longer pending.
    expect((await postForm(t.a.domain, `${PATH}/invitations/${invited.id}/revoke`, owner.jar, { _csrf: owner.csrf })).status).toBe(404);
  });

  it("changing a role takes effect on the member's next request", async () => {
    const user = await member(t.a.id, "admin");
    const admin = await adminSession(t.a.domain, user.email);
    const res = await postForm(t.a.domain, `${PATH}/members/${user.membershipId}/role`, owner.jar, { _csrf: owner.csrf, role: "staff" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${PATH}?done=role`);
    // Their next change is judged with the new role: refused, nothing written.
    const refused = await postForm(t.a.domain, "/admin/settings/policy", admin.jar, { _csrf: admin.csrf, slot_interval_min: "45" });
    expect(refused.status).toBe(403);
    const [settings] = await sql<{ slot_interval_min: number }>(`SELECT slot_interval_min FROM ${quoteSchema(t.a.schemaName)}.settings`);
    expect(settings!.slot_interval_min).not.toBe(45);
    // The API reports the new role, and their next sign-in or renewal carries it.
    const ownerTokens = await login(t.a.domain, owner.email);
    const shown = await json(await call(t.a.domain, `/api/memberships/${user.membershipId}`, authed(ownerTokens.access_token)));
    expect(shown.role).toBe("staff");
    expect((await login(t.a.domain, user.email)).role).toBe("staff");
    // A bad role re-renders with the message on that row.
    const bad = await postForm(t.a.domain, `${PATH}/members/${user.membershipId}/role`, owner.jar, { _csrf: owner.csrf, role: "boss" });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain(`id="err-${user.membershipId}"`);
    expect(await roleOf(user.membershipId)).toBe("staff");
  });

  it("removing a member asks to confirm first; removing yourself signs you out", async () => {
    const staff = await member(t.a.id, "staff");
    const asked = await postForm(t.a.domain, `${PATH}/members/${staff.membershipId}/remove`, owner.jar, { _csrf: owner.csrf });
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain('name="confirm" value="1"');
    expect(await roleOf(staff.membershipId)).toBe("staff");
    const panel = await (await get(t.a.domain, `${PATH}?remove=${staff.membershipId}`, owner.jar)).text();
    expect(panel).toContain('id="confirm"');
    const done = await postForm(t.a.domain, `${PATH}/members/${staff.membershipId}/remove`, owner.jar, { _csrf: owner.csrf, confirm: "1" });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(`${PATH}?done=removed`);
    expect(await roleOf(staff.membershipId)).toBeUndefined();

    // A second owner removes themselves: warned it is them, then signed out.
    const user = await member(t.a.id, "owner");
    const other = await adminSession(t.a.domain, user.email);
    const own = await (await get(t.a.domain, `${PATH}?remove=${user.membershipId}&lang=en`, other.jar)).text();
    expect(own).toContain("This is you.");
    const gone = await postForm(t.a.domain, `${PATH}/members/${user.membershipId}/remove`, other.jar, { _csrf: other.csrf, confirm: "1" });
    expect(gone.status).toBe(303);
    expect(gone.headers.get("location")).toBe("/admin/login");
    expect(other.jar.cookies.has("bm_admin")).toBe(false);
    expect(await roleOf(user.membershipId)).toBeUndefined();
  });

  it("the last owner cannot be demoted or removed", async () => {
    const sole = await member(t.b.id, "owner");
    const session = await adminSession(t.b.domain, sole.email);
    const demote = await postForm(t.b.domain, `${PATH}/members/${sole.membershipId}/role`, session.jar, {
      _csrf: session.csrf,
      role: "admin",
    });
    expect(demote.status).toBe(409);
    const page = await demote.text();
    expect(page).toContain("Le salon doit garder au moins un·e propriétaire");
    expect(page).toMatch(
      new RegExp(`id="role-${sole.membershipId}"[^>]*aria-invalid="true"[^>]*aria-describedby="err-${sole.membershipId}"`),
    );
    const remove = await postForm(t.b.domain, `${PATH}/members/${sole.membershipId}/remove?lang=en`, session.jar, {
      _csrf: session.csrf,
      confirm: "1",
    });
    expect(remove.status).toBe(409);
    expect(await remove.text()).toContain("The business must keep at least one owner");
    expect(await roleOf(sole.membershipId)).toBe("owner");
    expect(session.jar.cookies.has("bm_admin")).toBe(true);
    // With a second owner, stepping down is allowed, and leaves this owner-only screen.
    await member(t.b.id, "owner");
    const stepDown = await postForm(t.b.domain, `${PATH}/members/${sole.membershipId}/role`, session.jar, {
      _csrf: session.csrf,
      role: "admin",
    });
    expect(stepDown.status).toBe(303);
    expect(stepDown.headers.get("location")).toBe("/admin/calendar");
    expect(await roleOf(sole.membershipId)).toBe("admin");
  });

  it("an admin/staff member is refused the team screen", async () => {
    for (const role of ["admin", "staff"] as const) {
      const user = await member(t.a.id, role);
      const s = await adminSession(t.a.domain, user.email);
      expect((await get(t.a.domain, PATH, s.jar)).status).toBe(403);
      const email = `${uniqueSlug("no")}@example.ma`;
      expect((await postForm(t.a.domain, `${PATH}/invitations`, s.jar, { _csrf: s.csrf, email, role: "staff" })).status).toBe(403);
      expect(await pendingOf(t.a, email)).toHaveLength(0);
      expect(
        (await postForm(t.a.domain, `${PATH}/members/${owner.membershipId}/role`, s.jar, { _csrf: s.csrf, role: "staff" })).status,
      ).toBe(403);
      expect(await roleOf(owner.membershipId)).toBe("owner");
    }
    const admin = await member(t.a.id, "admin");
    const s = await adminSession(t.a.domain, admin.email);
    expect(await (await get(t.a.domain, "/admin/settings/policy", s.jar)).text()).not.toContain(`href="${PATH}"`);
  });

  it("refuses a form without the CSRF token, changing nothing", async () => {
    const email = `${uniqueSlug("csrf")}@example.ma`;
    expect((await postForm(t.a.domain, `${PATH}/invitations`, owner.jar, { email, role: "staff" })).status).toBe(403);
    expect(await pendingOf(t.a, email)).toHaveLength(0);
  });

  it("another business's membership id answers 404", async () => {
    const foreign = await member(t.b.id, "staff");
    const statuses = [
      (await postForm(t.a.domain, `${PATH}/members/${foreign.membershipId}/role`, owner.jar, { _csrf: owner.csrf, role: "admin" })).status,
      (await postForm(t.a.domain, `${PATH}/members/${foreign.membershipId}/remove`, owner.jar, { _csrf: owner.csrf, confirm: "1" })).status,
      (await get(t.a.domain, `${PATH}?remove=${foreign.membershipId}`, owner.jar)).status,
      (await postForm(t.a.domain, `${PATH}/members/not-an-id/role`, owner.jar, { _csrf: owner.csrf, role: "admin" })).status,
    ];
    expect(statuses).toEqual([404, 404, 404, 404]);
    expect(await roleOf(foreign.membershipId)).toBe("staff");
    // And another business's invitation.
    const ownerB = await member(t.b.id, "owner");
    const tokens = await login(t.b.domain, ownerB.email);
    const created = await json(
      await call(
        t.b.domain,
        "/api/invitations",
        authed(tokens.access_token, { method: "POST", json: { email: `${uniqueSlug()}@example.ma` } }),
      ),
    );
    for (const action of ["resend", "revoke"]) {
      expect((await postForm(t.a.domain, `${PATH}/invitations/${created.id}/${action}`, owner.jar, { _csrf: owner.csrf })).status).toBe(
        404,
      );
    }
    expect(await pendingOf(t.b, created.email)).toEqual([{ id: created.id }]);
  });
});
