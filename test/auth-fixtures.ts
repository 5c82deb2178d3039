/** Users, memberships and sign-in helpers for the auth, membership and platform tests. */
import { hashPassword } from "../src/auth/passwords";
import type { MembershipRole } from "../src/db/schema/public";
import { call, json, sql, uniqueSlug } from "./harness";

export const PASSWORD = "Correct-Horse-42";

let hash: Promise<string> | undefined;
/** One KDF per test file: every fixture user shares the password. */
export function passwordHash(): Promise<string> {
  hash ??= hashPassword(PASSWORD);
  return hash;
}

export interface TestUser {
  id: string;
  email: string;
}

export async function createUser(options: { email?: string; superuser?: boolean; active?: boolean } = {}): Promise<TestUser> {
  const email = options.email ?? `${uniqueSlug("u")}@example.ma`;
  const rows = await sql<TestUser>(
    `INSERT INTO users (email, password_hash, is_superuser, is_active, display_name)
     VALUES ($1, $2, $3, $4, 'Test user') RETURNING id, email`,
    [email, await passwordHash(), options.superuser ?? false, options.active ?? true],
  );
  return rows[0];
}

export async function addMember(tenantId: string, userId: string, role: MembershipRole): Promise<string> {
  const rows = await sql<{ id: string }>(`INSERT INTO tenant_memberships (tenant_id, user_id, role) VALUES ($1, $2, $3) RETURNING id`, [
    tenantId,
    userId,
    role,
  ]);
  return rows[0].id;
}

export async function member(tenantId: string, role: MembershipRole): Promise<TestUser & { membershipId: string }> {
  const user = await createUser();
  return { ...user, membershipId: await addMember(tenantId, user.id, role) };
}

let address = 0;
/** A fresh client address per call, so tests do not share the per-address counter. */
export function freshAddress(): string {
  address += 1;
  return `10.${Math.floor(Math.random() * 250)}.${Math.floor(address / 250) % 250}.${address % 250}`;
}

export function post(host: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call(host, path, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": freshAddress(), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  role: MembershipRole | null;
  audience: string;
  is_superuser: boolean;
}

export async function login(host: string, email: string, password = PASSWORD): Promise<Tokens> {
  const res = await post(host, "/api/auth/login", { email, password });
  if (res.status !== 200) throw new Error(`login ${email} on ${host}: ${res.status} ${await res.text()}`);
  return json<Tokens>(res);
}

export function authed(token: string, init: RequestInit & { json?: unknown } = {}): RequestInit {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  const { json: body, ...rest } = init;
  return { ...rest, headers, body: body !== undefined ? JSON.stringify(body) : rest.body };
}

export async function expectProblem(res: Response, status: number): Promise<any> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`);
  if (res.headers.get("content-type") !== "application/problem+json") {
    throw new Error(`expected problem+json, got ${res.headers.get("content-type")}`);
  }
  return json(res);
}
