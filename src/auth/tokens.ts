/**
 * Access tokens: short-lived HS256 JWTs signed with jose. A tenant-scoped token
 * carries the tenant id as audience and the membership role, so guards on the
 * hot path need no database lookup. The key id is derived from the secret, so
 * rotating JWT_SECRET (keeping the old one in JWT_PREVIOUS_SECRET for one token
 * lifetime) needs no extra configuration.
 */
import { errors, jwtVerify, SignJWT } from "jose";
import type { MembershipRole } from "../db/schema/public";

export const ISSUER = "bookme";
export const PLATFORM_AUDIENCE = "platform";
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

export interface AccessClaims {
  userId: string;
  /** Tenant id, or `platform` for a token used on the platform host. */
  audience: string;
  role: MembershipRole | null;
  isSuperuser: boolean;
  tokenId: string;
  expiresAt: number;
}

export interface SigningKeys {
  current: string;
  previous?: string;
}

const encoder = new TextEncoder();
const keyIds = new Map<string, string>();

export async function keyId(secret: string): Promise<string> {
  let kid = keyIds.get(secret);
  if (!kid) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(secret)));
    kid = Array.from(digest.slice(0, 6), (b) => b.toString(16).padStart(2, "0")).join("");
    keyIds.set(secret, kid);
  }
  return kid;
}

export async function signAccessToken(
  keys: SigningKeys,
  claims: { userId: string; audience: string; role: MembershipRole | null; isSuperuser: boolean },
  ttlSeconds = ACCESS_TOKEN_TTL_SECONDS,
): Promise<{ token: string; expiresIn: number }> {
  const token = await new SignJWT({ role: claims.role ?? undefined, su: claims.isSuperuser || undefined })
    .setProtectedHeader({ alg: "HS256", kid: await keyId(keys.current), typ: "JWT" })
    .setIssuer(ISSUER)
    .setSubject(claims.userId)
    .setAudience(claims.audience)
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(encoder.encode(keys.current));
  return { token, expiresIn: ttlSeconds };
}

export class InvalidToken extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidToken";
  }
}

/** jose key lookup: the current or the previous secret, chosen by the token's `kid` (rotation). */
export function keyResolver(keys: SigningKeys) {
  const candidates = [keys.current, keys.previous].filter((k): k is string => Boolean(k));
  return async (header: { kid?: string }) => {
    for (const secret of candidates) if (header.kid === (await keyId(secret))) return encoder.encode(secret);
    throw new InvalidToken("unknown signing key");
  };
}

/** Verifies signature (HS256 only), issuer, audience, expiry and not-before. */
export async function verifyAccessToken(keys: SigningKeys, token: string, audience: string): Promise<AccessClaims> {
  try {
    const { payload } = await jwtVerify(token, keyResolver(keys), {
      issuer: ISSUER,
      audience,
      algorithms: ["HS256"],
      requiredClaims: ["sub", "jti", "exp", "iat"],
    });
    const role = typeof payload.role === "string" ? (payload.role as MembershipRole) : null;
    return {
      userId: payload.sub!,
      audience,
      role,
      isSuperuser: payload.su === true,
      tokenId: payload.jti!,
      expiresAt: payload.exp!,
    };
  } catch (error) {
    if (error instanceof InvalidToken) throw error;
    if (error instanceof errors.JWTExpired) throw new InvalidToken("the access token has expired");
    if (error instanceof errors.JWTClaimValidationFailed) throw new InvalidToken(`the access token is not valid here (${error.claim})`);
    throw new InvalidToken("the access token is invalid");
  }
}
