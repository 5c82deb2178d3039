/** Helpers for the catalogue, customers and settings tests: tokens per tenant and role, JSON calls, row counts. */
import type { MembershipRole } from "../src/db/schema/public";
import { signAccessToken } from "../src/auth/tokens";
import { quoteSchema } from "../src/tenancy/naming";
import { call, json, sql, type TestTenant } from "./harness";

export const TEST_SECRET = "test-secret-test-secret-test-secret-0123456789";

export async function tokenFor(tenant: TestTenant, role: MembershipRole, userId: string = crypto.randomUUID()): Promise<string> {
  const { token } = await signAccessToken({ current: TEST_SECRET }, { userId, audience: tenant.id, role, isSuperuser: false });
  return token;
}

export interface Reply<T = any> {
  status: number;
  body: T;
  type: string | null;
}

/** A JSON client for one tenant host and (optionally) one bearer token. */
export function client(tenant: TestTenant, token?: string) {
  return async function request<T = any>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await call(tenant.domain, path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = res.status === 204 ? "" : await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, type: res.headers.get("content-type") };
  };
}

export type Client = ReturnType<typeof client>;

/** Rows in a tenant table matching an optional condition (schema name from the harness, never user input). */
export async function count(tenant: TestTenant, table: string, where = "true", params: unknown[] = []): Promise<number> {
  const [row] = await sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${quoteSchema(tenant.schemaName)}."${table}" WHERE ${where}`,
    params,
  );
  return row.n;
}

export function fields(reply: Reply): string[] {
  return (reply.body?.errors ?? []).map((e: { field: string }) => e.field);
}

export { json };
