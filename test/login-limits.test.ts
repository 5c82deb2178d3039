/** Sign-in limits: per address, per (address, account), a growing per-account delay, and device tokens that are never slowed by failures elsewhere. */
import { describe, expect, it } from "vitest";
import { DEVICE_COOKIE } from "../src/auth/device-token";
import {
  accountDelaySeconds,
  LOGIN_FAILURES_PER_ADDRESS,
  LOGIN_FAILURES_PER_ADDRESS_ACCOUNT,
  LOGIN_FAILURES_PER_DEVICE,
  LOGIN_FREE_FAILURES,
  LOGIN_MAX_DELAY_SECONDS,
} from "../src/auth/login-limits";
import { ipv6Prefix } from "../src/http/client-address";
import { createUser, expectProblem, freshAddress, member, PASSWORD, post } from "./auth-fixtures";
import { call, json, PLATFORM_HOST, sql, useTenants } from "./harness";

const t = useTenants();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function attempt(host: string, email: string, password: string, options: { address?: string; cookie?: string; deviceToken?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.address) headers["cf-connecting-ip"] = options.address;
  if (options.cookie) headers.cookie = options.cookie;
  return post(host, "/api/auth/login", { email, password, ...(options.deviceToken ? { device_token: options.deviceToken } : {}) }, headers);
}

/** Signs in once from `address` and returns the device cookie (name=value) and token the server handed out. */
async function signInOnce(host: string, email: string, address = freshAddress()) {
  const res = await attempt(host, email, PASSWORD, { address });
  expect(res.status).toBe(200);
  const setCookie = res.headers.get("set-cookie") ?? "";
  const body = await json<{ device_token: string }>(res);
  return { cookie: setCookie.split(";")[0], setCookie, token: body.device_token };
}

/** Pretends the account's current delay is over (instead of sleeping up to 30 s). */
async function endDelay(email: string) {
  await sql(`UPDATE login_throttle SET not_before = now() - interval '1 second' WHERE key = $1`, [`login:account:${email}`]);
}

