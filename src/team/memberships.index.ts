/**
 * Members and invitations of the business at this host. Every query is scoped
 * by the host's tenant id, so another tenant's member id is simply not found
 * (404). Staff see only their own membership, enforced in the query.
 *
 * The last owner is protected by locking the tenant's owner rows (plus the
 * target) with `FOR UPDATE` in the same transaction as the change: two
 * concurrent demotions of the only two owners serialise, and the second sees
 * one owner left and is refused.
 */
import type { Client } from "@neondatabase/serverless";
import { and, eq } from "drizzle-orm";
import { tenantMemberships, users, type MembershipRole } from "../db/schema/public";
import { listPage, toListQuery, totalCount } from "../http/list-query";
import { ApiError } from "../http/problem";
import { createRouter } from "../http/router";
import { signingKeys } from "../auth/signing-keys";
import { requirePrincipal, roleAtLeast } from "../auth/guards";
import { acceptUrl, createInvitation, InvalidInvitation, presentCreatedInvitation, revealLinks, verifyInvitation } from "../auth/invitations";
import { enqueueInvitationEmail } from "../notify/invitations";
import { inTransaction } from "../db/client";
import { tenantOf } from "../tenancy/scope";
import * as routes from "./memberships.routes";
import { assertStrongPassword, hashPassword, verifyPassword } from "../auth/passwords";
import { LOGIN_FAILURES_PER_ADDRESS_ACCOUNT } from "../auth/login-limits";
import { hitRateLimits } from "../auth/rate-limit";
import { presentUser, type UserRow } from "../auth/users";

const notFound = () => new ApiError("not_found", "No such member in this business.");

interface MemberRow {
  id: string;
  role: MembershipRole;
  userId: string;
  email: string;
  displayName: string;
  createdAt: Date | string;
}

const present = (row: MemberRow) => ({
  id: row.id,
  role: row.role,
  user: { id: row.userId, email: row.email, display_name: row.displayName },
  created_at: new Date(row.createdAt).toISOString(),
});

const MEMBER_COLUMNS = `m.id, m.role, u.id AS "userId", u.email, u.display_name AS "displayName", m.created_at AS "createdAt"`;


/**
 * Runs `change` inside a transaction holding row locks on the tenant's owners
 * and the target membership. `change` sees the target and the owner count as
 * they are once every competing change has committed.
 */
async function withOwnerLock<T>(
  client: Client,
  tenantId: string,
  membershipId: string,
  change: (target: { id: string; role: MembershipRole; userId: string }, owners: number) => Promise<T>,
): Promise<T> {
  return inTransaction(client, async () => {
    const { rows } = await client.query(
      `SELECT id, role, user_id AS "userId" FROM "public"."tenant_memberships"
        WHERE tenant_id = $1 AND (role = 'owner' OR id = $2)
        ORDER BY id FOR UPDATE`,
      [tenantId, membershipId],
    );
    const locked = rows as { id: string; role: MembershipRole; userId: string }[];
    const target = locked.find((r) => r.id === membershipId);
    if (!target) throw notFound();
    return change(target, locked.filter((r) => r.role === "owner").length);
  });
}

function assertMayManage(actorRole: MembershipRole | null, target: MembershipRole, newRole?: MembershipRole) {
  if (actorRole !== "owner" && (target === "owner" || newRole === "owner")) {
    throw new ApiError("forbidden", "Only an owner can change, remove or appoint owners.");
  }
}

const lastOwner = () =>
  new ApiError("conflict", "A business must keep at least one owner; appoint another owner first.", {
    errors: [{ field: "role", message: "last owner" }],
  });

