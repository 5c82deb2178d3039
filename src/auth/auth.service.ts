/**
 * Sessions: login, refresh (rotating), logout, the current user, all on the
 * request's HTTP handle (no connection to open). Login costs two round trips:
 * one statement counts the attempt against the sign-in limits (login-limits.ts)
 * and finds the user with their membership of this host's tenant; after the
 * KDF, one statement stores the refresh token (and resets the failure
 * counters). Refresh, logout, me and its update are one statement each; a
 * password change two (limit + read, then write + revoke).
 *
 * `audience` is the host's tenant id, or PLATFORM_AUDIENCE on the platform host.
 */
import { sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Queryable, rowsOf } from "../db/client";
import { type MembershipRole, refreshTokens, tenantDomains, tenantMemberships, tenants, users } from "../db/schema/public";
import { columnName } from "../db/sql";
import { NotAuthenticated } from "../domain/errors";
import type { Locale } from "../domain/locales";
import { trustedDevice, signDeviceToken } from "./device-token";
import { accountSlowedDown, LOGIN_WINDOW_SECONDS, loginLimitsCte, loginPlan, throttleWaitSql } from "./login-limits";
import { assertStrongPassword, dummyVerify, hashPassword, needsRehash, verifyPassword } from "./passwords";
import { enforce, rateLimitCte, rateLimitHitsJson, type RateLimitHit, DEFAULT_WINDOW_SECONDS } from "./rate-limit";
import { issueRefreshToken, REFRESH_TOKEN_TTL_SECONDS, revokeFamilyOf, rotateRefreshToken } from "./refresh-tokens";
import { PLATFORM_AUDIENCE, signAccessToken, type SigningKeys } from "./tokens";
import { presentUser, userColumns, type UserRow } from "./users";

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
export async function login(db: Queryable, keys: SigningKeys, attempt: LoginAttempt) {
  const { email, password, tenantId, audience } = attempt;
  const deviceId = await trustedDevice(keys, attempt.deviceToken, email);
  const plan = loginPlan(email, attempt.address, deviceId);
  const u = alias(users, "u");
  const m = alias(tenantMemberships, "m");
  const rows = await rowsOf<LoginRow>(
    db,
    sql`WITH ${loginLimitsCte(plan.rules, LOGIN_WINDOW_SECONDS, plan.throttleKey)}
     SELECT ${rateLimitHitsJson} AS limits,
            EXISTS (SELECT 1 FROM thr) AS admitted, ${throttleWaitSql(plan.throttleKey)} AS wait,
            ${u.id} AS id, ${u.passwordHash} AS "passwordHash", ${u.isActive} AS "isActive", ${u.isSuperuser} AS "isSuperuser",
            ${m.role} AS role
       FROM (SELECT 1) AS one
       LEFT JOIN ${users} u ON ${u.email} = ${email}
       LEFT JOIN ${tenantMemberships} m ON ${m.userId} = ${u.id} AND ${m.tenantId} = ${tenantId}::uuid`,
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
  const refreshToken = await issueRefreshToken(db, {
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
export async function refresh(db: Queryable, keys: SigningKeys, refreshToken: string, audience: string) {
  const result = await rotateRefreshToken(db, refreshToken, audience);
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
export async function logout(db: Queryable, refreshToken: string, audience: string): Promise<void> {
  await revokeFamilyOf(db, refreshToken, audience);
}

/** The active user with their memberships (tenant and its primary domain), by tenant name. */
export async function me(db: Queryable, userId: string) {
  const u = alias(users, "u");
  const m = alias(tenantMemberships, "m");
  const t = alias(tenants, "t");
  const d = alias(tenantDomains, "d");
  const rows = await rowsOf<UserRow & { memberships: never[] }>(
    db,
    sql`SELECT ${userColumns(u)},
            coalesce((
              SELECT json_agg(json_build_object(
                       'id', ${m.id}, 'role', ${m.role},
                       'tenant', json_build_object('id', ${t.id}, 'slug', ${t.slug}, 'name', ${t.name}, 'status', ${t.status}, 'domain', ${d.domain}))
                     ORDER BY ${t.name})
                FROM ${tenantMemberships} m
                JOIN ${tenants} t ON ${t.id} = ${m.tenantId}
                LEFT JOIN ${tenantDomains} d ON ${d.tenantId} = ${t.id} AND ${d.isPrimary}
               WHERE ${m.userId} = ${u.id}), '[]'::json) AS memberships
       FROM ${users} u WHERE ${u.id} = ${userId}::uuid AND ${u.isActive}`,
  );
  const row = rows[0];
  if (!row) throw accountGone();
  return { user: presentUser(row), memberships: row.memberships };
}

/** Changes what the user may change about themselves (unset fields stay). */
export async function updateMe(db: Queryable, userId: string, input: { display_name?: string; locale?: Locale }) {
  const rows = await rowsOf<UserRow>(
    db,
    sql`UPDATE ${users}
        SET ${columnName(users.displayName)} = coalesce(${input.display_name ?? null}::text, ${users.displayName}),
            ${columnName(users.locale)} = coalesce(${input.locale ?? null}::text, ${users.locale}),
            ${columnName(users.updatedAt)} = now()
      WHERE ${users.id} = ${userId}::uuid AND ${users.isActive}
      RETURNING ${userColumns(users)}`,
  );
  if (!rows[0]) throw accountGone();
  return presentUser(rows[0]);
}

/**
 * Checks the current password (attempts limited per user: counted in the same
 * statement that reads the hash), sets the new one and revokes every refresh
 * token (one statement). Two round trips.
 */
export async function changePassword(db: Queryable, userId: string, currentPassword: string, newPassword: string): Promise<void> {
  const rules = [{ key: `password:user:${userId}`, limit: 10 }];
  const rows = await rowsOf<{ limits: RateLimitHit[] | null; email: string | null; passwordHash: string | null }>(
    db,
    sql`WITH ${rateLimitCte(
      rules.map((r) => r.key),
      DEFAULT_WINDOW_SECONDS,
    )}
     SELECT ${rateLimitHitsJson} AS limits, ${users.email} AS email, ${users.passwordHash} AS "passwordHash"
       FROM (SELECT 1) AS one LEFT JOIN ${users} ON ${users.id} = ${userId}::uuid AND ${users.isActive}`,
  );
  const user = rows[0];
  enforce(rules, user?.limits ?? null);
  if (!user?.email || !user.passwordHash || !(await verifyPassword(currentPassword, user.passwordHash))) {
    throw new NotAuthenticated("The current password is not correct.");
  }
  assertStrongPassword(newPassword, user.email, "new_password");
  const hash = await hashPassword(newPassword);
  await db.execute(
    sql`WITH u AS (UPDATE ${users} SET ${columnName(users.passwordHash)} = ${hash}, ${columnName(users.updatedAt)} = now()
                    WHERE ${users.id} = ${userId}::uuid)
     UPDATE ${refreshTokens} SET ${columnName(refreshTokens.revokedAt)} = now()
      WHERE ${refreshTokens.userId} = ${userId}::uuid AND ${refreshTokens.revokedAt} IS NULL`,
  );
}
