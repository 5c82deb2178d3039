/**
 * Invitations to a business: created by its owners/admins (the email is queued
 * in the same statement), listed, revoked, and accepted by the invitee with
 * the signed link. All scoped by the tenant id, all on the request's HTTP
 * handle: one statement each, two for an acceptance (limit + read, then the
 * write) because the password check runs in between.
 */
import { iso } from "../http/json";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { createInvitation, InvalidInvitation, verifyInvitation, type CreatedInvitation } from "../auth/invitations";
import { LOGIN_FAILURES_PER_ADDRESS_ACCOUNT } from "../auth/login-limits";
import { assertStrongPassword, hashPassword, verifyPassword } from "../auth/passwords";
import { DEFAULT_WINDOW_SECONDS, enforce, rateLimitCte, rateLimitHitsJson, type RateLimitHit } from "../auth/rate-limit";
import type { SigningKeys } from "../auth/tokens";
import { presentUser, userColumns, type UserRow } from "../auth/users";
import { type Queryable, rowsOf } from "../db/client";
import { invitations, type MembershipRole, tenantMemberships, users } from "../db/schema/public";
import { columnList, columnName } from "../db/sql";
import { Conflict, Forbidden, InvalidLink, NotAuthenticated, NotFound } from "../domain/errors";
import type { TenantContext } from "../domain/tenant";

const notPending = () => new Conflict("This invitation was already used, revoked or has expired.");

/** Creates the invitation and queues its email; the link opens on `origin`. Only owners invite owners. */
export async function invite(
  db: Queryable,
  keys: SigningKeys,
  tenant: TenantContext,
  origin: string,
  input: { email: string; role: MembershipRole; invitedBy: string; inviterRole: MembershipRole | null },
) {
  if (input.role === "owner" && input.inviterRole !== "owner") {
    throw new Forbidden("Only an owner can invite another owner.");
  }
  return createAndSend(db, keys, tenant, origin, input);
}

/**
 * Stores the invitation and queues its email (in the tenant's outbox, in its
 * language) in one statement; the link opens on `origin`. Also how the
 * platform invites a new tenant's first owner.
 */
export function createAndSend(
  db: Queryable,
  keys: SigningKeys,
  tenant: Pick<TenantContext, "id" | "schemaName" | "locale">,
  origin: string,
  input: { email: string; role: MembershipRole; invitedBy: string },
): Promise<CreatedInvitation> {
  return createInvitation(
    db,
    keys,
    { tenantId: tenant.id, email: input.email, role: input.role, invitedBy: input.invitedBy },
    { schemaName: tenant.schemaName, locale: tenant.locale, origin },
  );
}

/** Pending invitations, newest first (at most 500). */
export async function listPending(db: Queryable, tenantId: string) {
  const i = invitations;
  const rows = await db
    .select({ id: i.id, email: i.email, role: i.role, createdAt: i.createdAt, expiresAt: i.expiresAt })
    .from(i)
    .where(and(eq(i.tenantId, tenantId), isNull(i.acceptedAt), isNull(i.revokedAt), gt(i.expiresAt, sql`now()`)))
    .orderBy(desc(i.createdAt), i.id)
    .limit(500);
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: r.role,
    created_at: iso(r.createdAt)!,
    expires_at: iso(r.expiresAt)!,
  }));
}

/**
 * Sends a pending invitation again: a new invitation (new id, new link, the
 * full validity again) replaces it, and its email goes through the outbox like
 * the first one. The old link stops working because its row is revoked in the
 * same statement. Two statements: the email is read first because the new
 * link is signed for it; the write then checks the invitation is still pending.
 */
export async function resend(
  db: Queryable,
  keys: SigningKeys,
  tenant: TenantContext,
  origin: string,
  id: string,
  actor: { userId: string; role: MembershipRole | null },
): Promise<CreatedInvitation> {
  const i = invitations;
  const [found] = await db
    .select({ email: i.email, role: i.role })
    .from(i)
    .where(and(eq(i.id, id), eq(i.tenantId, tenant.id), isNull(i.acceptedAt), isNull(i.revokedAt), gt(i.expiresAt, sql`now()`)));
  if (!found) throw new NotFound("No such pending invitation in this business.");
  if (found.role === "owner" && actor.role !== "owner") throw new Forbidden("Only an owner can invite another owner.");
  return createInvitation(
    db,
    keys,
    { tenantId: tenant.id, email: found.email, role: found.role, invitedBy: actor.userId, replaces: id },
    { schemaName: tenant.schemaName, locale: tenant.locale, origin },
  );
}