export const membershipsRouter = createRouter()
  .openapi(routes.listMemberships, async (c) => {
    const principal = requirePrincipal(c);
    const tenant = tenantOf(c);
    const query = c.req.valid("query");
    const scope = [eq(tenantMemberships.tenantId, tenant.id)];
    if (!roleAtLeast(principal.role, "admin")) scope.push(eq(tenantMemberships.userId, principal.userId));
    const list = toListQuery(routes.membershipListSpec, query, [and(...scope)]);
    const db = await c.get("database").db();
    const rows = await db
      .select({
        id: tenantMemberships.id,
        role: tenantMemberships.role,
        userId: users.id,
        email: users.email,
        displayName: users.displayName,
        createdAt: tenantMemberships.createdAt,
        total_count: totalCount(),
      })
      .from(tenantMemberships)
      .innerJoin(users, eq(users.id, tenantMemberships.userId))
      .where(list.where)
      .orderBy(...list.orderBy)
      .limit(list.limit)
      .offset(list.offset);
    return c.json(listPage(rows, list, c.req.url, (row) => present(row as MemberRow)) as never, 200);
  })
  .openapi(routes.getMembership, async (c) => {
    const principal = requirePrincipal(c);
    const { id } = c.req.valid("param");
    const client = await c.get("database").client();
    const { rows } = await client.query(
      `SELECT ${MEMBER_COLUMNS} FROM "public"."tenant_memberships" m JOIN "public"."users" u ON u.id = m.user_id
        WHERE m.id = $1 AND m.tenant_id = $2 AND ($3::uuid IS NULL OR m.user_id = $3)`,
      [id, tenantOf(c).id, roleAtLeast(principal.role, "admin") ? null : principal.userId],
    );
    if (!rows[0]) throw notFound();
    return c.json(present(rows[0] as MemberRow), 200);
  })
  .openapi(routes.updateMembership, async (c) => {
    const principal = requirePrincipal(c);
    const { id } = c.req.valid("param");
    const { role } = c.req.valid("json");
    const tenant = tenantOf(c);
    const client = await c.get("database").client();
    const row = await withOwnerLock(client, tenant.id, id, async (target, owners) => {
      assertMayManage(principal.role, target.role, role);
      if (target.role === "owner" && role !== "owner" && owners <= 1) throw lastOwner();
      const { rows } = await client.query(
        `WITH m AS (
           UPDATE "public"."tenant_memberships" SET role = $3, updated_at = now()
            WHERE id = $1 AND tenant_id = $2 RETURNING id, role, user_id, created_at)
         SELECT ${MEMBER_COLUMNS} FROM m JOIN "public"."users" u ON u.id = m.user_id`,
        [id, tenant.id, role],
      );
      return rows[0] as MemberRow;
    });
    return c.json(present(row), 200);
  })
  .openapi(routes.deleteMembership, async (c) => {
    const principal = requirePrincipal(c);
    const { id } = c.req.valid("param");
    const tenant = tenantOf(c);
    const client = await c.get("database").client();
    await withOwnerLock(client, tenant.id, id, async (target, owners) => {
      assertMayManage(principal.role, target.role);
      if (target.role === "owner" && owners <= 1) throw lastOwner();
      await client.query(
        `WITH d AS (DELETE FROM "public"."tenant_memberships" WHERE id = $1 AND tenant_id = $2 RETURNING user_id)
         UPDATE "public"."refresh_tokens" SET revoked_at = now()
          WHERE user_id IN (SELECT user_id FROM d) AND audience = $3 AND revoked_at IS NULL`,
        [id, tenant.id, tenant.id],
      );
    });
    return c.body(null, 204);
  })
  .openapi(routes.createInvitation, async (c) => {
    const principal = requirePrincipal(c);
    const { email, role } = c.req.valid("json");
    if (role === "owner" && principal.role !== "owner") {
      throw new ApiError("forbidden", "Only an owner can invite another owner.");
    }
    const tenant = tenantOf(c);
    const client = await c.get("database").client();
    const origin = new URL(c.req.url).origin;
    const created = await inTransaction(client, async () => {
      const invitation = await createInvitation(client, signingKeys(c), { tenantId: tenant.id, email, role, invitedBy: principal.userId });
      await enqueueInvitationEmail(client, tenant.schemaName, {
        invitationId: invitation.id,
        email: invitation.email,
        role: invitation.role,
        acceptUrl: acceptUrl(origin, invitation.token),
        invitedBy: principal.userId,
        locale: tenant.locale,
      });
      return invitation;
    });
    return c.json(presentCreatedInvitation(created, origin, revealLinks(c)), 201);
  })
  .openapi(routes.listInvitations, async (c) => {
    const client = await c.get("database").client();
    const { rows } = await client.query(
      `SELECT id, email, role, created_at AS "createdAt", expires_at AS "expiresAt" FROM "public"."invitations"
        WHERE tenant_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
        ORDER BY created_at DESC, id LIMIT 500`,
      [tenantOf(c).id],
    );
    const results = (rows as { id: string; email: string; role: MembershipRole; createdAt: Date; expiresAt: Date }[]).map((r) => ({
      id: r.id,
      email: r.email,
      role: r.role,
      created_at: new Date(r.createdAt).toISOString(),
      expires_at: new Date(r.expiresAt).toISOString(),
    }));
    return c.json({ results }, 200);
  })
  .openapi(routes.revokeInvitation, async (c) => {
    const { id } = c.req.valid("param");
    const client = await c.get("database").client();
    const { rowCount } = await client.query(
      `UPDATE "public"."invitations" SET revoked_at = now()
        WHERE id = $1 AND tenant_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL`,
      [id, tenantOf(c).id],
    );
    if (!rowCount) throw new ApiError("not_found", "No such pending invitation in this business.");
    return c.body(null, 204);
  })
  .openapi(routes.acceptInvitation, async (c) => {
    const { token, password, display_name: displayName } = c.req.valid("json");
    const tenant = tenantOf(c);
    let invitation: { id: string; email: string };
    try {
      invitation = await verifyInvitation(signingKeys(c), token, tenant.id);
    } catch (error) {
      if (error instanceof InvalidInvitation) throw new ApiError("bad_request", `The invitation cannot be used: ${error.message}.`);
      throw error;
    }
    const client = await c.get("database").client();
    // Linking an existing account checks its password: guesses are limited per invitation (only its
    // holder can try), never per email, so this cannot lock the account's own sign-in.
    await hitRateLimits(client, [{ key: `invite:${invitation.id}`, limit: LOGIN_FAILURES_PER_ADDRESS_ACCOUNT }]);
    const { rows } = await client.query(
      `SELECT i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now() AS pending,
              u.id AS "userId", u.password_hash AS "passwordHash"
         FROM "public"."invitations" i LEFT JOIN "public"."users" u ON u.email = i.email
        WHERE i.id = $1 AND i.tenant_id = $2`,
      [invitation.id, tenant.id],
    );
    const found = rows[0] as { pending: boolean; userId: string | null; passwordHash: string | null } | undefined;
    if (!found || !found.pending) throw new ApiError("conflict", "This invitation was already used, revoked or has expired.");
    let newHash: string | null = null;
    if (found.passwordHash) {
      if (!(await verifyPassword(password, found.passwordHash))) {
        throw new ApiError("unauthorized", "An account with this email exists: give its password to join with it.");
      }
    } else {
      assertStrongPassword(password, invitation.email);
      newHash = await hashPassword(password);
    }
    const { rows: accepted } = await client.query(
      `WITH inv AS (
         SELECT id, email, role FROM "public"."invitations"
          WHERE id = $1 AND tenant_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
          FOR UPDATE),
       u AS (
         INSERT INTO "public"."users" AS x (email, display_name, password_hash)
         SELECT email, coalesce($3, ''), $4 FROM inv
         ON CONFLICT (lower(email)) DO UPDATE
           SET password_hash = coalesce(x.password_hash, EXCLUDED.password_hash), updated_at = now()
         RETURNING x.id, x.email, x.display_name AS "displayName", x.locale, x.is_superuser AS "isSuperuser", x.created_at AS "createdAt"),
       mem AS (
         INSERT INTO "public"."tenant_memberships" (tenant_id, user_id, role)
         SELECT $2, u.id, inv.role FROM u, inv
         ON CONFLICT (user_id, tenant_id) DO NOTHING
         RETURNING id, role),
       acc AS (
         UPDATE "public"."invitations" SET accepted_at = now(), accepted_by = (SELECT id FROM u)
          WHERE id IN (SELECT id FROM inv))
       SELECT u.*, coalesce(
                (SELECT json_build_object('id', id, 'role', role) FROM mem),
                (SELECT json_build_object('id', m.id, 'role', m.role) FROM "public"."tenant_memberships" m
                  WHERE m.user_id = u.id AND m.tenant_id = $2)) AS membership
         FROM u`,
      [invitation.id, tenant.id, displayName ?? null, newHash],
    );
    const result = accepted[0] as (UserRow & { membership: { id: string; role: MembershipRole } }) | undefined;
    if (!result) throw new ApiError("conflict", "This invitation was already used, revoked or has expired.");
    return c.json({ user: presentUser(result), membership: result.membership }, 201);
  });
