/**
 * Every secured operation of the served OpenAPI document, checked against its
 * own guards (`x-min-role`, `x-host`, written from the guard middleware): 401
 * without a token, 401 with another tenant's (or the wrong audience's) token,
 * 403 one role below the minimum, 404 on the wrong kind of host.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "./auth-fixtures";
import { call, PLATFORM_HOST, useTenants } from "./harness";
import { fillPath, loadDocument, operations, superuserToken, tenantToken, type Operation } from "./openapi-walk";

const BELOW: Record<string, "staff" | "admin" | "user" | null> = {
  staff: null,
  admin: "staff",
  owner: "admin",
  superuser: "user",
  authenticated: null,
};

describe("authorization of every secured operation", () => {
  const t = useTenants();
  let ops: Operation[];
  let doc: Record<string, any>;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    doc = await loadDocument();
    ops = operations(doc);
    const su = await createUser({ superuser: true });
    const plain = await createUser();
    tokens.otherTenantOwner = await tenantToken(t.b.id, crypto.randomUUID(), "owner");
    tokens.staff = await tenantToken(t.a.id, crypto.randomUUID(), "staff");
    tokens.admin = await tenantToken(t.a.id, crypto.randomUUID(), "admin");
    tokens.owner = await tenantToken(t.a.id, crypto.randomUUID(), "owner");
    tokens.superuser = await superuserToken(su.id);
    tokens.user = await superuserToken(plain.id, false);
  });

  const send = (op: Operation, host: string, token?: string) => {
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    const path = fillPath(
      op.path,
      Object.fromEntries(op.parameters.filter((p) => p.in === "path").map((p) => [p.name, crypto.randomUUID()])),
    );
    return call(host, path, { method: op.method, headers, body: ["GET", "DELETE"].includes(op.method) ? undefined : "{}" });
  };

  async function expectStatus(res: Response, status: number, what: string, failures: string[]) {
    const type = res.headers.get("content-type");
    if (res.status !== status || type !== "application/problem+json")
      failures.push(`${what}: expected ${status} problem+json, got ${res.status} ${type} ${(await res.text()).slice(0, 160)}`);
    else await res.body?.cancel();
  }

  it("documents a minimum role on exactly the operations that declare bearer security", () => {
    const mismatched = ops.filter((op) => {
      const security = doc.paths[op.path][op.method.toLowerCase()].security as Record<string, unknown>[] | undefined;
      const bearer = !!security?.some((s) => "bearerAuth" in s);
      return bearer !== (op.minRole !== null);
    });
    expect(mismatched.map((op) => `${op.method} ${op.path} (x-min-role ${op.minRole})`)).toEqual([]);
    expect(ops.filter((op) => op.minRole).length).toBeGreaterThan(40);
  });

  it("answers 401 without a token and with another tenant's token, 403 a role below, 404 on the wrong kind of host", async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const op of ops.filter((o) => o.minRole)) {
      const name = `${op.method} ${op.path} (min ${op.minRole}, host ${op.host})`;
      const host = op.host === "platform" ? PLATFORM_HOST : t.a.domain;
      const checks: [Promise<Response>, number, string][] = [
        [send(op, host), 401, `${name} without a token`],
        // Tenant B's owner on tenant A's host, or a tenant token on the platform host: wrong audience.
        [send(op, host, tokens.otherTenantOwner), 401, `${name} with another tenant's token`],
      ];
      const below = BELOW[op.minRole!];
      if (below) checks.push([send(op, host, tokens[below]), 403, `${name} as ${below}`]);
      if (op.host === "tenant") checks.push([send(op, PLATFORM_HOST, tokens.superuser), 404, `${name} on the platform host`]);
      if (op.host === "platform") checks.push([send(op, t.a.domain, tokens.owner), 404, `${name} on a tenant host`]);
      for (const [res, status, what] of checks) {
        checked += 1;
        await expectStatus(await res, status, what, failures);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(150);
  }, 300_000);
});
