import { LOCALES } from "../domain/locales";
import { createRoute, z } from "@hono/zod-openapi";
import { MEMBERSHIP_ROLES } from "../db/schema/public";
import { bearer, jsonBody, jsonContent, problemResponseSpec as problem, validationErrors } from "../http/schemas";
import { requireAuth } from "./guards";
import { PASSWORD_MAX_LENGTH } from "./passwords";
import { REFRESH_TOKEN_PATTERN } from "./refresh-tokens";
import { EmailSchema, UserSchema } from "./users";

const tags = ["Auth"];

export const LoginBody = z
  .object({
    email: EmailSchema,
    password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
    device_token: z.string().max(2048).optional().openapi({
      description: "The `device_token` of an earlier successful sign-in on this client (browsers send the cookie instead)",
    }),
  })
  .strict()
  .openapi("LoginRequest");

export const RefreshBody = z
  .object({ refresh_token: z.string().regex(REFRESH_TOKEN_PATTERN, "not a refresh token") })
  .strict()
  .openapi("RefreshRequest");

export const TokenPairSchema = z
  .object({
    token_type: z.literal("Bearer"),
    access_token: z.string(),
    expires_in: z.number().int().openapi({ description: "Seconds until the access token expires (900)" }),
    refresh_token: z.string(),
    refresh_expires_in: z.number().int(),
    audience: z.string().openapi({ description: "The tenant id the tokens are for, or `platform`" }),
    role: z.enum(MEMBERSHIP_ROLES).nullable(),
    is_superuser: z.boolean(),
  })
  .openapi("TokenPair");

export const LoginResponseSchema = TokenPairSchema.extend({
  device_token: z.string().openapi({
    description:
      "Proves later that this client signed in to this account before: sent back at login, failures from other clients never slow it down. Also set as the HttpOnly cookie `bookme_device`.",
  }),
}).openapi("LoginResponse");

export const login = createRoute({
  method: "post",
  path: "/api/auth/login",
  tags,
  summary: "Sign in with email and password",
  description:
    "On a business's host the tokens are for that business (a membership is needed; the access token carries its role). " +
    "On the platform host they are platform tokens (superusers carry `su`). Failed attempts are limited per client address and per address and account; across addresses an account is slowed down " +
    "(a growing delay, at most 30 s), never locked; a client presenting its device token is not affected by failures elsewhere.",
  request: { body: jsonBody(LoginBody) },
  responses: {
    200: jsonContent(LoginResponseSchema, "Signed in"),
    401: problem("Wrong email or password (the same answer for both)"),
    429: problem("Too many failed attempts from this client, or the account is slowed down; see Retry-After"),
    ...validationErrors,
  },
});

export const refresh = createRoute({
  method: "post",
  path: "/api/auth/refresh",
  tags,
  summary: "Exchange a refresh token for new tokens (rotates it)",
  description: "The refresh token is single-use. Presenting a used one again revokes its whole family.",
  request: { body: jsonBody(RefreshBody) },
  responses: {
    200: jsonContent(TokenPairSchema, "New tokens"),
    401: problem("Unknown, expired, revoked or reused refresh token"),
    ...validationErrors,
  },
});

export const logout = createRoute({
  method: "post",
  path: "/api/auth/logout",
  tags,
  summary: "Revoke a refresh token and its whole family",
  request: { body: jsonBody(RefreshBody) },
  responses: {
    204: { description: "Signed out (also for a token that was already unknown)" },
    ...validationErrors,
  },
});

export const MembershipOfUserSchema = z
  .object({
    id: z.uuid(),
    role: z.enum(MEMBERSHIP_ROLES),
    tenant: z.object({ id: z.uuid(), slug: z.string(), name: z.string(), status: z.string(), domain: z.string().nullable() }),
  })
  .openapi("UserMembership");

export const MeSchema = z
  .object({
    user: UserSchema,
    memberships: z.array(MembershipOfUserSchema),
    session: z.object({ audience: z.string(), role: z.enum(MEMBERSHIP_ROLES).nullable(), is_superuser: z.boolean() }),
  })
  .openapi("Me");

export const me = createRoute({
  method: "get",
  path: "/api/auth/me",
  tags,
  summary: "The signed-in user and their memberships",
  security: bearer,
  middleware: [requireAuth] as const,
  responses: {
    200: jsonContent(MeSchema, "Current user"),
    401: problem("Missing or invalid access token"),
  },
});

export const UpdateMeBody = z
  .object({
    display_name: z.string().trim().max(120).optional(),
    locale: z.enum(LOCALES).optional(),
  })
  .strict()
  .openapi("UpdateMeRequest");

export const updateMe = createRoute({
  method: "patch",
  path: "/api/auth/me",
  tags,
  summary: "Change your display name or language",
  security: bearer,
  middleware: [requireAuth] as const,
  request: { body: jsonBody(UpdateMeBody) },
  responses: {
    200: jsonContent(UserSchema, "Updated user"),
    401: problem("Missing or invalid access token"),
    ...validationErrors,
  },
});

export const ChangePasswordBody = z
  .object({
    current_password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
    new_password: z.string().max(PASSWORD_MAX_LENGTH),
  })
  .strict()
  .openapi("ChangePasswordRequest");

export const changePassword = createRoute({
  method: "post",
  path: "/api/auth/password",
  tags,
  summary: "Change your password (signs out every other session)",
  security: bearer,
  middleware: [requireAuth] as const,
  request: { body: jsonBody(ChangePasswordBody) },
  responses: {
    204: { description: "Password changed; every refresh token of the user is revoked" },
    401: problem("Missing token or wrong current password"),
    429: problem("Too many attempts"),
    ...validationErrors,
  },
});
