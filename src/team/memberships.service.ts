/**
 * Members of a business. Every query is scoped by the tenant id, so another
 * tenant's member id is simply not found. Staff see only their own membership
 * (`onlyUserId`), enforced in the query.
 *
 * The last owner is protected by locking the tenant's owner rows (plus the
 * target) with `FOR UPDATE` in the same transaction as the change: two
 * concurrent demotions of the only two owners serialise, and the second sees
 * one owner left and is refused.
 */
import { iso } from "../http/json";
import type { Client } from "@neondatabase/serverless";
import { and, eq } from "drizzle-orm";
import { inTransaction, type Database } from "../db/client";
import { tenantMemberships, users, type MembershipRole } from "../db/schema/public";
import { Conflict, Forbidden, NotFound } from "../domain/errors";
import { totalCount, type ListQuery } from "../http/list-query";

const notFound = () => new NotFound("No such member in this business.");

export interface MemberRow {
  id: string;
  role: MembershipRole;
  userId: string;
  email: string;
  displayName: string;
  createdAt: Date | string;
}

export const presentMember = (row: MemberRow) => ({
  id: row.id,
  role: row.role,
  user: { id: row.userId, email: row.email, display_name: row.displayName },
  created_at: iso(row.createdAt)!,
});

const MEMBER_COLUMNS = `m.id, m.role, u.id AS "userId", u.email, u.display_name AS "displayName", m.created_at AS "createdAt"`;

/** Which memberships a list may show: the tenant's (only `onlyUserId`'s own when set). */
export function memberScope(tenantId: string, onlyUserId: string | null) {
  const scope = [eq(tenantMemberships.tenantId, tenantId)];
  if (onlyUserId) scope.push(eq(tenantMemberships.userId, onlyUserId));
  return and(...scope);
}

export function listMembers(db: Database, list: ListQuery) {
  return db
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
}

export async function getMember(client: Client, tenantId: string, id: string, onlyUserId: string | null) {
  const { rows } = await client.query(
    `SELECT ${MEMBER_COLUMNS} FROM "public"."tenant_memberships" m JOIN "public"."users" u ON u.id = m.user_id
      WHERE m.id = $1 AND m.tenant_id = $2 AND ($3::uuid IS NULL OR m.user_id = $3)`,
    [id, tenantId, onlyUserId],
  );
  if (!rows[0]) throw notFound();
  return presentMember(rows[0] as MemberRow);
}

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
    throw new Forbidden("Only an owner can change, remove or appoint owners.");
  }
}

const lastOwner = () =>
  new Conflict("A business must keep at least one owner; appoint another owner first.", undefined, {}, [
    { field: "role", message: "last owner" },
  ]);

export async function changeRole(client: Client, tenantId: string, actorRole: MembershipRole | null, id: string, role: MembershipRole) {
  const row = await withOwnerLock(client, tenantId, id, async (target, owners) => {
    assertMayManage(actorRole, target.role, role);
    if (target.role === "owner" && role !== "owner" && owners <= 1) throw lastOwner();
    const { rows } = await client.query(
      `WITH m AS (
         UPDATE "public"."tenant_memberships" SET role = $3, updated_at = now()
          WHERE id = $1 AND tenant_id = $2 RETURNING id, role, user_id, created_at)
       SELECT ${MEMBER_COLUMNS} FROM m JOIN "public"."users" u ON u.id = m.user_id`,
      [id, tenantId, role],
    );
    return rows[0] as MemberRow;
  });
  return presentMember(row);
}

/** Removes the member and revokes their refresh tokens for this business. */
export async function removeMember(client: Client, tenantId: string, actorRole: MembershipRole | null, id: string): Promise<void> {
  await withOwnerLock(client, tenantId, id, async (target, owners) => {
    assertMayManage(actorRole, target.role);
    if (target.role === "owner" && owners <= 1) throw lastOwner();
    await client.query(
      `WITH d AS (DELETE FROM "public"."tenant_memberships" WHERE id = $1 AND tenant_id = $2 RETURNING user_id)
       UPDATE "public"."refresh_tokens" SET revoked_at = now()
        WHERE user_id IN (SELECT user_id FROM d) AND audience = $3 AND revoked_at IS NULL`,
      [id, tenantId, tenantId],
    );
  });
}
