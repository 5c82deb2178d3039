/**
 * Manage links: a customer manages a booking without an account through a
 * signed token (jose, HS256, the app's JWT secret). Audience `manage:<tenant
 * id>` pins it to the business, the subject to the booking, `ver` to the
 * booking's manage_token_version (bumping it revokes every link issued so
 * far: a reschedule does, since the link's lifetime follows the end time),
 * and it expires 30 days after the appointment ends.
 */
import { errors, jwtVerify, SignJWT } from "jose";
import { LinkExpired, NotFound } from "../domain/errors";

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

/** The customer-facing manage page of `token`: the one place its path is spelled. */
export const managePath = (token: string): string => `/manage/${token}`;

/** The manage page as an absolute link under `origin` (`https://salon.example`), for emails, API answers and calendars. */
export function manageUrl(origin: string, token: string): string {
  return `${origin}${managePath(token)}`;
}

/** A tenant host's public origin; `template` is the config's PUBLIC_URL_TEMPLATE. */
export function publicOrigin(host: string, template = "https://{host}"): string {
  return template.replace("{host}", host);
}

/** A manage token that grants nothing here (bad signature, another business, revoked version). */
export class InvalidManageLink extends NotFound {
  constructor() {
    super("This manage link is not valid for any booking here.");
  }
}

const notFound = () => new InvalidManageLink();

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
    if (error instanceof InvalidManageLink) throw error;
    if (error instanceof errors.JWTExpired) throw new LinkExpired("This manage link has expired.");
    throw notFound();
  }
}
