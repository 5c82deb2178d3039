/** Session handlers: read the request (body, device cookie, client address), call auth.service, shape the answer. */
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { clientAddress } from "../http/client-address";
import type { AppEnv, AppRouteHandler } from "../http/types";
import type * as R from "./auth.routes";
import * as auth from "./auth.service";
import { DEVICE_COOKIE, deviceCookie } from "./device-token";
import { requirePrincipal } from "./guards";
import { signingKeys } from "./signing-keys";
import { PLATFORM_AUDIENCE } from "./tokens";

/** Tokens issued on a tenant host are for that tenant; on the platform host they are platform tokens. */
function audienceOf(c: Context<AppEnv>): string {
  const tenant = c.get("tenant");
  return tenant ? tenant.id : PLATFORM_AUDIENCE;
}

export const login: AppRouteHandler<typeof R.login> = async (c) => {
  const { email, password, device_token: bodyDevice } = c.req.valid("json");
  const { pair, deviceToken } = await auth.login(c.get("database").http, signingKeys(c), {
    email,
    password,
    deviceToken: bodyDevice ?? getCookie(c, DEVICE_COOKIE),
    address: clientAddress(c),
    tenantId: c.get("tenant")?.id ?? null,
    audience: audienceOf(c),
  });
  c.header("set-cookie", deviceCookie(deviceToken));
  return c.json({ ...pair, device_token: deviceToken }, 200);
};

export const refresh: AppRouteHandler<typeof R.refresh> = async (c) => {
  const { refresh_token: refreshToken } = c.req.valid("json");
  return c.json(await auth.refresh(c.get("database").http, signingKeys(c), refreshToken, audienceOf(c)), 200);
};

export const logout: AppRouteHandler<typeof R.logout> = async (c) => {
  const { refresh_token: refreshToken } = c.req.valid("json");
  await auth.logout(c.get("database").http, refreshToken, audienceOf(c));
  return c.body(null, 204);
};

export const me: AppRouteHandler<typeof R.me> = async (c) => {
  const principal = requirePrincipal(c);
  const found = await auth.me(c.get("database").http, principal.userId);
  return c.json({ ...found, session: { audience: audienceOf(c), role: principal.role, is_superuser: principal.isSuperuser } }, 200);
};

export const updateMe: AppRouteHandler<typeof R.updateMe> = async (c) => {
  const principal = requirePrincipal(c);
  const input = c.req.valid("json");
  return c.json(await auth.updateMe(c.get("database").http, principal.userId, input), 200);
};

export const changePassword: AppRouteHandler<typeof R.changePassword> = async (c) => {
  const principal = requirePrincipal(c);
  const { current_password: currentPassword, new_password: newPassword } = c.req.valid("json");
  await auth.changePassword(c.get("database").http, principal.userId, currentPassword, newPassword);
  return c.body(null, 204);
};
