/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import { allowedFrom, isTerminal, nextStatus, withinCutoff } from "../src/bookings/transitions";
import { lockKey } from "../src/db/sql";

describe("booking state machine", () => {
  it("moves pending → confirmed → completed | cancelled | no_show and nowhere else", () => {
    expect(nextStatus("pending", "confirm")).toBe("confirmed");
    expect(nextStatus("pending", "cancel")).toBe("cancelled");
    expect(nextStatus("pending", "complete")).toBeNull();
    expect(nextStatus("confirmed", "complete")).toBe("completed");
    expect(nextStatus("confirmed", "no_show")).toBe("no_show");
    expect(nextStatus("confirmed", "reschedule")).toBe("confirmed");
    expect(nextStatus("cancelled", "cancel")).toBeNull();
    expect(nextStatus("completed", "reschedule")).toBeNull();
    for (const s of ["completed", "cancelled", "no_show"] as const) expect(isTerminal(s)).toBe(true);
    expect(allowedFrom("cancel")).toEqual(["pending", "confirmed"]);
  });

  it("allows customer changes only until the cut-off before the start", () => {
    const start = Date.UTC(2027, 0, 10, 10);
    expect(withinCutoff(start, 120, start - 121 * 60_000)).toBe(true);
    expect(withinCutoff(start, 120, start - 120 * 60_000)).toBe(true);
    expect(withinCutoff(start, 120, start - 119 * 60_000)).toBe(false);
  });
});

describe("advisory lock keys of the locked writes (src/db/sql.ts)", () => {
  it("derives a stable signed 64-bit lock key", () => {
    expect(lockKey("a")).toBe(lockKey("a"));
    expect(lockKey("a")).not.toBe(lockKey("b"));
    const k = BigInt(lockKey("tenant_x:svc@1"));
    expect(k >= -(2n ** 63n) && k < 2n ** 63n).toBe(true);
  });
});

describe("one typed way to write SQL in the booking write path (issue 11)", () => {
  // The availability load (slot-input/slot-check) is converted separately.
  const sources = import.meta.glob(["../src/bookings/*.ts", "../src/web/manage.*.tsx", "!../src/bookings/slot-*.ts"], {
    query: "?raw",
    import: "default",
    eager: true,
  }) as Record<string, string>;

  it("builds no SQL text by hand: no .query() with text, no quoteSchema, no literal inliner, no public-schema literals", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(8);
    const offenders = Object.entries(sources).flatMap(([file, text]) =>
      [
        /\.query\(\s*[`"']\s*(SELECT|WITH|INSERT|UPDATE|DELETE|BEGIN)/i,
        /quoteSchema/,
        /inlineParams|escapeLiteral|sql-util/,
        /"public"\./,
        /sql\.raw\(/,
        /@neondatabase\/serverless/,
      ]
        .filter((pattern) => pattern.test(text))
        .map((pattern) => `${file}: ${pattern}`),
    );
    expect(offenders).toEqual([]);
  });
});
