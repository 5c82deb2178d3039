import { env } from "cloudflare:test";
import { decodeJwt, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblems, verifyPassword } from "../src/auth/passwords";
import { REFRESH_REUSE_GRACE_SECONDS } from "../src/auth/refresh-tokens";
import { signAccessToken } from "../src/auth/tokens";
import { createSuperuser } from "../src/auth/users";
import { InvalidInput } from "../src/domain/errors";
import { toApiError } from "../src/http/errors";
import { addMember, authed, createUser, expectProblem, login, member, PASSWORD, post } from "./auth-fixtures";
import { call, countRoundTrips, json, PLATFORM_HOST, sql, uniqueSlug, useTenants, withDb } from "./harness";

const SECRET = () => env.JWT_SECRET!;
const encoder = new TextEncoder();

async function kidOf(secret: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(secret)));
  return Array.from(digest.slice(0, 6), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A token signed like the real ones, with any claim overridden. */
async function forge(claims: Record<string, unknown>, options: { secret?: string; kid?: string } = {}): Promise<string> {
  const secret = options.secret ?? SECRET();
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: "bookme", iat: now, exp: now + 600, jti: crypto.randomUUID(), ...claims })
    .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: options.kid ?? (await kidOf(secret)) })
    .sign(encoder.encode(secret));
}

/** Moves a user's rotations `seconds` into the past, as if that much time had gone by since. */
const ageRotations = (userId: string, seconds: number) =>
  sql(`UPDATE refresh_tokens SET rotated_at = rotated_at - make_interval(secs => $2::int) WHERE user_id = $1 AND rotated_at IS NOT NULL`, [
    userId,
    seconds,
  ]);

const b64url = (value: unknown) => btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

describe("passwords", () => {
  it("hashes with PBKDF2-SHA256, storing iterations and salt, and verifies", async () => {
    const stored = await hashPassword("Sufficient-Pass-1");
    expect(stored).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword("Sufficient-Pass-1", stored)).toBe(true);
    expect(await verifyPassword("Sufficient-Pass-2", stored)).toBe(false);
    expect(await hashPassword("Sufficient-Pass-1")).not.toBe(stored); // salted
  });

  it("refuses short, single-class and email-equal passwords", () => {
    expect(passwordProblems("Short1!")).not.toHaveLength(0);
    expect(passwordProblems("alllowercaseletters")).not.toHaveLength(0);
    expect(passwordProblems("someone@example.ma", "someone@example.ma")).not.toHaveLength(0);
    expect(passwordProblems("Correct-Horse-42", "someone@example.ma")).toHaveLength(0);
  });
});

