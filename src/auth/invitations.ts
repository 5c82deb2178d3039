/**
 * Invitation links: a jose JWT (`typ: bookme-invitation+jwt`) whose audience
 * is `invitation:<tenant id>` and whose id is the invitation row's id. It is
 * signed with a key derived from JWT_SECRET for this purpose only, so an
 * invitation can never pass as an access token or the other way round. The
 * row decides whether it is still pending (single use, revocable).
 */
import { iso } from "../http/json";
import { sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { errors, jwtVerify, SignJWT } from "jose";
import { type Queryable, rowsOf } from "../db/client";
import { invitations, type MembershipRole, tenantMemberships, users } from "../db/schema/public";
import { tenantTables } from "../db/schema/tenant";
import { columnList, columnName } from "../db/sql";
import { Conflict, NotFound } from "../domain/errors";
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

/** Where the invitation email is queued: the tenant's outbox, in the tenant's language, with the link on `origin`. */
export interface InvitationEmailTarget {
  schemaName: string;
  locale: string;
  origin: string;
}

/**
 * One statement, one round trip: refuses an email that is already a member
 * (Conflict), revokes that email's earlier pending invitations, stores the new
 * one and queues its email in the tenant's outbox (deduplicated per
 * invitation, the inviter's name looked up in the same statement). The row id
 * and expiry are chosen here so the link token is signed before the statement
 * and travels in it. Used by tenant owners/admins and by the platform admin API
 * (which invites a new tenant's first owner).
 */
export async function createInvitation(
  db: Queryable,
  keys: SigningKeys,
  input: {
    tenantId: string;
    email: string;
    role: MembershipRole;
    invitedBy: string | null;
    /** A resend: this pending invitation is replaced (nothing happens unless it is still pending). */
    replaces?: string;
  },
  mail: InvitationEmailTarget,
): Promise<CreatedInvitation> {
  const id = crypto.randomUUID();
  const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 + INVITATION_TTL_SECONDS * 1000);
  const token = await signInvitation(keys, { id, tenantId: input.tenantId, email: input.email, expiresAt });
  const i = invitations;
  const m = alias(tenantMemberships, "m");
  const u = alias(users, "u");
  const inviter = alias(users, "inviter");
  const n = tenantTables(mail.schemaName).notifications;
  const replaced = alias(invitations, "replaced");
  const rows = await rowsOf<
    { id: string | null; email: string; role: MembershipRole; createdAt: string; expiresAt: string } & { member: boolean }
  >(
    db,
    sql`WITH existing AS (
       SELECT 1 FROM ${tenantMemberships} m JOIN ${users} u ON ${u.id} = ${m.userId}
        WHERE ${m.tenantId} = ${input.tenantId}::uuid AND ${u.email} = ${input.email}),
     go AS (
       SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM existing)
          AND (${input.replaces ?? null}::uuid IS NULL OR EXISTS (
               SELECT 1 FROM ${invitations} replaced
                WHERE ${replaced.id} = ${input.replaces ?? null}::uuid AND ${replaced.tenantId} = ${input.tenantId}::uuid
                  AND ${replaced.acceptedAt} IS NULL AND ${replaced.revokedAt} IS NULL AND ${replaced.expiresAt} > now()))),
     old AS (
       UPDATE ${i} SET ${columnName(i.revokedAt)} = now()
        WHERE ${i.tenantId} = ${input.tenantId}::uuid AND ${i.email} = ${input.email}
          AND ${i.acceptedAt} IS NULL AND ${i.revokedAt} IS NULL
          AND EXISTS (SELECT 1 FROM go)),
     ins AS (
       INSERT INTO ${i} (${columnList(i.id, i.tenantId, i.email, i.role, i.invitedBy, i.expiresAt)})
       SELECT ${id}::uuid, ${input.tenantId}::uuid, ${input.email}, ${input.role}, ${input.invitedBy}::uuid, ${expiresAt.toISOString()}::timestamptz
        WHERE EXISTS (SELECT 1 FROM go)
       RETURNING ${i.id} AS id, ${i.email} AS email, ${i.role} AS role, ${i.createdAt} AS "createdAt", ${i.expiresAt} AS "expiresAt"),
     mail AS (
       INSERT INTO ${n} (${columnList(n.channel, n.kind, n.dedupeKey, n.recipient, n.locale, n.payload)})
       SELECT 'email', 'invitation', 'invitation:' || ins.id::text, ins.email, ${mail.locale}::text,
              jsonb_build_object(
                'role', ins.role::text,
                'accept_url', ${acceptUrl(mail.origin, token)}::text,
                'inviter_name', coalesce((SELECT nullif(${inviter.displayName}, '') FROM ${users} inviter WHERE ${inviter.id} = ${input.invitedBy}::uuid), ''))
         FROM ins
       ON CONFLICT (${columnName(n.dedupeKey)}) DO NOTHING)
     SELECT ins.*, EXISTS (SELECT 1 FROM existing) AS member FROM (SELECT 1) AS one LEFT JOIN ins ON true`,
  );
  const row = rows[0];
  if (!row?.id) {
    if (input.replaces && !row?.member) throw new NotFound("No such pending invitation in this business.");
    throw new Conflict(`${input.email} is already a member of this business.`, undefined, {}, [
      { field: "email", message: "already a member" },
    ]);
  }
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: iso(row.createdAt)!,
    expiresAt: iso(row.expiresAt)!,
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
