/**
 * POST /api/invitations/{id}/resend: a new invitation (new link, full
 * validity) replaces a pending one, its email goes through the outbox like the
 * first, and the old link stops working. Refusals change nothing.
 */
import { describe, expect, it } from "vitest";
import { authed, expectProblem, login, member, post, type Tokens } from "./auth-fixtures";
import { call, json, sql, uniqueSlug, useTenants, type TestTenant } from "./harness";

async function tokenFor(tenant: TestTenant, role: "owner" | "admin" | "staff") {
  const user = await member(tenant.id, role);
  return { ...user, tokens: await login(tenant.domain, user.email) };
}

function api(tenant: TestTenant, tokens: Tokens, path: string, init: RequestInit & { json?: unknown } = {}) {
  return call(tenant.domain, path, authed(tokens.access_token, init));
}

async function invite(tenant: TestTenant, tokens: Tokens, role: "owner" | "admin" | "staff" = "staff") {
  const res = await api(tenant, tokens, "/api/invitations", { method: "POST", json: { email: `${uniqueSlug("inv")}@example.ma`, role } });
  expect(res.status).toBe(201);
  return json(res);
}

const outbox = (tenant: TestTenant, invitationId: string) =>
  sql<{ recipient: string; payload: { role: string; accept_url: string } }>(
    `SELECT recipient, payload FROM "${tenant.schemaName}".notifications WHERE dedupe_key = $1`,
    [`invitation:${invitationId}`],
  );

const invitationRow = (id: string) =>
  sql<{ revoked_at: string | null; expires_at: string }>(`SELECT revoked_at, expires_at FROM invitations WHERE id = $1`, [id]);

describe("resending an invitation", () => {
  const t = useTenants();

  it("an owner invites a receptionist and the invitation email is in the outbox", async () => {
    const owner = await tokenFor(t.a, "owner");
    const invitation = await invite(t.a, owner.tokens, "staff");
    const [queued] = await outbox(t.a, invitation.id);
    expect(queued).toMatchObject({ recipient: invitation.email, payload: { role: "staff", accept_url: invitation.accept_url } });
  });

  it("resending makes the old link stop working, restarts the expiry and emails the new link", async () => {
    const owner = await tokenFor(t.a, "owner");
    const first = await invite(t.a, owner.tokens, "admin");
    // As if sent six days ago: one day left.
    await sql(`UPDATE invitations SET expires_at = now() + interval '1 day' WHERE id = $1`, [first.id]);
    const res = await api(t.a, owner.tokens, `/api/invitations/${first.id}/resend`, { method: "POST" });
    expect(res.status).toBe(201);
    const again = await json(res);
    expect(again).toMatchObject({ email: first.email, role: "admin" });
    expect(again.id).not.toBe(first.id);
    expect(again.token).not.toBe(first.token);
    const daysLeft = (Date.parse(again.expires_at) - Date.now()) / 86_400_000;
    expect(daysLeft).toBeGreaterThan(6.9);
    // The new link went through the outbox, like the first.
    const [queued] = await outbox(t.a, again.id);
    expect(queued).toMatchObject({ recipient: first.email, payload: { role: "admin", accept_url: again.accept_url } });
    // The pending list shows the new one only.
    const pending = (await json(await api(t.a, owner.tokens, "/api/invitations"))).results.map((i: { id: string }) => i.id);
    expect(pending).toContain(again.id);
    expect(pending).not.toContain(first.id);
    // Old link refused, new link works.
    await expectProblem(await post(t.a.domain, "/api/invitations/accept", { token: first.token, password: "Invited-Pass-7" }), 409);
    const accepted = await post(t.a.domain, "/api/invitations/accept", { token: again.token, password: "Invited-Pass-7" });
    expect(accepted.status).toBe(201);
    expect((await json(accepted)).membership.role).toBe("admin");
  });

  it("answers 404 for another business's invitation, a revoked or used one, and an unknown id, changing nothing", async () => {
    const ownerA = await tokenFor(t.a, "owner");
    const ownerB = await tokenFor(t.b, "owner");
    const foreign = await invite(t.b, ownerB.tokens);
    await expectProblem(await api(t.a, ownerA.tokens, `/api/invitations/${foreign.id}/resend`, { method: "POST" }), 404);
    expect((await invitationRow(foreign.id))[0]!.revoked_at).toBeNull();
    expect(await sql(`SELECT 1 FROM invitations WHERE tenant_id = $1 AND email = $2`, [t.a.id, foreign.email])).toHaveLength(0);

    const revoked = await invite(t.a, ownerA.tokens);
    expect((await api(t.a, ownerA.tokens, `/api/invitations/${revoked.id}`, { method: "DELETE" })).status).toBe(204);
    await expectProblem(await api(t.a, ownerA.tokens, `/api/invitations/${revoked.id}/resend`, { method: "POST" }), 404);

    const used = await invite(t.a, ownerA.tokens);
    expect((await post(t.a.domain, "/api/invitations/accept", { token: used.token, password: "Invited-Pass-7" })).status).toBe(201);
    await expectProblem(await api(t.a, ownerA.tokens, `/api/invitations/${used.id}/resend`, { method: "POST" }), 404);

    await expectProblem(await api(t.a, ownerA.tokens, `/api/invitations/${crypto.randomUUID()}/resend`, { method: "POST" }), 404);
    const after = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM invitations WHERE tenant_id = $1 AND email = ANY($2::text[]) AND revoked_at IS NULL AND accepted_at IS NULL`,
      [t.a.id, [revoked.email, used.email]],
    );
    expect(after[0]!.n).toBe(0);
  });

  it("refuses a malformed id (422), staff (403) and an admin resending an owner's invitation (403)", async () => {
    const owner = await tokenFor(t.a, "owner");
    const admin = await tokenFor(t.a, "admin");
    const staff = await tokenFor(t.a, "staff");
    await expectProblem(await api(t.a, owner.tokens, "/api/invitations/not-a-uuid/resend", { method: "POST" }), 422);
    const staffInvite = await invite(t.a, owner.tokens, "staff");
    await expectProblem(await api(t.a, staff.tokens, `/api/invitations/${staffInvite.id}/resend`, { method: "POST" }), 403);
    const ownerInvite = await invite(t.a, owner.tokens, "owner");
    await expectProblem(await api(t.a, admin.tokens, `/api/invitations/${ownerInvite.id}/resend`, { method: "POST" }), 403);
    expect((await invitationRow(staffInvite.id))[0]!.revoked_at).toBeNull();
    expect((await invitationRow(ownerInvite.id))[0]!.revoked_at).toBeNull();
    // An admin may resend a non-owner invitation.
    expect((await api(t.a, admin.tokens, `/api/invitations/${staffInvite.id}/resend`, { method: "POST" })).status).toBe(201);
  });

  it("refuses to resend once the invitee has become a member by another way (409), sending nothing", async () => {
    const owner = await tokenFor(t.a, "owner");
    const pending = await invite(t.a, owner.tokens);
    const user = await sql<{ id: string }>(`INSERT INTO users (email, display_name) VALUES ($1, 'Joined') RETURNING id`, [pending.email]);
    await sql(`INSERT INTO tenant_memberships (tenant_id, user_id, role) VALUES ($1, $2, 'staff')`, [t.a.id, user[0]!.id]);
    const before = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${t.a.schemaName}".notifications WHERE kind = 'invitation'`);
    await expectProblem(await api(t.a, owner.tokens, `/api/invitations/${pending.id}/resend`, { method: "POST" }), 409);
    const after = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${t.a.schemaName}".notifications WHERE kind = 'invitation'`);
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});