describe("login, refresh and logout", () => {
  const t = useTenants();

  it("issues a token for the tenant of the host, with the tenant id as audience and the role", async () => {
    const owner = await member(t.a.id, "owner");
    const tokens = await login(t.a.domain, owner.email);
    expect(tokens).toMatchObject({ audience: t.a.id, role: "owner", is_superuser: false, expires_in: 900 });
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({ aud: t.a.id, sub: owner.id, role: "owner", iss: "bookme" });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await sql<{ token_hash: string }>(`SELECT token_hash FROM refresh_tokens WHERE user_id = $1`, [owner.id]);
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).not.toBe(tokens.refresh_token);
  });

  it("answers /api/auth/me with the user and memberships and never the password hash", async () => {
    const user = await member(t.a.id, "staff");
    await addMember(t.b.id, user.id, "admin");
    const tokens = await login(t.a.domain, user.email);
    const res = await call(t.a.domain, "/api/auth/me", authed(tokens.access_token));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toMatch(/pbkdf2|password/i);
    const body = JSON.parse(text);
    expect(body.user).toMatchObject({ id: user.id, email: user.email, is_superuser: false });
    expect(body.session).toEqual({ audience: t.a.id, role: "staff", is_superuser: false });
    expect(body.memberships.map((m: any) => [m.tenant.id, m.role]).sort()).toEqual(
      [
        [t.a.id, "staff"],
        [t.b.id, "admin"],
      ].sort(),
    );
  });

  it("issues a platform token on the platform host, with su only for superusers", async () => {
    const su = await createUser({ superuser: true });
    const plain = await createUser();
    const suTokens = await login(PLATFORM_HOST, su.email);
    expect(suTokens).toMatchObject({ audience: "platform", role: null, is_superuser: true });
    expect(decodeJwt(suTokens.access_token)).toMatchObject({ aud: "platform", su: true });
    const plainTokens = await login(PLATFORM_HOST, plain.email);
    expect(decodeJwt(plainTokens.access_token).su).toBeUndefined();
  });

  it("gives the same 401 for an unknown email and a wrong password", async () => {
    const user = await member(t.a.id, "staff");
    const unknown = await expectProblem(
      await post(t.a.domain, "/api/auth/login", { email: `${uniqueSlug()}@nobody.ma`, password: PASSWORD }),
      401,
    );
    const wrong = await expectProblem(await post(t.a.domain, "/api/auth/login", { email: user.email, password: "Wrong-Password-1" }), 401);
    expect(unknown.detail).toBe(wrong.detail);
    expect(unknown.code).toBe("unauthorized");
  });

  it("refuses a correct password on a tenant where the user has no membership, and a disabled user", async () => {
    const user = await member(t.a.id, "admin");
    await expectProblem(await post(t.b.domain, "/api/auth/login", { email: user.email, password: PASSWORD }), 401);
    const disabled = await createUser({ active: false });
    await addMember(t.a.id, disabled.id, "owner");
    await expectProblem(await post(t.a.domain, "/api/auth/login", { email: disabled.email, password: PASSWORD }), 401);
  });

  it("normalises an email in odd case with spaces, so it logs in and is never duplicated", async () => {
    const email = `${uniqueSlug("mixed")}@example.ma`;
    const user = await createUser({ email });
    await addMember(t.a.id, user.id, "staff");
    const tokens = await login(t.a.domain, `  ${email.toUpperCase()}  `);
    expect(decodeJwt(tokens.access_token).sub).toBe(user.id);
    const created = await withDb((c) => createSuperuser(c, { email: ` ${email.toUpperCase()} `, password: "Another-Pass-77" }));
    expect(created).toEqual({ id: user.id, email });
    expect(await sql(`SELECT id FROM users WHERE lower(email) = $1`, [email])).toHaveLength(1);
    await expect(sql(`INSERT INTO users (email) VALUES ($1)`, [email.toUpperCase()])).rejects.toThrow();
  });

  it("rotates the refresh token on every use and refuses the used one", async () => {
    const user = await member(t.a.id, "admin");
    const first = await login(t.a.domain, user.email);
    const res = await post(t.a.domain, "/api/auth/refresh", { refresh_token: first.refresh_token });
    expect(res.status).toBe(200);
    const second = await json(res);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second).toMatchObject({ audience: t.a.id, role: "admin" });
    expect((await call(t.a.domain, "/api/auth/me", authed(second.access_token))).status).toBe(200);
  });

  it("revokes the whole family when a rotated refresh token is reused after the grace window, so the newest stops working too", async () => {
    const user = await member(t.a.id, "staff");
    const first = await login(t.a.domain, user.email);
    const second = await json(await post(t.a.domain, "/api/auth/refresh", { refresh_token: first.refresh_token }));
    await ageRotations(user.id, REFRESH_REUSE_GRACE_SECONDS + 1);
    const reuse = await expectProblem(await post(t.a.domain, "/api/auth/refresh", { refresh_token: first.refresh_token }), 401);
    expect(reuse.detail).toMatch(/already used/);
    await expectProblem(await post(t.a.domain, "/api/auth/refresh", { refresh_token: second.refresh_token }), 401);
    const live = await sql(`SELECT 1 FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL`, [user.id]);
    expect(live).toHaveLength(0);
  });

  it("gives two refreshes racing with the same token a working pair each, within the grace window", async () => {
    const user = await member(t.a.id, "admin");
    const first = await login(t.a.domain, user.email);
    // Two tabs at once: on Postgres these really contend for the row lock; PGlite serialises them.
    const [a, b] = await Promise.all([0, 1].map(() => post(t.a.domain, "/api/auth/refresh", { refresh_token: first.refresh_token })));
    expect([a!.status, b!.status]).toEqual([200, 200]);
    const pairs = [await json(a!), await json(b!)];
    expect(pairs[0].refresh_token).not.toBe(pairs[1].refresh_token);
    for (const pair of pairs) {
      expect((await call(t.a.domain, "/api/auth/me", authed(pair.access_token))).status).toBe(200);
      expect((await post(t.a.domain, "/api/auth/refresh", { refresh_token: pair.refresh_token })).status).toBe(200);
    }
    // A third use a moment later is still inside the window that began at the first rotation.
    expect((await post(t.a.domain, "/api/auth/refresh", { refresh_token: first.refresh_token })).status).toBe(200);
    const rotated = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND rotated_at IS NOT NULL AND revoked_at IS NULL`,
      [user.id],
    );
    expect(rotated[0]!.n).toBe(3); // the original and the two children refreshed above; nothing revoked
  });

  it("never slides the grace window: a replay after it revokes the family even if the token was reused inside it", async () => {
    const user = await member(t.a.id, "staff");
    const first = await login(t.a.domain, user.email);
    const child = await json(await post(t.a.domain, "/api/auth/refresh", { refresh_token: first.refresh_token }));
    expect((await post(t.a.domain, "/api/auth/refresh", { refresh_token: first.refresh_token })).status).toBe(200);
    await ageRotations(user.id, REFRESH_REUSE_GRACE_SECONDS + 1);
    const late = await expectProblem(await post(t.a.domain, "/api/auth/refresh", { refresh_token: first.refresh_token }), 401);
    expect(late.detail).toMatch(/already used/);
    await expectProblem(await post(t.a.domain, "/api/auth/refresh", { refresh_token: child.refresh_token }), 401);
    expect(await sql(`SELECT 1 FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL`, [user.id])).toHaveLength(0);
  });

  it("binds a refresh token to the tenant it was issued for", async () => {
    const user = await member(t.a.id, "owner");
    await addMember(t.b.id, user.id, "owner");
    const tokens = await login(t.a.domain, user.email);
    await expectProblem(await post(t.b.domain, "/api/auth/refresh", { refresh_token: tokens.refresh_token }), 401);
    await expectProblem(await post(PLATFORM_HOST, "/api/auth/refresh", { refresh_token: tokens.refresh_token }), 401);
    expect((await post(t.a.domain, "/api/auth/refresh", { refresh_token: tokens.refresh_token })).status).toBe(200);
  });

  it("picks up a changed role at refresh and refuses refresh after the membership is gone", async () => {
    const user = await member(t.a.id, "staff");
    const first = await login(t.a.domain, user.email);
    await sql(`UPDATE tenant_memberships SET role = 'admin' WHERE id = $1`, [user.membershipId]);
    const second = await json(await post(t.a.domain, "/api/auth/refresh", { refresh_token: first.refresh_token }));
    expect(decodeJwt(second.access_token).role).toBe("admin");
    await sql(`DELETE FROM tenant_memberships WHERE id = $1`, [user.membershipId]);
    await expectProblem(await post(t.a.domain, "/api/auth/refresh", { refresh_token: second.refresh_token }), 401);
  });

  it("ignores a stale access token sent along with refresh and login", async () => {
    const user = await member(t.a.id, "staff");
    const tokens = await login(t.a.domain, user.email);
    const now = Math.floor(Date.now() / 1000);
    const stale = await forge({ sub: user.id, aud: t.a.id, iat: now - 2000, exp: now - 1000 });
    const res = await post(t.a.domain, "/api/auth/refresh", { refresh_token: tokens.refresh_token }, { authorization: `Bearer ${stale}` });
    expect(res.status).toBe(200);
    expect(
      (await post(t.a.domain, "/api/auth/login", { email: user.email, password: PASSWORD }, { authorization: `Bearer ${stale}` })).status,
    ).toBe(200);
  });

  it("upgrades a hash with an older iteration count at the next successful login", async () => {
    const user = await member(t.a.id, "staff");
    await sql(`UPDATE users SET password_hash = $2 WHERE id = $1`, [user.id, await hashPassword(PASSWORD, 1000)]);
    await login(t.a.domain, user.email);
    const rows = await sql<{ password_hash: string }>(`SELECT password_hash FROM users WHERE id = $1`, [user.id]);
    expect(rows[0].password_hash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(await verifyPassword(PASSWORD, rows[0].password_hash)).toBe(true);
  });

  it("costs two HTTP round trips to log in and one to refresh, and opens no connection", async () => {
    const user = await member(t.a.id, "staff");
    await call(t.a.domain, "/api/tenant"); // warm the host's KV entry
    let refreshToken = "";
    const loginCost = await countRoundTrips(async () => {
      refreshToken = (await login(t.a.domain, user.email)).refresh_token;
    });
    const refreshCost = await countRoundTrips(async () => {
      expect((await post(t.a.domain, "/api/auth/refresh", { refresh_token: refreshToken })).status).toBe(200);
    });
    expect(loginCost).toEqual({ connections: 0, flights: 2, httpRequests: 2 });
    expect(refreshCost).toEqual({ connections: 0, flights: 1, httpRequests: 1 });
  });

  it("logout revokes the refresh token's family", async () => {
    const user = await member(t.a.id, "staff");
    const tokens = await login(t.a.domain, user.email);
    const res = await post(t.a.domain, "/api/auth/logout", { refresh_token: tokens.refresh_token });
    expect(res.status).toBe(204);
    await expectProblem(await post(t.a.domain, "/api/auth/refresh", { refresh_token: tokens.refresh_token }), 401);
  });

  it("changes the password only with the current one, and revokes every refresh token", async () => {
    const user = await member(t.a.id, "staff");
    const tokens = await login(t.a.domain, user.email);
    await expectProblem(
      await call(
        t.a.domain,
        "/api/auth/password",
        authed(tokens.access_token, { method: "POST", json: { current_password: "nope-nope-1", new_password: "New-Password-99" } }),
      ),
      401,
    );
    const weak = await expectProblem(
      await call(
        t.a.domain,
        "/api/auth/password",
        authed(tokens.access_token, { method: "POST", json: { current_password: PASSWORD, new_password: "short" } }),
      ),
      422,
    );
    expect(weak.errors[0].field).toBe("new_password");
    const ok = await call(
      t.a.domain,
      "/api/auth/password",
      authed(tokens.access_token, { method: "POST", json: { current_password: PASSWORD, new_password: "New-Password-99" } }),
    );
    expect(ok.status).toBe(204);
    await expectProblem(await post(t.a.domain, "/api/auth/refresh", { refresh_token: tokens.refresh_token }), 401);
    expect((await login(t.a.domain, user.email, "New-Password-99")).role).toBe("staff");
  });
});

describe("access token attacks", () => {
  const t = useTenants();
  let userId = "";

  async function meWith(host: string, token: string) {
    return call(host, "/api/auth/me", authed(token));
  }

  it("accepts a well-formed token (control)", async () => {
    const user = await member(t.a.id, "staff");
    userId = user.id;
    const token = await forge({ sub: userId, aud: t.a.id, role: "staff" });
    expect((await meWith(t.a.domain, token)).status).toBe(200);
  });

  it("refuses an expired token", async () => {
    const now = Math.floor(Date.now() / 1000);
    const body = await expectProblem(
      await meWith(t.a.domain, await forge({ sub: userId, aud: t.a.id, iat: now - 1000, exp: now - 100 })),
      401,
    );
    expect(body.detail).toMatch(/expired/);
  });

  it("refuses a token that is not valid yet (nbf in the future)", async () => {
    await expectProblem(
      await meWith(t.a.domain, await forge({ sub: userId, aud: t.a.id, nbf: Math.floor(Date.now() / 1000) + 3600 })),
      401,
    );
  });

  it("refuses a token from another issuer", async () => {
    await expectProblem(await meWith(t.a.domain, await forge({ sub: userId, aud: t.a.id, iss: "evil" })), 401);
  });

  it("refuses tenant A's token on tenant B's host and on the platform host", async () => {
    const token = (await signAccessToken({ current: SECRET() }, { userId, audience: t.a.id, role: "owner", isSuperuser: false })).token;
    await expectProblem(await meWith(t.b.domain, token), 401);
    await expectProblem(await meWith(PLATFORM_HOST, token), 401);
  });

  it("refuses alg: none", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64url({ alg: "none", typ: "JWT" })}.${b64url({ iss: "bookme", sub: userId, aud: t.a.id, iat: now, exp: now + 600, jti: "x" })}.`;
    await expectProblem(await meWith(t.a.domain, token), 401);
  });

  it("refuses a token whose payload was tampered with", async () => {
    const token = await forge({ sub: userId, aud: t.a.id, role: "staff" });
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(atob(payload.replaceAll("-", "+").replaceAll("_", "/")));
    const tampered = `${header}.${b64url({ ...claims, role: "owner" })}.${signature}`;
    await expectProblem(await meWith(t.a.domain, tampered), 401);
  });

  it("refuses a token signed with another key, whatever kid it claims", async () => {
    const other = "another-secret-another-secret-0123456789";
    await expectProblem(await meWith(t.a.domain, await forge({ sub: userId, aud: t.a.id }, { secret: other })), 401);
    await expectProblem(
      await meWith(t.a.domain, await forge({ sub: userId, aud: t.a.id }, { secret: other, kid: await kidOf(SECRET()) })),
      401,
    );
  });

  it("refuses a malformed Authorization header and a missing token on a protected route", async () => {
    await expectProblem(await call(t.a.domain, "/api/auth/me", { headers: { authorization: "Basic abc" } }), 401);
    const res = await call(t.a.domain, "/api/auth/me");
    await expectProblem(res, 401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });
});

