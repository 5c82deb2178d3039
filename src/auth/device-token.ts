/**
 * Device tokens (OWASP "device cookies"): a successful sign-in hands the
 * client a signed token naming the account (a hash of its email, so the
 * cookie carries no address) and a random device id. A client that presents
 * a valid one for the account it signs in to is trusted: failures from other
 * clients (the per-address limits and the account's slow-down) do not apply
 * to it; its own failures count against its device id instead, so a stolen
 * token still gives only a few guesses. Browsers get it as an HttpOnly
 * cookie scoped to /api/auth; API clients get `device_token` in the login
 * answer and send it back in the login body.
 */
import { jwtVerify, SignJWT } from "jose";
import { ISSUER, keyId, keyResolver, type SigningKeys } from "./tokens";

export const DEVICE_COOKIE = "bookme_device";
export const DEVICE_TOKEN_TTL_SECONDS = 180 * 24 * 60 * 60;
const AUDIENCE = "device";
const encoder = new TextEncoder();

async function accountOf(email: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(`device:${email}`)));
  return Array.from(digest.slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function signDeviceToken(keys: SigningKeys, email: string, deviceId: string = crypto.randomUUID()): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256", kid: await keyId(keys.current), typ: "JWT" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(await accountOf(email))
    .setJti(deviceId)
    .setIssuedAt()
    .setExpirationTime(`${DEVICE_TOKEN_TTL_SECONDS}s`)
    .sign(encoder.encode(keys.current));
}

/** The device id when `token` is a valid device token for `email`, else null (never throws). */
export async function trustedDevice(keys: SigningKeys, token: string | undefined, email: string): Promise<string | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, keyResolver(keys), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["HS256"],
      requiredClaims: ["sub", "jti", "exp"],
    });
    return payload.sub === (await accountOf(email)) && typeof payload.jti === "string" ? payload.jti : null;
  } catch {
    return null;
  }
}

export function deviceCookie(token: string): string {
  return `${DEVICE_COOKIE}=${token}; Max-Age=${DEVICE_TOKEN_TTL_SECONDS}; Path=/api/auth; HttpOnly; Secure; SameSite=Strict`;
}