describe("sign-in limits", () => {
  it("computes a delay that starts after the free failures, doubles and is capped", () => {
    const delays = Array.from({ length: 12 }, (_, i) => accountDelaySeconds(i + 1));
    expect(delays.slice(0, LOGIN_FREE_FAILURES - 1).every((d) => d === 0)).toBe(true);
    expect(delays.slice(LOGIN_FREE_FAILURES - 1)).toEqual([1, 2, 4, 8, 16, 30, 30, 30]);
    expect(accountDelaySeconds(1000)).toBe(LOGIN_MAX_DELAY_SECONDS);
  });

  it("hands out a device token as an HttpOnly, Secure, SameSite=Strict cookie for /api/auth and in the body", async () => {
    const user = await member(t.a.id, "staff");
    const { cookie, setCookie, token } = await signInOnce(t.a.domain, user.email);
    expect(cookie).toBe(`${DEVICE_COOKIE}=${token}`);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/api\/auth/);
  });

  it("never lets wrong passwords from address A block the right password from address B with a device cookie", async () => {
    const user = await member(t.a.id, "owner");
    const b = freshAddress();
    const device = await signInOnce(t.a.domain, user.email, b);
    const a = freshAddress();
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_FAILURES_PER_ADDRESS_ACCOUNT + 2; i++) {
      statuses.push((await attempt(t.a.domain, user.email, `Wrong-Guess-${i}`, { address: a })).status);
    }
    // The attacker is refused (slowed down, then blocked for this address and account)…
    expect(statuses.slice(0, LOGIN_FREE_FAILURES)).toEqual(Array(LOGIN_FREE_FAILURES).fill(401));
    expect(statuses.at(-1)).toBe(429);
    // …while the owner's client signs in at once, by cookie or by the token in the body.
    expect((await attempt(t.a.domain, user.email, PASSWORD, { address: b, cookie: device.cookie })).status).toBe(200);
    expect((await attempt(t.a.domain, user.email, PASSWORD, { address: freshAddress(), deviceToken: device.token })).status).toBe(200);
  });

  it("never lets failures from elsewhere block a superuser's known client on the platform host", async () => {
    const su = await createUser({ superuser: true });
    const device = await signInOnce(PLATFORM_HOST, su.email);
    for (let i = 0; i < LOGIN_FAILURES_PER_ADDRESS_ACCOUNT + 2; i++) await attempt(PLATFORM_HOST, su.email, `Wrong-Guess-${i}`);
    const res = await attempt(PLATFORM_HOST, su.email, PASSWORD, { cookie: device.cookie });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ is_superuser: true });
  });

  it("slows an account down across addresses with a growing delay instead of locking it, and a success resets it", async () => {
    const user = await member(t.a.id, "staff");
    for (let i = 0; i < LOGIN_FREE_FAILURES; i++) {
      expect((await attempt(t.a.domain, user.email, `Wrong-${i}`)).status).toBe(401);
    }
    // Each attempt comes from a new address: only the per-account delay can refuse it.
    const first = await attempt(t.a.domain, user.email, PASSWORD);
    const body = await expectProblem(first, 429);
    expect(body.code).toBe("rate_limited");
    expect(first.headers.get("retry-after")).toBe("1");

    await sleep(1100);
    expect((await attempt(t.a.domain, user.email, "Wrong-again")).status).toBe(401);
    const second = await attempt(t.a.domain, user.email, PASSWORD);
    await expectProblem(second, 429);
    expect(Number(second.headers.get("retry-after"))).toBe(2);

    // Far along, the delay stays at the cap: a wait, never a lock.
    await sql(`UPDATE login_throttle SET failures = 40, not_before = now() - interval '1 second' WHERE key = $1`, [
      `login:account:${user.email}`,
    ]);
    expect((await attempt(t.a.domain, user.email, "Wrong-much-later")).status).toBe(401);
    const capped = await attempt(t.a.domain, user.email, PASSWORD);
    await expectProblem(capped, 429);
    expect(Number(capped.headers.get("retry-after"))).toBeGreaterThan(LOGIN_MAX_DELAY_SECONDS - 2);
    expect(Number(capped.headers.get("retry-after"))).toBeLessThanOrEqual(LOGIN_MAX_DELAY_SECONDS);

    // Once the wait is over the right password works, and the success clears the slow-down.
    await endDelay(user.email);
    expect((await attempt(t.a.domain, user.email, PASSWORD)).status).toBe(200);
    expect(await sql(`SELECT 1 FROM login_throttle WHERE key = $1`, [`login:account:${user.email}`])).toHaveLength(0);
    expect((await attempt(t.a.domain, user.email, "Wrong-after-success")).status).toBe(401);
    expect((await attempt(t.a.domain, user.email, "Wrong-after-success-2")).status).toBe(401);
  });

  it("refuses an attempt that arrives during the delay without checking the password or pushing the delay further", async () => {
    const user = await member(t.a.id, "staff");
    for (let i = 0; i < LOGIN_FREE_FAILURES; i++) await attempt(t.a.domain, user.email, `Wrong-${i}`);
    const before = await sql<{ failures: number }>(`SELECT failures FROM login_throttle WHERE key = $1`, [`login:account:${user.email}`]);
    for (let i = 0; i < 3; i++) await expectProblem(await attempt(t.a.domain, user.email, `Wrong-burst-${i}`), 429);
    const after = await sql<{ failures: number }>(`SELECT failures FROM login_throttle WHERE key = $1`, [`login:account:${user.email}`]);
    expect(after[0].failures).toBe(before[0].failures);
  });

  it("blocks one address after its failures across many accounts, and only that address", async () => {
    const user = await member(t.a.id, "staff");
    const a = freshAddress();
    for (let i = 0; i < LOGIN_FAILURES_PER_ADDRESS; i++) {
      expect((await attempt(t.a.domain, `nobody-${i}-${a}@example.ma`, "Wrong-Guess-1", { address: a })).status).toBe(401);
    }
    const blocked = await attempt(t.a.domain, user.email, PASSWORD, { address: a });
    await expectProblem(blocked, 429);
    const retryAfter = Number(blocked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // The blocked address did not slow the account down for anyone else.
    expect((await attempt(t.a.domain, user.email, PASSWORD, { address: freshAddress() })).status).toBe(200);
  });

  it("does not count successful sign-ins from a shared address against it", async () => {
    const a = freshAddress();
    const users = await Promise.all(Array.from({ length: 3 }, () => member(t.a.id, "staff")));
    await sql(
      `INSERT INTO rate_limits (key, window_start, hits)
       VALUES ($1, to_timestamp(floor(extract(epoch FROM now()) / 900) * 900), $2)`,
      [`login:ip:${a}`, LOGIN_FAILURES_PER_ADDRESS - 1],
    );
    for (const u of users) expect((await attempt(t.a.domain, u.email, PASSWORD, { address: a })).status).toBe(200);
  });

  it("limits the failures of one device token, which still needs the password", async () => {
    const user = await member(t.a.id, "staff");
    const device = await signInOnce(t.a.domain, user.email);
    for (let i = 0; i < LOGIN_FAILURES_PER_DEVICE; i++) {
      expect((await attempt(t.a.domain, user.email, `Wrong-${i}`, { cookie: device.cookie })).status).toBe(401);
    }
    await expectProblem(await attempt(t.a.domain, user.email, PASSWORD, { cookie: device.cookie }), 429);
    // The device's own failures did not slow the account down for other clients.
    expect((await attempt(t.a.domain, user.email, PASSWORD)).status).toBe(200);
  });

  it("gives no trust to a device token of another account or a forged one", async () => {
    const victim = await member(t.a.id, "staff");
    const attacker = await member(t.a.id, "staff");
    const attackerDevice = await signInOnce(t.a.domain, attacker.email);
    for (let i = 0; i < LOGIN_FREE_FAILURES; i++) await attempt(t.a.domain, victim.email, `Wrong-${i}`);
    await expectProblem(await attempt(t.a.domain, victim.email, "Wrong-x", { cookie: attackerDevice.cookie }), 429);
    const [header, payload] = attackerDevice.token.split(".");
    await expectProblem(await attempt(t.a.domain, victim.email, "Wrong-y", { deviceToken: `${header}.${payload}.AAAA` }), 429);
  });

  it("treats header-less clients as one address and an IPv6 /64 as one address", async () => {
    expect(ipv6Prefix("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(ipv6Prefix("2001:0db8:0001:0002::1")).toBe("2001:db8:1:2::/64");
    expect(ipv6Prefix("::ffff:192.0.2.7")).toBe("192.0.2.7");
    const net = Math.floor(Math.random() * 0xffff).toString(16);
    const v6 = `2001:db8:${net}:7`;
    for (let i = 0; i < LOGIN_FAILURES_PER_ADDRESS; i++) {
      const res = await attempt(t.a.domain, `nobody-${i}-${net}@example.ma`, "Wrong-1", { address: `${v6}::${(i + 1).toString(16)}` });
      expect(res.status).toBe(401);
    }
    await expectProblem(await attempt(t.a.domain, "someone@example.ma", "Wrong-1", { address: `${v6}:ffff:1:2:3` }), 429);
    const res = await call(t.a.domain, "/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "nobody@example.ma", password: "Wrong-1" }),
    });
    expect(res.status).toBe(401);
    expect(await sql(`SELECT 1 FROM rate_limits WHERE key = 'login:ip:local'`)).toHaveLength(1);
  });
});
