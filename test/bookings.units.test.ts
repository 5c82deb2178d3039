import { describe, expect, it } from "vitest";
import { allowedFrom, isTerminal, nextStatus, withinCutoff } from "../src/bookings/transitions";
import { escapeLiteral, inlineParams, lockKey } from "../src/bookings/sql-util";

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

describe("inlined parameters for the one-round-trip locked statements", () => {
  it("quotes strings like PQescapeLiteral and refuses NUL", () => {
    expect(escapeLiteral("O'Brien")).toBe("'O''Brien'");
    expect(escapeLiteral("a\\b")).toBe(" E'a\\\\b'");
    expect(() => escapeLiteral("a\u0000b")).toThrow();
    expect(inlineParams("SELECT $1::text, $2::int, $10, $1", ["x'y", 5, null, null, null, null, null, null, null, true])).toBe(
      "SELECT 'x''y'::text, 5::int, true, 'x''y'",
    );
    expect(() => inlineParams("SELECT $2", [1])).toThrow();
  });

  it("derives a stable signed 64-bit lock key", () => {
    expect(lockKey("a")).toBe(lockKey("a"));
    expect(lockKey("a")).not.toBe(lockKey("b"));
    const k = BigInt(lockKey("tenant_x:svc@1"));
    expect(k >= -(2n ** 63n) && k < 2n ** 63n).toBe(true);
  });
});