export async function revoke(db: Queryable, tenantId: string, id: string): Promise<void> {
  const i = invitations;
  const revoked = await db
    .update(i)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(i.id, id), eq(i.tenantId, tenantId), isNull(i.acceptedAt), isNull(i.revokedAt)))
    .returning({ id: i.id });
  if (!revoked.length) throw new NotFound("No such pending invitation in this business.");
}

/**
 * Accepts the invitation: creates the account (strong password required) or
 * links the existing one (its password required), adds the membership and
 * marks the invitation used, in one statement.
 */
export async function accept(
  db: Queryable,
  keys: SigningKeys,
  tenantId: string,
  input: { token: string; password: string; displayName?: string },
) {
  let invitation: { id: string; email: string };
  try {
    invitation = await verifyInvitation(keys, input.token, tenantId);
  } catch (error) {
    if (error instanceof InvalidInvitation) throw new InvalidLink(`The invitation cannot be used: ${error.message}.`);
    throw error;
  }
  // Linking an existing account checks its password: guesses are limited per invitation (only its
  // holder can try), never per email, so this cannot lock the account's own sign-in. Counted in the
  // statement that reads the invitation.
  const rules = [{ key: `invite:${invitation.id}`, limit: LOGIN_FAILURES_PER_ADDRESS_ACCOUNT }];
  const i = invitations;
  const u = alias(users, "u");
  const rows = await rowsOf<{ limits: RateLimitHit[] | null; pending: boolean | null; userId: string | null; passwordHash: string | null }>(
    db,
    sql`WITH ${rateLimitCte(
      rules.map((r) => r.key),
      DEFAULT_WINDOW_SECONDS,
    )}
     SELECT ${rateLimitHitsJson} AS limits,
            ${i.acceptedAt} IS NULL AND ${i.revokedAt} IS NULL AND ${i.expiresAt} > now() AS pending,
            ${u.id} AS "userId", ${u.passwordHash} AS "passwordHash"
       FROM (SELECT 1) AS one
       LEFT JOIN ${i} ON ${i.id} = ${invitation.id}::uuid AND ${i.tenantId} = ${tenantId}::uuid
       LEFT JOIN ${users} u ON ${u.email} = ${i.email}`,
  );
  const found = rows[0];
  enforce(rules, found?.limits ?? null);
  if (!found?.pending) throw notPending();
  let newHash: string | null = null;
  if (found.passwordHash) {
    if (!(await verifyPassword(input.password, found.passwordHash))) {
      throw new NotAuthenticated("An account with this email exists: give its password to join with it.");
    }
  } else {
    assertStrongPassword(input.password, invitation.email);
    newHash = await hashPassword(input.password);
  }
  const x = users;
  const m = tenantMemberships;
  const existing = alias(tenantMemberships, "existing");
  const accepted = await rowsOf<UserRow & { membership: { id: string; role: MembershipRole } }>(
    db,
    sql`WITH inv AS (
       SELECT ${i.id} AS id, ${i.email} AS email, ${i.role} AS role FROM ${i}
        WHERE ${i.id} = ${invitation.id}::uuid AND ${i.tenantId} = ${tenantId}::uuid
          AND ${i.acceptedAt} IS NULL AND ${i.revokedAt} IS NULL AND ${i.expiresAt} > now()
        FOR UPDATE),
     u AS (
       INSERT INTO ${x} (${columnList(x.email, x.displayName, x.passwordHash)})
       SELECT email, coalesce(${input.displayName ?? null}::text, ''), ${newHash}::text FROM inv
       ON CONFLICT (lower(${columnName(x.email)})) DO UPDATE
         SET ${columnName(x.passwordHash)} = coalesce(${x.passwordHash}, EXCLUDED.${columnName(x.passwordHash)}),
             ${columnName(x.updatedAt)} = now()
       RETURNING ${userColumns(x)}),
     mem AS (
       INSERT INTO ${m} (${columnList(m.tenantId, m.userId, m.role)})
       SELECT ${tenantId}::uuid, u.id, inv.role FROM u, inv
       ON CONFLICT (${columnList(m.userId, m.tenantId)}) DO NOTHING
       RETURNING ${m.id} AS id, ${m.role} AS role),
     acc AS (
       UPDATE ${i} SET ${columnName(i.acceptedAt)} = now(), ${columnName(i.acceptedBy)} = (SELECT id FROM u)
        WHERE ${i.id} IN (SELECT id FROM inv))
     SELECT u.*, coalesce(
              (SELECT json_build_object('id', id, 'role', role) FROM mem),
              (SELECT json_build_object('id', ${existing.id}, 'role', ${existing.role}) FROM ${tenantMemberships} existing
                WHERE ${existing.userId} = u.id AND ${existing.tenantId} = ${tenantId}::uuid)) AS membership
       FROM u`,
  );
  const result = accepted[0];
  if (!result) throw notPending();
  return { user: presentUser(result), membership: result.membership };
}
