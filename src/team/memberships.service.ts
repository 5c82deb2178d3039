/**
 * Members of a business. Every query is scoped by the tenant id, so another
 * tenant's member id is simply not found. Staff see only their own membership
 * (`onlyUserId`), enforced in the query. Every operation is one statement on
 * the request's HTTP handle.
 *
 * The last owner is protected inside the one statement that makes a change:
 * it first locks the tenant's owner rows (plus the target) with `FOR UPDATE`,
 * and the change is guarded by what those locked rows say. Two concurrent
 * demotions of the only two owners serialise on the locks; the second then
 * reads the rows as the first committed them (READ COMMITTED re-reads a row it
 * waited for), sees one owner left and changes nothing. The statement returns
 * what it saw, and the code names the refusal.
 */
import { iso } from "../http/json";
import { and, eq, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Queryable, rowsOf } from "../db/client";
import { refreshTokens, tenantMemberships, users, type MembershipRole } from "../db/schema/public";
import { columnName } from "../db/sql";
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
  lastSeenAt: Date | string | null;
}

export const presentMember = (row: MemberRow) => ({
  id: row.id,
  role: row.role,
  user: { id: row.userId, email: row.email, display_name: row.displayName },
  created_at: iso(row.createdAt)!,
  last_active_at: iso(row.lastSeenAt),
});

const MEMBER_COLUMNS = {
  id: tenantMemberships.id,
  role: tenantMemberships.role,
  userId: users.id,
  email: users.email,
  displayName: users.displayName,
  createdAt: tenantMemberships.createdAt,
  lastSeenAt: tenantMemberships.lastSeenAt,
};

/** Which memberships a list may show: the tenant's (only `onlyUserId`'s own when set). */
export function memberScope(tenantId: string, onlyUserId: string | null) {
  const scope = [eq(tenantMemberships.tenantId, tenantId)];
  if (onlyUserId) scope.push(eq(tenantMemberships.userId, onlyUserId));
  return and(...scope);
}

export function listMembers(db: Queryable, list: ListQuery) {
  return db
    .select({ ...MEMBER_COLUMNS, total_count: totalCount() })
    .from(tenantMemberships)
    .innerJoin(users, eq(users.id, tenantMemberships.userId))
    .where(list.where)
    .orderBy(...list.orderBy)
    .limit(list.limit)
    .offset(list.offset);
}

export async function getMember(db: Queryable, tenantId: string, id: string, onlyUserId: string | null) {
  const m = tenantMemberships;
  const [row] = await db
    .select(MEMBER_COLUMNS)
    .from(m)
    .innerJoin(users, eq(users.id, m.userId))
    .where(and(eq(m.id, id), eq(m.tenantId, tenantId), onlyUserId ? eq(m.userId, onlyUserId) : undefined));
  if (!row) throw notFound();
  return presentMember(row);
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

interface Guarded {
  /** The target as locked (null: no such member here). */
  targetRole: MembershipRole | null;
  /** Owners among the locked rows. */
  owners: number;
}

/**
 * `WITH locked AS (...), target AS (...), owners AS (...)`: the tenant's owner
 * rows and the target, locked in id order (so two changes never wait on each
 * other crosswise), then the target and the owner count as locked.
 */
function ownerLock(tenantId: string, membershipId: string): SQL {
  const l = alias(tenantMemberships, "l");
  return sql`locked AS (
       SELECT ${l.id} AS id, ${l.role} AS role, ${l.userId} AS user_id FROM ${tenantMemberships} l
        WHERE ${l.tenantId} = ${tenantId}::uuid AND (${l.role} = 'owner' OR ${l.id} = ${membershipId}::uuid)
        ORDER BY ${l.id} FOR UPDATE),
     target AS (SELECT * FROM locked WHERE id = ${membershipId}::uuid),
     owners AS (SELECT count(*)::int AS n FROM locked WHERE role = 'owner')`;
}

/** SQL twin of `assertMayManage` and the last-owner rule, over the locked `target` and `owners`. */
function allowed(actorRole: MembershipRole | null, newRole: MembershipRole | null): SQL {
  const actorIsOwner = actorRole === "owner";
  return sql`(${actorIsOwner}::boolean OR (target.role <> 'owner' AND ${newRole}::text IS DISTINCT FROM 'owner'))
         AND NOT (target.role = 'owner' AND ${newRole}::text IS DISTINCT FROM 'owner' AND (SELECT n FROM owners) <= 1)`;
}

/** Names the refusal from what the statement saw (it changed nothing in those cases). */
function refusal(actorRole: MembershipRole | null, seen: Guarded | undefined, newRole?: MembershipRole): void {
  if (!seen?.targetRole) throw notFound();
  assertMayManage(actorRole, seen.targetRole, newRole);
  if (seen.targetRole === "owner" && newRole !== "owner" && seen.owners <= 1) throw lastOwner();
}

export async function changeRole(db: Queryable, tenantId: string, actorRole: MembershipRole | null, id: string, role: MembershipRole) {
  const m = tenantMemberships;
  const u = alias(users, "u");
  const rows = await rowsOf<Guarded & { changed: MemberRow | null }>(
    db,
    sql`WITH ${ownerLock(tenantId, id)},
     changed AS (
       UPDATE ${m} SET ${columnName(m.role)} = ${role}, ${columnName(m.updatedAt)} = now()
        FROM target
        WHERE ${m.id} = target.id AND ${allowed(actorRole, role)}
        RETURNING ${m.id} AS id, ${m.role} AS role, ${m.userId} AS user_id, ${m.createdAt} AS created_at, ${m.lastSeenAt} AS last_seen_at)
     SELECT (SELECT role FROM target) AS "targetRole", (SELECT n FROM owners) AS owners,
            (SELECT json_build_object('id', c.id, 'role', c.role, 'userId', ${u.id}, 'email', ${u.email},
                                      'displayName', ${u.displayName}, 'createdAt', c.created_at, 'lastSeenAt', c.last_seen_at)
               FROM changed c JOIN ${users} u ON ${u.id} = c.user_id) AS changed`,
  );
  const seen = rows[0];
  if (!seen?.changed) {
    refusal(actorRole, seen, role);
    throw new Error("membership change refused for no known reason");
  }
  return presentMember(seen.changed);
}

/** Removes the member and revokes their refresh tokens for this business. */
export async function removeMember(db: Queryable, tenantId: string, actorRole: MembershipRole | null, id: string): Promise<void> {
  const m = tenantMemberships;
  const rt = refreshTokens;
  const rows = await rowsOf<Guarded & { removed: boolean }>(
    db,
    sql`WITH ${ownerLock(tenantId, id)},
     removed AS (
       DELETE FROM ${m} USING target
        WHERE ${m.id} = target.id AND ${allowed(actorRole, null)}
        RETURNING ${m.userId} AS user_id),
     revoked AS (
       UPDATE ${rt} SET ${columnName(rt.revokedAt)} = now()
        WHERE ${rt.userId} IN (SELECT user_id FROM removed) AND ${rt.audience} = ${tenantId} AND ${rt.revokedAt} IS NULL)
     SELECT (SELECT role FROM target) AS "targetRole", (SELECT n FROM owners) AS owners, EXISTS (SELECT 1 FROM removed) AS removed`,
  );
  const seen = rows[0];
  if (!seen?.removed) {
    refusal(actorRole, seen);
    throw new Error("membership removal refused for no known reason");
  }
}
