/**
 * "Last active" of a member: their last sign-in or session renewal on this
 * business, written by those same statements at most once an hour, shown by
 * the memberships API (and the team screen).
 */
import { describe, expect, it } from "vitest";
import { authed, login, member, post } from "./auth-fixtures";
import { call, json, sql, useTenants } from "./harness";

const seenAt = async (membershipId: string) =>
  (await sql<{ last_seen_at: Date | null }>(`SELECT last_seen_at FROM tenant_memberships WHERE id = $1`, [membershipId]))[0]!.last_seen_at;

describe("a member's last activity", () => {
  const t = useTenants();

  it("is empty before the first sign-in, then set by signing in and by renewals at most once an hour, per business", async () => {
    const staff = await member(t.a.id, "staff");
    const owner = await member(t.a.id, "owner");
    expect(await seenAt(staff.membershipId)).toBeNull();
    const tokens = await login(t.a.domain, staff.email);
    const first = await seenAt(staff.membershipId);
    expect(Date.now() - new Date(first!).getTime()).toBeLessThan(60_000);

    // Within the hour a renewal writes nothing.
    await sql(`UPDATE tenant_memberships SET last_seen_at = now() - interval '30 minutes' WHERE id = $1`, [staff.membershipId]);
    const half = await seenAt(staff.membershipId);
    const renewed = await post(t.a.domain, "/api/auth/refresh", { refresh_token: tokens.refresh_token });
    expect(renewed.status).toBe(200);
    expect(await seenAt(staff.membershipId)).toEqual(half);

    // Later than that it moves forward.
    await sql(`UPDATE tenant_memberships SET last_seen_at = now() - interval '2 hours' WHERE id = $1`, [staff.membershipId]);
    const again = await post(t.a.domain, "/api/auth/refresh", { refresh_token: (await json(renewed)).refresh_token });
    expect(again.status).toBe(200);
    expect(Date.now() - new Date((await seenAt(staff.membershipId))!).getTime()).toBeLessThan(60_000);

    // The API reports it; another business's membership of nobody is untouched.
    const ownerTokens = await login(t.a.domain, owner.email);
    const shown = await json(await call(t.a.domain, `/api/memberships/${staff.membershipId}`, authed(ownerTokens.access_token)));
    expect(Date.parse(shown.last_active_at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("counts only the business signed in to", async () => {
    const user = await member(t.a.id, "staff");
    const elsewhere = await sql<{ id: string }>(
      `INSERT INTO tenant_memberships (tenant_id, user_id, role) VALUES ($1, $2, 'staff') RETURNING id`,
      [t.b.id, user.id],
    );
    await login(t.a.domain, user.email);
    expect(await seenAt(user.membershipId)).not.toBeNull();
    expect(await seenAt(elsewhere[0]!.id)).toBeNull();
  });
});
