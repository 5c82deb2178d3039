/**
 * Manage links: a customer manages a booking without an account through a
 * signed token (jose, HS256, the app's JWT secret). Audience `manage:<tenant
 * id>` pins it to the business, the subject to the booking, `ver` to the
 * booking's manage_token_version (bumping it revokes every link issued so
 * far: a reschedule does, since the link's lifetime follows the end time),
 * and it expires 30 days after the appointment ends.
 */
import { errors, jwtVerify, SignJWT } from "jose";
import { ApiError } from "../http/problem";

export const MANAGE_ISSUER = "bookme";
export const MANAGE_LINK_DAYS_AFTER_END = 30;
const encoder = new TextEncoder();

export const manageAudience = (tenantId: string) => `manage:${tenantId}`;

export async function signManageToken(
  secret: string,
  claims: { tenantId: string; bookingId: string; version: number; endsAtMs: number },
): Promise<{ token: string; expiresAt: number }> {
  const expiresAt = Math.floor(claims.endsAtMs / 1000) + MANAGE_LINK_DAYS_AFTER_END * 86_400;
  const token = await new SignJWT({ ver: claims.version })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(MANAGE_ISSUER)
    .setAudience(manageAudience(claims.tenantId))
    .setSubject(claims.bookingId)
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(encoder.encode(secret));
  return { token, expiresAt };
}

/** The customer-facing manage page; `template` is the config's PUBLIC_URL_TEMPLATE. */
export function manageUrl(host: string, token: string, template = "https://{host}"): string {
  return `${template.replace("{host}", host)}/manage/${token}`;
}

const notFound = () => new ApiError("not_found", "This manage link is not valid for any booking here.");

/**
 * The booking id and version a manage token grants, or a problem: expired →
 * 401 (say so, the customer can ask for a new link); anything else (bad
 * signature, another business, malformed) → 404, revealing nothing.
 */
export async function verifyManageToken(secret: string, token: string, tenantId: string): Promise<{ bookingId: string; version: number }> {
  try {
    const { payload } = await jwtVerify(token, encoder.encode(secret), {
      issuer: MANAGE_ISSUER,
      audience: manageAudience(tenantId),
      algorithms: ["HS256"],
      requiredClaims: ["sub", "exp"],
    });
    if (typeof payload.ver !== "number" || !Number.isInteger(payload.ver)) throw notFound();
    if (!/^[0-9a-f-]{36}$/i.test(payload.sub!)) throw notFound();
    return { bookingId: payload.sub!, version: payload.ver };
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof errors.JWTExpired) throw new ApiError("unauthorized", "This manage link has expired.");
    throw notFound();
  }
}
