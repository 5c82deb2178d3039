import type { OpenAPIHono, RouteConfig, RouteHandler } from "@hono/zod-openapi";
import type { MembershipRole } from "../db/schema/public";
import type { LazyDatabase } from "../db/client";
import type { AppConfig, Bindings } from "../env";
import type { TenantContext } from "../domain/tenant";

/** Who is calling, as the auth guards (src/auth/guards.ts) read it from a verified bearer token. */
export interface Principal {
  userId: string;
  /** The tenant the token was issued for; null for platform tokens. */
  tenantId: string | null;
  role: MembershipRole | null;
  isSuperuser: boolean;
  tokenId: string;
}

export interface AppVariables {
  requestId: string;
  config: AppConfig;
  database: LazyDatabase;
  /** Set on tenant hosts by the tenancy middleware; null on the platform host. */
  tenant: TenantContext | null;
  hostKind: "platform" | "tenant";
  /** Set by the auth guards (src/auth/guards.ts) once they verified the bearer token. */
  principal?: Principal;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: AppVariables;
}

export type AppOpenAPI = OpenAPIHono<AppEnv>;
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;
