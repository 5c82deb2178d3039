/**
 * Sessions: login, refresh (rotating), logout, the current user. Login costs
 * two round trips: one statement counts the attempt against the sign-in limits
 * (login-limits.ts) and finds the user with their membership of this host's
 * tenant; after the KDF, one statement stores the refresh token (and resets
 * the failure counters).
 */
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { MembershipRole } from "../db/schema/public";
import { clientAddress } from "../http/client-address";
import { ApiError } from "../http/problem";
import { createRouter } from "../http/router";
import { signingKeys } from "./signing-keys";
import type { AppEnv } from "../http/types";
import * as routes from "./auth.routes";
import { requirePrincipal } from "./guards";
import { assertStrongPassword, dummyVerify, hashPassword, needsRehash, verifyPassword } from "./passwords";
import { DEVICE_COOKIE, deviceCookie, signDeviceToken, trustedDevice } from "./device-token";
import { accountSlowedDown, LOGIN_WINDOW_SECONDS, loginLimitsCte, loginPlan, throttleWaitSql } from "./login-limits";
import { enforce, hitRateLimits, type RateLimitHit } from "./rate-limit";
import { issueRefreshToken, REFRESH_TOKEN_TTL_SECONDS, revokeFamilyOf, rotateRefreshToken } from "./refresh-tokens";
import { PLATFORM_AUDIENCE, signAccessToken } from "./tokens";
import { presentUser, USER_COLUMNS, type UserRow } from "./users";

const invalidCredentials = () => new ApiError("unauthorized", "The email or password is not correct.");

export function audienceOf(c: Context<AppEnv>): string {
  const tenant = c.get("tenant");
  return tenant ? tenant.id : PLATFORM_AUDIENCE;
}

async function tokenPair(
  c: Context<AppEnv>,
  claims: { userId: string; role: MembershipRole | null; isSuperuser: boolean },
  refreshToken: string,
) {
  const audience = audienceOf(c);
  const isSuperuser = audience === PLATFORM_AUDIENCE && claims.isSuperuser;
  const role = audience === PLATFORM_AUDIENCE ? null : claims.role;
  const access = await signAccessToken(signingKeys(c), { userId: claims.userId, audience, role, isSuperuser });
  return {
    token_type: "Bearer" as const,
    access_token: access.token,
    expires_in: access.expiresIn,
    refresh_token: refreshToken,
    refresh_expires_in: REFRESH_TOKEN_TTL_SECONDS,
    audience,
    role,
    is_superuser: isSuperuser,
  };
}

interface LoginRow {
  limits: RateLimitHit[] | null;
  admitted: boolean;
  wait: number | null;
  id: string | null;
  passwordHash: string | null;
  isActive: boolean | null;
  isSuperuser: boolean | null;
  role: MembershipRole | null;
}

