/** Pure migration planning: which bundled migrations a schema still needs. */
import type { BundledMigration } from "./types";

export interface AppliedMigration {
  tag: string;
  hash: string;
}

export interface MigrationPlan {
  pending: BundledMigration[];
  /** Applied migrations whose file changed or vanished: a human must look. */
  drift: string[];
}

export function planMigrations(applied: readonly AppliedMigration[], available: readonly BundledMigration[]): MigrationPlan {
  const known = new Map(available.map((m) => [m.tag, m]));
  const done = new Map(applied.map((m) => [m.tag, m.hash]));
  const drift: string[] = [];
  for (const { tag, hash } of applied) {
    const m = known.get(tag);
    if (!m) drift.push(`${tag} is applied but no longer bundled`);
    else if (m.hash !== hash) drift.push(`${tag} was edited after it was applied`);
  }
  return { pending: available.filter((m) => !done.has(m.tag)), drift };
}

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  });
  await Promise.all(workers);
  return results;
}
