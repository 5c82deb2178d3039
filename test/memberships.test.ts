import { describe, expect, it } from "vitest";
import { authed, createUser, expectProblem, login, member, PASSWORD, post, type Tokens } from "./auth-fixtures";
import { call, countRoundTrips, json, PLATFORM_HOST, sql, uniqueSlug, useTenants, type TestTenant } from "./harness";

async function tokenFor(tenant: TestTenant, role: "owner" | "admin" | "staff") {
  const user = await member(tenant.id, role);
  return { ...user, tokens: await login(tenant.domain, user.email) };
}

function api(tenant: TestTenant, tokens: Tokens, path: string, init: RequestInit & { json?: unknown } = {}) {
  return call(tenant.domain, path, authed(tokens.access_token, init));
}

describe("memberships", () => {
  const t = useTenants();

  it("lets owners and admins list every member, with search, role filter and ordering", async () => {
    const owner = await tokenFor(t.a, "owner");
    const staff = await member(t.a.id, "staff");
    const all = await json(await api(t.a, owner.tokens, "/api/memberships?page_size=100"));
    const ids = all.results.map((m: any) => m.id);
    expect(ids).toEqual(expect.arrayContaining([owner.membershipId, staff.membershipId]));
    expect(all.results[0]).toEqual({
      id: expect.any(String),
      role: expect.any(String),
      user: expect.any(Object),
      created_at: expect.any(String),
      last_active_at: all.results[0].last_active_at,
    });
    expect([null, "string"]).toContain(all.results[0].last_active_at === null ? null : typeof all.results[0].last_active_at);
    const found = await json(await api(t.a, owner.tokens, `/api/memberships?search=${encodeURIComponent(staff.email.toUpperCase())}`));
    expect(found.results.map((m: any) => m.id)).toEqual([staff.membershipId]);
    const owners = await json(await api(t.a, owner.tokens, "/api/memberships?role=owner&ordering=-created_at"));
    expect(owners.results.every((m: any) => m.role === "owner")).toBe(true);
    await expectProblem(await api(t.a, owner.tokens, "/api/memberships?ordering=password_hash"), 422);
  });

  it("shows staff only their own membership, in lists and by id", async () => {
    const staff = await tokenFor(t.a, "staff");
    const other = await member(t.a.id, "admin");
    const list = await json(await api(t.a, staff.tokens, "/api/memberships"));
    expect(list.count).toBe(1);
    expect(list.results[0].id).toBe(staff.membershipId);
    expect((await api(t.a, staff.tokens, `/api/memberships/${staff.membershipId}`)).status).toBe(200);
    await expectProblem(await api(t.a, staff.tokens, `/api/memberships/${other.membershipId}`), 404);
  });

  it("refuses a platform token on a tenant route that needs a membership (401)", async () => {
    const su = await createUser({ superuser: true });
    const platform = await login(PLATFORM_HOST, su.email);
    await expectProblem(await api(t.a, platform, "/api/memberships"), 401);
  });

  it("refuses a staff token on admin routes (403)", async () => {
    const staff = await tokenFor(t.a, "staff");
    const other = await member(t.a.id, "staff");
    await expectProblem(
      await api(t.a, staff.tokens, `/api/memberships/${other.membershipId}`, { method: "PATCH", json: { role: "admin" } }),
      403,
    );
    await expectProblem(await api(t.a, staff.tokens, `/api/memberships/${other.membershipId}`, { method: "DELETE" }), 403);
    await expectProblem(await api(t.a, staff.tokens, "/api/invitations", { method: "POST", json: { email: "x@y.ma" } }), 403);
  });

  it("decides roles from the token alone: a refused request opens no database connection", async () => {
    const staff = await tokenFor(t.a, "staff");
    await call(t.a.domain, "/api/tenant"); // warm the host's KV entry
    const counts = await countRoundTrips(async () => {
      const res = await api(t.a, staff.tokens, `/api/memberships/${staff.membershipId}`, { method: "PATCH", json: { role: "owner" } });
      expect(res.status).toBe(403);
    });
    expect(counts).toEqual({ connections: 0, flights: 0, httpRequests: 0 });
  });

  it("costs one HTTP round trip per read or change, with no connection opened", async () => {
    const owner = await tokenFor(t.a, "owner");
    const staff = await member(t.a.id, "staff");
    await call(t.a.domain, "/api/tenant"); // warm the host's KV entry
    const cost = async (path: string, init: RequestInit & { json?: unknown } = {}, status = 200) =>
      countRoundTrips(async () => expect((await api(t.a, owner.tokens, path, init)).status).toBe(status));
    const one = { connections: 0, flights: 1, httpRequests: 1 };
    expect(await cost("/api/memberships")).toEqual(one);
    expect(await cost(`/api/memberships/${staff.membershipId}`)).toEqual(one);
    expect(await cost(`/api/memberships/${staff.membershipId}`, { method: "PATCH", json: { role: "admin" } })).toEqual(one);
    expect(await cost(`/api/memberships/${crypto.randomUUID()}`, { method: "PATCH", json: { role: "staff" } }, 404)).toEqual(one);
    const email = `${uniqueSlug("inv")}@example.ma`;
    expect(await cost("/api/invitations", { method: "POST", json: { email, role: "staff" } }, 201)).toEqual(one);
    expect(await cost("/api/invitations")).toEqual(one);
    expect(await cost(`/api/memberships/${staff.membershipId}`, { method: "DELETE" }, 204)).toEqual(one);
  });

  it("answers another tenant's member id with 404 on read, update and delete", async () => {
    const owner = await tokenFor(t.a, "owner");
    const foreign = await member(t.b.id, "staff");
    await expectProblem(await api(t.a, owner.tokens, `/api/memberships/${foreign.membershipId}`), 404);
    await expectProblem(
      await api(t.a, owner.tokens, `/api/memberships/${foreign.membershipId}`, { method: "PATCH", json: { role: "admin" } }),
      404,
    );
    await expectProblem(await api(t.a, owner.tokens, `/api/memberships/${foreign.membershipId}`, { method: "DELETE" }), 404);
    const rows = await sql<{ role: string }>(`SELECT role FROM tenant_memberships WHERE id = $1`, [foreign.membershipId]);
    expect(rows[0].role).toBe("staff");
  });

  it("lets an owner change roles; an admin can neither appoint nor touch owners", async () => {
    const owner = await tokenFor(t.a, "owner");
    const admin = await tokenFor(t.a, "admin");
    const staff = await member(t.a.id, "staff");
    const promoted = await api(t.a, owner.tokens, `/api/memberships/${staff.membershipId}`, { method: "PATCH", json: { role: "admin" } });
    expect((await json(promoted)).role).toBe("admin");
    await expectProblem(
      await api(t.a, admin.tokens, `/api/memberships/${staff.membershipId}`, { method: "PATCH", json: { role: "owner" } }),
      403,
    );
    await expectProblem(
      await api(t.a, admin.tokens, `/api/memberships/${owner.membershipId}`, { method: "PATCH", json: { role: "staff" } }),
      403,
    );
    await expectProblem(await api(t.a, admin.tokens, `/api/memberships/${owner.membershipId}`, { method: "DELETE" }), 403);
    const back = await api(t.a, admin.tokens, `/api/memberships/${staff.membershipId}`, { method: "PATCH", json: { role: "staff" } });
    expect(back.status).toBe(200);
  });

  it("refuses body fields that are not the point of the endpoint (mass assignment)", async () => {
    const owner = await tokenFor(t.a, "owner");
    const staff = await member(t.a.id, "staff");
    const res = await api(t.a, owner.tokens, `/api/memberships/${staff.membershipId}`, {
      method: "PATCH",
      json: { role: "admin", tenant_id: t.b.id, user_id: owner.id },
    });
    await expectProblem(res, 422);
    await expectProblem(
      await api(t.a, owner.tokens, "/api/invitations", { method: "POST", json: { email: "a@b.ma", tenant_id: t.b.id } }),
      422,
    );
  });

  it("never demotes or removes the last owner", async () => {
    const tenant = t.b;
    const owner = await tokenFor(tenant, "owner");
    // Only owner of tenant b so far (other tests add staff/admins there only).
    const owners = await sql(`SELECT 1 FROM tenant_memberships WHERE tenant_id = $1 AND role = 'owner'`, [tenant.id]);
    expect(owners).toHaveLength(1);
    const demote = await expectProblem(
      await api(tenant, owner.tokens, `/api/memberships/${owner.membershipId}`, { method: "PATCH", json: { role: "admin" } }),
      409,
    );
    expect(demote.detail).toMatch(/at least one owner/);
    await expectProblem(await api(tenant, owner.tokens, `/api/memberships/${owner.membershipId}`, { method: "DELETE" }), 409);
    const second = await member(tenant.id, "owner");
    expect(
      (await api(tenant, owner.tokens, `/api/memberships/${owner.membershipId}`, { method: "PATCH", json: { role: "admin" } })).status,
    ).toBe(200);
    await sql(`DELETE FROM tenant_memberships WHERE id = $1`, [second.membershipId]);
    await sql(`UPDATE tenant_memberships SET role = 'owner' WHERE id = $1`, [owner.membershipId]);
  });

  it("leaves one owner when two owners are demoted concurrently", async () => {
    const tenant = t.b;
    // Several rounds: without the row lock this race loses both owners most of the time.
    for (let round = 0; round < 3; round++) {
      await sql(`DELETE FROM tenant_memberships WHERE tenant_id = $1 AND role = 'owner'`, [tenant.id]);
      const one = await tokenFor(tenant, "owner");
      const two = await tokenFor(tenant, "owner");
      const [r1, r2] = await Promise.all([
        api(tenant, one.tokens, `/api/memberships/${one.membershipId}`, { method: "PATCH", json: { role: "staff" } }),
        api(tenant, two.tokens, `/api/memberships/${two.membershipId}`, { method: "PATCH", json: { role: "staff" } }),
      ]);
      expect([r1.status, r2.status].sort()).toEqual([200, 409]);
      const owners = await sql(`SELECT 1 FROM tenant_memberships WHERE tenant_id = $1 AND role = 'owner'`, [tenant.id]);
      expect(owners).toHaveLength(1);
    }
  });

  it("removes a member and revokes their refresh tokens for this business", async () => {
    const owner = await tokenFor(t.a, "owner");
    const staff = await tokenFor(t.a, "staff");
    const res = await api(t.a, owner.tokens, `/api/memberships/${staff.membershipId}`, { method: "DELETE" });
    expect(res.status).toBe(204);
    await expectProblem(await post(t.a.domain, "/api/auth/refresh", { refresh_token: staff.tokens.refresh_token }), 401);
    expect(await sql(`SELECT 1 FROM tenant_memberships WHERE id = $1`, [staff.membershipId])).toHaveLength(0);
  });
});

