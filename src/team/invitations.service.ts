/**
 * Invitations to a business: created by its owners/admins (the email is queued
 * in the same transaction), listed, revoked, and accepted by the invitee with
 * the signed link. All scoped by the tenant id.
 */
import { iso } from "../http/json";
import type { Client } from "@neondatabase/serverless";
import { acceptUrl, createInvitation, InvalidInvitation, verifyInvitation, type CreatedInvitation } from "../auth/invitations";
import { LOGIN_FAILURES_PER_ADDRESS_ACCOUNT } from "../auth/login-limits";
import { assertStrongPassword, hashPassword, verifyPassword } from "../auth/passwords";
import { hitRateLimits } from "../auth/rate-limit";
import type { SigningKeys } from "../auth/tokens";
import { presentUser, type UserRow } from "../auth/users";
import { inTransaction, type LazyDatabase } from "../db/client";
import type { MembershipRole } from "../db/schema/public";
import { Conflict, Forbidden, InvalidLink, NotAuthenticated, NotFound } from "../domain/errors";
import type { TenantContext } from "../domain/tenant";
import { enqueueInvitationEmail } from "../notify/invitations";

/** The request's connection, opened only once the cheap checks passed. */
type Connection = Pick<LazyDatabase, "client">;

const notPending = () => new Conflict("This invitation was already used, revoked or has expired.");

/** Creates the invitation and queues its email; the link opens on `origin`. Only owners invite owners. */
export async function invite(
  database: Connection,
  keys: SigningKeys,
  tenant: TenantContext,
  origin: string,
  input: { email: string; role: MembershipRole; invitedBy: string; inviterRole: MembershipRole | null },
) {
  if (input.role === "owner" && input.inviterRole !== "owner") {
    throw new Forbidden("Only an owner can invite another owner.");
  }
  return createAndSend(await database.client(), keys, tenant, origin, input);
}

/**
 * Stores the invitation and queues its email (in the tenant's outbox, in its
 * language) in one transaction; the link opens on `origin`. Also how the
 * platform invites a new tenant's first owner.
 */
export function createAndSend(
  client: Client,
  keys: SigningKeys,
  tenant: Pick<TenantContext, "id" | "schemaName" | "locale">,
  origin: string,
  input: { email: string; role: MembershipRole; invitedBy: string },
): Promise<CreatedInvitation> {
  return inTransaction(client, async () => {
    const invitation = await createInvitation(client, keys, {
      tenantId: tenant.id,
      email: input.email,
      role: input.role,
      invitedBy: input.invitedBy,
    });
    await enqueueInvitationEmail(client, tenant.schemaName, {
      invitationId: invitation.id,
      email: invitation.email,
      role: invitation.role,
      acceptUrl: acceptUrl(origin, invitation.token),
      invitedBy: input.invitedBy,
      locale: tenant.locale,
    });
    return invitation;
  });
}

/** Pending invitations, newest first (at most 500). */
export async function listPending(client: Client, tenantId: string) {
  const { rows } = await client.query(
    `SELECT id, email, role, created_at AS "createdAt", expires_at AS "expiresAt" FROM "public"."invitations"
      WHERE tenant_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
      ORDER BY created_at DESC, id LIMIT 500`,
    [tenantId],
  );
  return (rows as { id: string; email: string; role: MembershipRole; createdAt: Date; expiresAt: Date }[]).map((r) => ({
    id: r.id,
    email: r.email,
    role: r.role,
    created_at: iso(r.createdAt)!,
    expires_at: iso(r.expiresAt)!,
  }));
}

export async function revoke(client: Client, tenantId: string, id: string): Promise<void> {
  const { rowCount } = await client.query(
    `UPDATE "public"."invitations" SET revoked_at = now()
      WHERE id = $1 AND tenant_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL`,
    [id, tenantId],
  );
  if (!rowCount) throw new NotFound("No such pending invitation in this business.");
}

/**
 * Accepts the invitation: creates the account (strong password required) or
 * links the existing one (its password required), adds the membership and
 * marks the invitation used, in one statement.
 */
export async function accept(
  database: Connection,
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
  const client = await database.client();
  // Linking an existing account checks its password: guesses are limited per invitation (only its
  // holder can try), never per email, so this cannot lock the account's own sign-in.
  await hitRateLimits(client, [{ key: `invite:${invitation.id}`, limit: LOGIN_FAILURES_PER_ADDRESS_ACCOUNT }]);
  const { rows } = await client.query(
    `SELECT i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now() AS pending,
            u.id AS "userId", u.password_hash AS "passwordHash"
       FROM "public"."invitations" i LEFT JOIN "public"."users" u ON u.email = i.email
      WHERE i.id = $1 AND i.tenant_id = $2`,
    [invitation.id, tenantId],
  );
  const found = rows[0] as { pending: boolean; userId: string | null; passwordHash: string | null } | undefined;
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
    [invitation.id, tenantId, input.displayName ?? null, newHash],
  );
  const result = accepted[0] as (UserRow & { membership: { id: string; role: MembershipRole } }) | undefined;
  if (!result) throw notPending();
  return { user: presentUser(result), membership: result.membership };
}