describe("bad bodies and mass assignment", () => {
  const t = useTenants();

  it("answers malformed JSON with 400 problem+json", async () => {
    const body = await expectProblem(await post(t.a.domain, "/api/auth/login", '{"email": "a@b.ma", '), 400);
    expect(body.code).toBe("bad_request");
  });

  it("answers an oversized body with 413 problem+json", async () => {
    const big = JSON.stringify({ email: "a@b.ma", password: "x".repeat(20_000) });
    const body = await expectProblem(await post(t.a.domain, "/api/auth/login", big), 413);
    expect(body.code).toBe("payload_too_large");
  });

  it("answers invalid fields with 422 and one error per field", async () => {
    const body = await expectProblem(await post(t.a.domain, "/api/auth/login", { email: "not-an-email", password: "" }), 422);
    const fields = body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(["email", "password"]);
  });

  it("refuses fields a client may not set (is_superuser on PATCH /me)", async () => {
    const user = await member(t.a.id, "staff");
    const tokens = await login(t.a.domain, user.email);
    const res = await call(
      t.a.domain,
      "/api/auth/me",
      authed(tokens.access_token, { method: "PATCH", json: { display_name: "Amina", is_superuser: true } }),
    );
    await expectProblem(res, 422);
    const ok = await call(
      t.a.domain,
      "/api/auth/me",
      authed(tokens.access_token, { method: "PATCH", json: { display_name: "Amina", locale: "ar" } }),
    );
    expect(await json(ok)).toMatchObject({ display_name: "Amina", locale: "ar", is_superuser: false });
    const rows = await sql<{ is_superuser: boolean }>(`SELECT is_superuser FROM users WHERE id = $1`, [user.id]);
    expect(rows[0].is_superuser).toBe(false);
  });
});

