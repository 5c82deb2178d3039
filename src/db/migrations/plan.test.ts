import { describe, expect, it } from "vitest";
import { mapBounded, planMigrations } from "./plan";

const m = (tag: string, hash = `h-${tag}`) => ({ tag, hash, statements: [] });

describe("migration planning", () => {
  it("lists only the migrations not yet applied, in bundle order", () => {
    const plan = planMigrations([{ tag: "0000_a", hash: "h-0000_a" }], [m("0000_a"), m("0001_b"), m("0002_c")]);
    expect(plan.pending.map((p) => p.tag)).toEqual(["0001_b", "0002_c"]);
    expect(plan.drift).toEqual([]);
  });

  it("has nothing to do when everything is applied", () => {
    expect(planMigrations([{ tag: "0000_a", hash: "h-0000_a" }], [m("0000_a")]).pending).toEqual([]);
  });

  it("reports an edited or vanished applied migration as drift", () => {
    const plan = planMigrations(
      [
        { tag: "0000_a", hash: "old" },
        { tag: "0001_gone", hash: "x" },
      ],
      [m("0000_a")],
    );
    expect(plan.drift).toEqual(["0000_a was edited after it was applied", "0001_gone is applied but no longer bundled"]);
  });

  it("never runs more than the limit at once and keeps input order", async () => {
    let running = 0;
    let peak = 0;
    const out = await mapBounded([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});