describe("invitations", () => {
  const t = useTenants();

  it("invites by email, and accepting creates the account, which can then log in", async () => {
    const owner = await tokenFor(t.a, "owner");
    const email = `${uniqueSlug("inv")}@example.ma`;
    const res = await api(t.a, owner.tokens, "/api/invitations", {
      method: "POST",
      json: { email: `  ${email.toUpperCase()} `, role: "admin" },
    });
    expect(res.status).toBe(201);
    const invitation = await json(res);
    expect(invitation).toMatchObject({ email, role: "admin" });
    expect(invitation.accept_url).toContain(encodeURIComponent(invitation.token));
    // The invitee gets the link by email, through the tenant's outbox.
    const [queued] = await sql<{ channel: string; recipient: string; locale: string; payload: { role: string; accept_url: string } }>(
      `SELECT channel, recipient, locale, payload FROM "${t.a.schemaName}".notifications WHERE dedupe_key = $1`,
      [`invitation:${invitation.id}`],
    );
    expect(queued).toMatchObject({
      channel: "email",
      recipient: email,
      locale: t.a.locale,
      payload: { role: "admin", accept_url: invitation.accept_url },
    });
    const pending = await json(await api(t.a, owner.tokens, "/api/invitations"));
    expect(pending.results.map((i: any) => i.id)).toContain(invitation.id);
    expect(JSON.stringify(pending)).not.toContain(invitation.token);

    await expectProblem(await post(t.a.domain, "/api/invitations/accept", { token: invitation.token, password: "weakweak" }), 422);
    const accepted = await post(t.a.domain, "/api/invitations/accept", {
      token: invitation.token,
      password: "Invited-Pass-7",
      display_name: "Nadia",
    });
    expect(accepted.status).toBe(201);
    const body = await json(accepted);
    expect(body.user).toMatchObject({ email, display_name: "Nadia" });
    expect(body.membership.role).toBe("admin");
    expect((await login(t.a.domain, email, "Invited-Pass-7")).role).toBe("admin");
    // Single use.
    await expectProblem(await post(t.a.domain, "/api/invitations/accept", { token: invitation.token, password: "Invited-Pass-7" }), 409);
    // Already a member now.
    await expectProblem(await api(t.a, owner.tokens, "/api/invitations", { method: "POST", json: { email } }), 409);
  });

  it("links an existing account only with that account's password", async () => {
    const owner = await tokenFor(t.a, "owner");
    const existing = await createUser();
    const invitation = await json(await api(t.a, owner.tokens, "/api/invitations", { method: "POST", json: { email: existing.email } }));
    await expectProblem(await post(t.a.domain, "/api/invitations/accept", { token: invitation.token, password: "Takeover-Pass-1" }), 401);
    const ok = await post(t.a.domain, "/api/invitations/accept", { token: invitation.token, password: PASSWORD });
    expect(ok.status).toBe(201);
    expect((await json(ok)).user.id).toBe(existing.id);
    expect((await login(t.a.domain, existing.email)).role).toBe("staff");
  });

  it("refuses an invitation on another tenant's host, a tampered one and a revoked one", async () => {
    const owner = await tokenFor(t.a, "owner");
    const email = `${uniqueSlug("inv")}@example.ma`;
    const invitation = await json(await api(t.a, owner.tokens, "/api/invitations", { method: "POST", json: { email } }));
    await expectProblem(await post(t.b.domain, "/api/invitations/accept", { token: invitation.token, password: "Invited-Pass-7" }), 400);
    const tampered = invitation.token.slice(0, -2) + (invitation.token.endsWith("AA") ? "BB" : "AA");
    await expectProblem(await post(t.a.domain, "/api/invitations/accept", { token: tampered, password: "Invited-Pass-7" }), 400);
    expect((await api(t.a, owner.tokens, `/api/invitations/${invitation.id}`, { method: "DELETE" })).status).toBe(204);
    await expectProblem(await post(t.a.domain, "/api/invitations/accept", { token: invitation.token, password: "Invited-Pass-7" }), 409);
    expect(await sql(`SELECT 1 FROM users WHERE email = $1`, [email])).toHaveLength(0);
  });

  it("queues nothing when the invitation is refused (already a member)", async () => {
    const owner = await tokenFor(t.a, "owner");
    const existing = await tokenFor(t.a, "staff");
    const before = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${t.a.schemaName}".notifications WHERE kind = 'invitation'`);
    const res = await api(t.a, owner.tokens, "/api/invitations", { method: "POST", json: { email: existing.email, role: "staff" } });
    await expectProblem(res, 409);
    const after = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${t.a.schemaName}".notifications WHERE kind = 'invitation'`);
    expect(after[0].n).toBe(before[0].n);
  });

  it("does not let an admin invite an owner, nor a token be used as an access token", async () => {
    const admin = await tokenFor(t.a, "admin");
    await expectProblem(
      await api(t.a, admin.tokens, "/api/invitations", { method: "POST", json: { email: "boss@example.ma", role: "owner" } }),
      403,
    );
    const invitation = await json(
      await api(t.a, admin.tokens, "/api/invitations", { method: "POST", json: { email: `${uniqueSlug()}@example.ma` } }),
    );
    await expectProblem(await call(t.a.domain, "/api/auth/me", authed(invitation.token)), 401);
  });

  it("answers another tenant's invitation id with 404", async () => {
    const ownerA = await tokenFor(t.a, "owner");
    const ownerB = await tokenFor(t.b, "owner");
    const invitation = await json(
      await api(t.b, ownerB.tokens, "/api/invitations", { method: "POST", json: { email: `${uniqueSlug()}@example.ma` } }),
    );
    await expectProblem(await api(t.a, ownerA.tokens, `/api/invitations/${invitation.id}`, { method: "DELETE" }), 404);
  });
});
