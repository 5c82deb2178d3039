/**
 * Runs inside workerd (Miniflare) for the CPU benchmarks: each endpoint does
 * `n` iterations of one piece of hot-path work and reports per-iteration times
 * measured with performance.now() (which advances locally, unlike production).
 */
import { computeSlots } from "../src/availability";
import { buildBenchFixture } from "./fixtures/availability";
import { hashPassword, verifyPassword } from "../src/auth/passwords";
import { signAccessToken, verifyAccessToken } from "../src/auth/tokens";

const SECRET = "bench-secret-bench-secret-bench-secret-01234";
const TENANT = "6f1c1e1a-0000-4000-8000-000000000001";

/** `n` samples, each the mean of `batch` runs (workerd's clock ticks in whole milliseconds). */
async function timeEach(n: number, fn: () => unknown | Promise<unknown>, batch = 1): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    for (let j = 0; j < batch; j++) await fn();
    times.push((performance.now() - t0) / batch);
  }
  return times;
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get("n") ?? 20);
    switch (url.pathname) {
      case "/slots": {
        const staffCount = Number(url.searchParams.get("staff") ?? 20);
        const days = Number(url.searchParams.get("days") ?? 31);
        const { query, staff, resources } = buildBenchFixture(staffCount, days);
        let slots = 0;
        computeSlots(query, staff, resources, { anyStaff: true }); // warm-up (JIT, zone data)
        const times = await timeEach(
          n,
          () => {
            slots = computeSlots(query, staff, resources, { anyStaff: true }).length;
          },
          Number(url.searchParams.get("batch") ?? 5),
        );
        return Response.json({ times, slots });
      }
      case "/kdf": {
        const stored = await hashPassword("correct horse battery staple");
        const times = await timeEach(n, () => verifyPassword("correct horse battery staple", stored));
        return Response.json({ times });
      }
      case "/verify": {
        const { token } = await signAccessToken(
          { current: SECRET },
          { userId: crypto.randomUUID(), audience: TENANT, role: "admin", isSuperuser: false },
        );
        await verifyAccessToken({ current: SECRET }, token, TENANT);
        const times = await timeEach(n, () => verifyAccessToken({ current: SECRET }, token, TENANT), 200);
        return Response.json({ times });
      }
      default:
        return new Response("not found", { status: 404 });
    }
  },
};
