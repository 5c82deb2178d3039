/**
 * Invitation links: a jose JWT (`typ: bookme-invitation+jwt`) whose audience
 * is `invitation:<tenant id>` and whose id is the invitation row's id. It is
 * signed with a key derived from JWT_SECRET for this purpose only, so an
 * invitation can never pass as an access token or the other way round. The
 * row decides whether it is still pending (single use, revocable).
 */
import { iso } from "../http/json";
import type { Client } from "@neondatabase/serverless";
import { errors, jwtVerify, SignJWT } from "jose";
import type { MembershipRole } from "../db/schema/public";
import { Conflict } from "../domain/errors";
import type { SigningKeys } from "./tokens";
import { ISSUER } from "./tokens";

export const INVITATION_TTL_SECONDS = 7 * 24 * 60 * 60;
const TYP = "bookme-invitation+jwt";
const encoder = new TextEncoder();
const derived = new Map<string, Uint8Array>();

async function invitationKey(secret: string): Promise<Uint8Array> {
  let key = derived.get(secret);
  if (!key) {
    const hmac = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    key = new Uint8Array(await crypto.subtle.sign("HMAC", hmac, encoder.encode("bookme/invitation/v1")));
    derived.set(secret, key);
  }
  return key;
}

export const invitationAudience = (tenantId: string) => `invitation:${tenantId}`;

export async function signInvitation(
  keys: SigningKeys,
  invitation: { id: string; tenantId: string; email: string; expiresAt: Date },
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: TYP })
    .setIssuer(ISSUER)
    .setAudience(invitationAudience(invitation.tenantId))
    .setSubject(invitation.email)
    .setJti(invitation.id)
    .setIssuedAt()
    .setExpirationTime(Math.floor(invitation.expiresAt.getTime() / 1000))
    .sign(await invitationKey(keys.current));
}

export class InvalidInvitation extends Error {}

export async function verifyInvitation(keys: SigningKeys, token: string, tenantId: string): Promise<{ id: string; email: string }> {
  const secrets = [keys.current, keys.previous].filter((k): k is string => Boolean(k));
  for (const secret of secrets) {
    try {
      const { payload } = await jwtVerify(token, await invitationKey(secret), {
        issuer: ISSUER,
        audience: invitationAudience(tenantId),
        algorithms: ["HS256"],
        typ: TYP,
        requiredClaims: ["jti", "sub", "exp"],
      });
      return { id: payload.jti!, email: payload.sub! };
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed) continue;
      throw new InvalidInvitation(error instanceof errors.JWTExpired ? "the invitation has expired" : "the invitation link is not valid");
    }
  }
  throw new InvalidInvitation("the invitation link is not valid");
}

export interface CreatedInvitation {
  id: string;
  email: string;
  role: MembershipRole;
  createdAt: string;
  expiresAt: string;
  token: string;
}

/**
 * One statement: refuses an email that is already a member (Conflict), revokes
 * that email's earlier pending invitations and stores the new one; then signs
 * its link token. Used by tenant owners/admins and by the platform admin API
 * (which invites a new tenant's first owner).
 */
export async function createInvitation(
  client: Pick<Client, "query">,
  keys: SigningKeys,
  input: { tenantId: string; email: string; role: MembershipRole; invitedBy: string | null },
): Promise<CreatedInvitation> {
  const { rows } = await client.query(
    `WITH existing AS (
       SELECT 1 FROM "public"."tenant_memberships" m JOIN "public"."users" u ON u.id = m.user_id
        WHERE m.tenant_id = $1 AND u.email = $2),
     old AS (
       UPDATE "public"."invitations" SET revoked_at = now()
        WHERE tenant_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM existing))
     INSERT INTO "public"."invitations" (tenant_id, email, role, invited_by, expires_at)
     SELECT $1, $2, $3, $4, now() + make_interval(secs => $5::int) WHERE NOT EXISTS (SELECT 1 FROM existing)
     RETURNING id, email, role, created_at AS "createdAt", expires_at AS "expiresAt"`,
    [input.tenantId, input.email, input.role, input.invitedBy, INVITATION_TTL_SECONDS],
  );
  const row = rows[0] as { id: string; email: string; role: MembershipRole; createdAt: Date; expiresAt: Date } | undefined;
  if (!row) {
    throw new Conflict(`${input.email} is already a member of this business.`, undefined, {}, [
      { field: "email", message: "already a member" },
    ]);
  }
  const expiresAt = new Date(row.expiresAt);
  const token = await signInvitation(keys, { id: row.id, tenantId: input.tenantId, email: row.email, expiresAt });
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: iso(row.createdAt)!,
    expiresAt: iso(expiresAt)!,
    token,
  };
}

/** The link a person opens on the business's host to accept. */
export function acceptUrl(origin: string, token: string): string {
  return `${origin}/invitations/accept?token=${encodeURIComponent(token)}`;
}

/**
 * The link reaches the invitee by email (the outbox). Outside production it is
 * also returned to the inviter, so development and tests can follow it without
 * a mailbox; in production only the invitee ever sees it.
 */
export function revealLinks(c: { get(key: "config"): { APP_ENV: string } }): boolean {
  return c.get("config").APP_ENV !== "production";
}

/** The response body both APIs return for a new invitation, with its link on `origin`. */
export function presentCreatedInvitation(created: CreatedInvitation, origin: string, reveal: boolean) {
  return {
    id: created.id,
    email: created.email,
    role: created.role,
    created_at: created.createdAt,
    expires_at: created.expiresAt,
    ...(reveal ? { token: created.token, accept_url: acceptUrl(origin, created.token) } : {}),
  };
}
