/**
 * Sessions: login, refresh (rotating), logout, the current user. Login costs
 * two round trips: one statement counts the attempt against the sign-in limits
 * (login-limits.ts) and finds the user with their membership of this host's
 * tenant; after the KDF, one statement stores the refresh token (and resets
 * the failure counters).
 *
 * `audience` is the host's tenant id, or PLATFORM_AUDIENCE on the platform host.
 */
import type { Client } from "@neondatabase/serverless";
import type { LazyDatabase } from "../db/client";
import type { MembershipRole } from "../db/schema/public";
import { NotAuthenticated } from "../domain/errors";
import type { Locale } from "../domain/locales";
import { trustedDevice, signDeviceToken } from "./device-token";
import { accountSlowedDown, LOGIN_WINDOW_SECONDS, loginLimitsCte, loginPlan, throttleWaitSql } from "./login-limits";
import { assertStrongPassword, dummyVerify, hashPassword, needsRehash, verifyPassword } from "./passwords";
import { enforce, hitRateLimits, type RateLimitHit } from "./rate-limit";
import { issueRefreshToken, REFRESH_TOKEN_TTL_SECONDS, revokeFamilyOf, rotateRefreshToken } from "./refresh-tokens";
import { PLATFORM_AUDIENCE, signAccessToken, type SigningKeys } from "./tokens";
import { presentUser, USER_COLUMNS, type UserRow } from "./users";

type Queryable = Pick<Client, "query">;

const invalidCredentials = () => new NotAuthenticated("The email or password is not correct.");
const accountGone = () => new NotAuthenticated("This account no longer exists or is disabled.");

async function tokenPair(
  keys: SigningKeys,
  audience: string,
  claims: { userId: string; role: MembershipRole | null; isSuperuser: boolean },
  refreshToken: string,
) {
  const isSuperuser = audience === PLATFORM_AUDIENCE && claims.isSuperuser;
  const role = audience === PLATFORM_AUDIENCE ? null : claims.role;
  const access = await signAccessToken(keys, { userId: claims.userId, audience, role, isSuperuser });
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

export interface LoginAttempt {
  email: string;
  password: string;
  /** The device token the client presented (body or cookie), if any. */
  deviceToken: string | undefined;
  /** The client's address, as the sign-in limits count it. */
  address: string;
  /** The host's tenant; null on the platform host. */
  tenantId: string | null;
  audience: string;
}

/** Signs in: the token pair plus the device token to hand back (body and cookie). */
export async function login(database: Pick<LazyDatabase, "client">, keys: SigningKeys, attempt: LoginAttempt) {
  const { email, password, tenantId, audience } = attempt;
  const deviceId = await trustedDevice(keys, attempt.deviceToken, email);
  const plan = loginPlan(email, attempt.address, deviceId);
  const client = await database.client();
  const { rows } = await client.query(
    `WITH ${loginLimitsCte({ keys: "$1", window: "$2", limits: "$5", throttleKey: "$6" })}
     SELECT (SELECT json_agg(rl) FROM rl) AS limits,
            EXISTS (SELECT 1 FROM thr) AS admitted, ${throttleWaitSql("$6")} AS wait,
            u.id, u.password_hash AS "passwordHash", u.is_active AS "isActive", u.is_superuser AS "isSuperuser", m.role
       FROM (SELECT 1) AS one
       LEFT JOIN "public"."users" u ON u.email = $3
       LEFT JOIN "public"."tenant_memberships" m ON m.user_id = u.id AND m.tenant_id = $4::uuid`,
    [plan.rules.map((r) => r.key), LOGIN_WINDOW_SECONDS, email, tenantId, plan.rules.map((r) => r.limit), plan.throttleKey],
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
  if (!row.isActive || (tenantId && !row.role)) throw invalidCredentials();
  const refreshToken = await issueRefreshToken(client, {
    userId: row.id,
    audience,
    clearRateLimitKeys: plan.success.clearKeys,
    refundRateLimitKeys: plan.success.refundKeys,
    clearThrottleKeys: plan.success.clearThrottleKeys,
    rehash: needsRehash(row.passwordHash) ? await hashPassword(password) : undefined,
  });
  const deviceToken = await signDeviceToken(keys, email, deviceId ?? undefined);
  const pair = await tokenPair(keys, audience, { userId: row.id, role: row.role, isSuperuser: Boolean(row.isSuperuser) }, refreshToken);
  return { pair, deviceToken };
}

/** Rotates the refresh token into a new pair; a reused token has already revoked its whole family. */
export async function refresh(client: Client, keys: SigningKeys, refreshToken: string, audience: string) {
  const result = await rotateRefreshToken(client, refreshToken, audience);
  if (!result.ok) {
    throw new NotAuthenticated(
      result.reason === "reused"
        ? "This refresh token was already used; every session of its family has been revoked. Sign in again."
        : "The refresh token is not valid here, has expired or was revoked. Sign in again.",
    );
  }
  return tokenPair(keys, audience, result, result.token);
}

/** Revokes the token's family (nothing to do for an unknown token). */
export async function logout(client: Client, refreshToken: string, audience: string): Promise<void> {
  await revokeFamilyOf(client, refreshToken, audience);
}

/** The active user with their memberships (tenant and its primary domain), by tenant name. */
export async function me(db: Queryable, userId: string) {
  const { rows } = await db.query(
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
    [userId],
  );
  const row = rows[0] as (UserRow & { memberships: never[] }) | undefined;
  if (!row) throw accountGone();
  return { user: presentUser(row), memberships: row.memberships };
}

/** Changes what the user may change about themselves (unset fields stay). */
export async function updateMe(db: Queryable, userId: string, input: { display_name?: string; locale?: Locale }) {
  const { rows } = await db.query(
    `UPDATE "public"."users" u
        SET display_name = coalesce($2, display_name), locale = coalesce($3, locale), updated_at = now()
      WHERE u.id = $1 AND u.is_active
      RETURNING ${USER_COLUMNS}`,
    [userId, input.display_name ?? null, input.locale ?? null],
  );
  if (!rows[0]) throw accountGone();
  return presentUser(rows[0] as UserRow);
}

/** Checks the current password (attempts limited per user), sets the new one and revokes every refresh token. */
export async function changePassword(client: Client, userId: string, currentPassword: string, newPassword: string): Promise<void> {
  await hitRateLimits(client, [{ key: `password:user:${userId}`, limit: 10 }]);
  const { rows } = await client.query(`SELECT email, password_hash AS "passwordHash" FROM "public"."users" WHERE id = $1 AND is_active`, [
    userId,
  ]);
  const user = rows[0] as { email: string; passwordHash: string | null } | undefined;
  if (!user?.passwordHash || !(await verifyPassword(currentPassword, user.passwordHash))) {
    throw new NotAuthenticated("The current password is not correct.");
  }
  assertStrongPassword(newPassword, user.email, "new_password");
  await client.query(
    `WITH u AS (UPDATE "public"."users" SET password_hash = $2, updated_at = now() WHERE id = $1)
     UPDATE "public"."refresh_tokens" SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`,
    [userId, await hashPassword(newPassword)],
  );
}