describe("createSuperuser (the CLI's createsuperuser)", () => {
  it("creates a superuser who can log in on the platform host", async () => {
    const email = `${uniqueSlug("admin")}@bookme.ma`;
    const created = await withDb((c) =>
      createSuperuser(c, { email: `  ${email.toUpperCase()}`, password: "Platform-Admin-1", displayName: "Root" }),
    );
    expect(created.email).toBe(email);
    const tokens = await login(PLATFORM_HOST, email, "Platform-Admin-1");
    expect(tokens.is_superuser).toBe(true);
  });

  it("upgrades an existing user and refuses a weak password", async () => {
    const user = await createUser();
    const weak = await withDb((c) => createSuperuser(c, { email: user.email, password: "weak" })).catch((error: unknown) => error);
    expect(weak).toBeInstanceOf(InvalidInput);
    expect(toApiError(weak)).toMatchObject({ code: "validation_failed" });
    const upgraded = await withDb((c) => createSuperuser(c, { email: user.email, password: "Upgraded-Pass-5" }));
    expect(upgraded.id).toBe(user.id);
    const rows = await sql<{ is_superuser: boolean }>(`SELECT is_superuser FROM users WHERE id = $1`, [user.id]);
    expect(rows[0].is_superuser).toBe(true);
  });
});