export const authRouter = createRouter()
  .openapi(routes.login, async (c) => {
    const { email, password, device_token: bodyDevice } = c.req.valid("json");
    const tenant = c.get("tenant");
    const deviceId = await trustedDevice(signingKeys(c), bodyDevice ?? getCookie(c, DEVICE_COOKIE), email);
    const plan = loginPlan(email, clientAddress(c), deviceId);
    const client = await c.get("database").client();
    const { rows } = await client.query(
      `WITH ${loginLimitsCte({ keys: "$1", window: "$2", limits: "$5", throttleKey: "$6" })}
       SELECT (SELECT json_agg(rl) FROM rl) AS limits,
              EXISTS (SELECT 1 FROM thr) AS admitted, ${throttleWaitSql("$6")} AS wait,
              u.id, u.password_hash AS "passwordHash", u.is_active AS "isActive", u.is_superuser AS "isSuperuser", m.role
         FROM (SELECT 1) AS one
         LEFT JOIN "public"."users" u ON u.email = $3
         LEFT JOIN "public"."tenant_memberships" m ON m.user_id = u.id AND m.tenant_id = $4::uuid`,
      [plan.rules.map((r) => r.key), LOGIN_WINDOW_SECONDS, email, tenant?.id ?? null, plan.rules.map((r) => r.limit), plan.throttleKey],
    );
    const row = rows[0] as LoginRow;
    enforce(plan.rules, row.limits);
    if (plan.throttleKey && !row.admitted) throw accountSlowedDown(row.wait);
    if (!row.id || !row.passwordHash) {
      await dummyVerify(password);
      throw invalidCredentials();
    }
    if (!(await verifyPassword(password, row.passwordHash))) throw invalidCredentials();
    // Same answer for a disabled account or one without access to this business.
    if (!row.isActive || (tenant && !row.role)) throw invalidCredentials();
    const refreshToken = await issueRefreshToken(client, {
      userId: row.id,
      audience: audienceOf(c),
      clearRateLimitKeys: plan.success.clearKeys,
      refundRateLimitKeys: plan.success.refundKeys,
      clearThrottleKeys: plan.success.clearThrottleKeys,
      rehash: needsRehash(row.passwordHash) ? await hashPassword(password) : undefined,
    });
    const deviceToken = await signDeviceToken(signingKeys(c), email, deviceId ?? undefined);
    c.header("set-cookie", deviceCookie(deviceToken));
    const pair = await tokenPair(c, { userId: row.id, role: row.role, isSuperuser: Boolean(row.isSuperuser) }, refreshToken);
    return c.json({ ...pair, device_token: deviceToken }, 200);
  })
  .openapi(routes.refresh, async (c) => {
    const { refresh_token: refreshToken } = c.req.valid("json");
    const client = await c.get("database").client();
    const result = await rotateRefreshToken(client, refreshToken, audienceOf(c));
    if (!result.ok) {
      const detail =
        result.reason === "reused"
          ? "This refresh token was already used; every session of its family has been revoked. Sign in again."
          : "The refresh token is not valid here, has expired or was revoked. Sign in again.";
      throw new ApiError("unauthorized", detail);
    }
    return c.json(await tokenPair(c, result, result.token), 200);
  })
  .openapi(routes.logout, async (c) => {
    const { refresh_token: refreshToken } = c.req.valid("json");
    await revokeFamilyOf(await c.get("database").client(), refreshToken, audienceOf(c));
    return c.body(null, 204);
  })
  .openapi(routes.me, async (c) => {
    const principal = requirePrincipal(c);
    const client = await c.get("database").client();
    const { rows } = await client.query(
      `SELECT ${USER_COLUMNS},
              coalesce((
                SELECT json_agg(json_build_object(
                         'id', m.id, 'role', m.role,
                         'tenant', json_build_object('id', t.id, 'slug', t.slug, 'name', t.name, 'status', t.status, 'domain', d.domain))
                       ORDER BY t.name)
                  FROM "public"."tenant_memberships" m
                  JOIN "public"."tenants" t ON t.id = m.tenant_id
                  LEFT JOIN "public"."tenant_domains" d ON d.tenant_id = t.id AND d.is_primary
                 WHERE m.user_id = u.id), '[]'::json) AS memberships
         FROM "public"."users" u WHERE u.id = $1 AND u.is_active`,
      [principal.userId],
    );
    const row = rows[0] as (UserRow & { memberships: never[] }) | undefined;
    if (!row) throw new ApiError("unauthorized", "This account no longer exists or is disabled.");
    return c.json(
      {
        user: presentUser(row),
        memberships: row.memberships,
        session: { audience: audienceOf(c), role: principal.role, is_superuser: principal.isSuperuser },
      },
      200,
    );
  })
  .openapi(routes.updateMe, async (c) => {
    const principal = requirePrincipal(c);
    const input = c.req.valid("json");
    const client = await c.get("database").client();
    const { rows } = await client.query(
      `UPDATE "public"."users" u
          SET display_name = coalesce($2, display_name), locale = coalesce($3, locale), updated_at = now()
        WHERE u.id = $1 AND u.is_active
        RETURNING ${USER_COLUMNS}`,
      [principal.userId, input.display_name ?? null, input.locale ?? null],
    );
    if (!rows[0]) throw new ApiError("unauthorized", "This account no longer exists or is disabled.");
    return c.json(presentUser(rows[0] as UserRow), 200);
  })
  .openapi(routes.changePassword, async (c) => {
    const principal = requirePrincipal(c);
    const { current_password: currentPassword, new_password: newPassword } = c.req.valid("json");
    const client = await c.get("database").client();
    await hitRateLimits(client, [{ key: `password:user:${principal.userId}`, limit: 10 }]);
    const { rows } = await client.query(
      `SELECT email, password_hash AS "passwordHash" FROM "public"."users" WHERE id = $1 AND is_active`,
      [principal.userId],
    );
    const user = rows[0] as { email: string; passwordHash: string | null } | undefined;
    if (!user || !user.passwordHash || !(await verifyPassword(currentPassword, user.passwordHash))) {
      throw new ApiError("unauthorized", "The current password is not correct.");
    }
    assertStrongPassword(newPassword, user.email, "new_password");
    await client.query(
      `WITH u AS (UPDATE "public"."users" SET password_hash = $2, updated_at = now() WHERE id = $1)
       UPDATE "public"."refresh_tokens" SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`,
      [principal.userId, await hashPassword(newPassword)],
    );
    return c.body(null, 204);
  });
