/**
 * Invitation links: a jose JWT (`typ: bookme-invitation+jwt`) whose audience
 * is `invitation:<tenant id>` and whose id is the invitation row's id. It is
 * signed with a key derived from JWT_SECRET for this purpose only, so an
 * invitation can never pass as an access token or the other way round. The
 * row decides whether it is still pending (single use, revocable).
 */
import { errors, jwtVerify, SignJWT } from "jose";
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