describe("auth housekeeping", () => {
  it("prunes expired and revoked refresh tokens and old rate-limit rows, keeping live and rotated ones", async () => {
    const { pruneAuthTables } = await import("../src/auth/maintenance");
    const user = await createUser();
    const family = crypto.randomUUID();
    const insert = (hash: string, expires: string, extra = "") =>
      sql(
        `INSERT INTO refresh_tokens (family_id, user_id, audience, token_hash, expires_at${extra ? ", rotated_at" : ""})
           VALUES ($1, $2, 'platform', $3, now() + $4::interval${extra ? ", now() - interval '2 days'" : ""})`,
        [family, user.id, hash, expires],
      );
    await insert(`${user.id}-expired`, "-2 days");
    await insert(`${user.id}-rotated`, "20 days", "rotated");
    await insert(`${user.id}-live`, "20 days");
    const key = `login:email:${uniqueSlug()}@old.ma`;
    await sql(`INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, now() - interval '3 days', 5)`, [key]);
    const pruned = await withDb((c) => pruneAuthTables(c));
    expect(pruned.refreshTokens).toBeGreaterThanOrEqual(1);
    const left = await sql<{ token_hash: string }>(`SELECT token_hash FROM refresh_tokens WHERE user_id = $1 ORDER BY token_hash`, [
      user.id,
    ]);
    expect(left.map((r) => r.token_hash)).toEqual([`${user.id}-live`, `${user.id}-rotated`]);
    expect(await sql(`SELECT 1 FROM rate_limits WHERE key = $1`, [key])).toHaveLength(0);
  });
});
