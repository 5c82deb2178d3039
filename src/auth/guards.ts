/**
 * Who is calling, from the bearer token alone (no database). On a tenant host
 * a token must have been issued for that tenant; on the platform host it must
 * be a platform token. Roles rank owner > admin > staff.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { MembershipRole } from "../db/schema/public";
import { ApiError } from "../http/problem";
import { describeGuard } from "../http/route-meta";
import type { AppEnv, Principal } from "../http/types";
import { requireTenantHost } from "../tenancy/middleware";

export type { Principal };
import { InvalidToken, PLATFORM_AUDIENCE, verifyAccessToken } from "./tokens";

const RANK: Record<MembershipRole, number> = { staff: 1, admin: 2, owner: 3 };

export function roleAtLeast(role: MembershipRole | null, minimum: MembershipRole): boolean {
  return role !== null && RANK[role] >= RANK[minimum];
}

const unauthorized = (detail: string) => new ApiError("unauthorized", detail, { headers: { "www-authenticate": 'Bearer realm="bookme"' } });

/**
 * Verifies the bearer token once per request, when a guard asks for it (never
 * on routes without a guard, so public endpoints and those that authenticate
 * by password, refresh or invitation token ignore a stale header). A malformed
 * or invalid token is refused; a missing one yields no principal.
 */
async function verifyBearer(c: Context<AppEnv>): Promise<void> {
  if (c.get("principal")) return;
  const header = c.req.header("authorization");
  if (!header) return;
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(header.trim());
  if (!match) throw unauthorized("Send the access token as `Authorization: Bearer <token>`.");
  const tenant = c.get("tenant");
  const audience = tenant ? tenant.id : PLATFORM_AUDIENCE;
  const config = c.get("config");
  try {
    const claims = await verifyAccessToken({ current: config.JWT_SECRET, previous: c.env.JWT_PREVIOUS_SECRET }, match[1], audience);
    c.set("principal", {
      userId: claims.userId,
      tenantId: tenant ? tenant.id : null,
      role: claims.role,
      isSuperuser: claims.isSuperuser,
      tokenId: claims.tokenId,
    });
  } catch (error) {
    if (error instanceof InvalidToken) throw unauthorized(`Authentication failed: ${error.message}.`);
    throw error;
  }
}

export function requirePrincipal(c: { get(key: "principal"): Principal | undefined }): Principal {
  const principal = c.get("principal");
  if (!principal) throw unauthorized("This endpoint needs an access token.");
  return principal;
}

/**
 * Staff-role callers see only their own records (bookings of their staff row,
 * customers they served or added): the user id that scopes the SQL, or null
 * for admin and above.
 */
export function ownRecordsOnly(c: { get(key: "principal"): Principal | undefined }): string | null {
  const principal = requirePrincipal(c);
  return roleAtLeast(principal.role, "admin") ? null : principal.userId;
}

/** Any signed-in caller (tenant or platform token valid for this host). */
export const requireAuth = describeGuard(
  createMiddleware<AppEnv>(async (c, next) => {
    await verifyBearer(c);
    requirePrincipal(c);
    return next();
  }),
  { "x-min-role": "authenticated" },
);

/** A member of this tenant with at least `minimum`. Superusers do not bypass tenant roles. */
export function requireRole(minimum: MembershipRole) {
  const middleware = createMiddleware<AppEnv>(async (c, next) => {
    await verifyBearer(c);
    const principal = requirePrincipal(c);
    if (!principal.tenantId || !principal.role) throw unauthorized("This endpoint needs a token issued for this business.");
    if (!roleAtLeast(principal.role, minimum)) {
      throw new ApiError("forbidden", `This action needs the ${minimum} role or higher.`);
    }
    return next();
  });
  return describeGuard(middleware, { "x-min-role": minimum });
}

export const requireSuperuser = describeGuard(
  createMiddleware<AppEnv>(async (c, next) => {
    await verifyBearer(c);
    const principal = requirePrincipal(c);
    if (principal.tenantId !== null || !principal.isSuperuser) {
      throw new ApiError("forbidden", "This endpoint is for platform administrators.");
    }
    return next();
  }),
  { "x-min-role": "superuser" },
);

/** Route middleware of a staff-side route: tenant host first (404 elsewhere), then the role (401/403). */
export const guard = (minimum: MembershipRole) => [requireTenantHost, requireRole(minimum)];
/** Route middleware of a public route: tenant host only. */
export const publicGuard = [requireTenantHost];
