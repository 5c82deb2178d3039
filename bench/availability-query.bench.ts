/**
 * The availability statement on its own (issue 11 targets: 20 staff × 7 days
 * in a tenant of 20,000 bookings under 15 ms of Postgres time on a warm
 * backend; 31 days × 100 staff under 100 KB). The measurement itself is
 * bench/availability-query.ts (`measureAvailabilityQuery(databaseUrl)`, owned
 * by the availability work); this section only runs it and prints what it
 * returns. LEAD: until that file is merged this section says so and passes.
 */
import { existsSync } from "node:fs";
import { BENCH_DATABASE_URL } from "./bench-env";

const MODULE = new URL("./availability-query.ts", import.meta.url);

function render(value: unknown): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const rows = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `| ${k} | ${typeof v === "object" ? `\`${JSON.stringify(v)}\`` : String(v)} |`,
    );
    return ["| measure | value |", "| --- | --- |", ...rows].join("\n");
  }
  return `\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\``;
}

export async function run(): Promise<string> {
  const title = "## Availability statement (Postgres time and result size)";
  if (!existsSync(MODULE)) {
    return `${title}\n\nNot measured: bench/availability-query.ts (measureAvailabilityQuery) is not on this branch yet.\n`;
  }
  const mod = (await import(MODULE.href)) as { measureAvailabilityQuery?: (databaseUrl: string) => Promise<unknown> };
  if (typeof mod.measureAvailabilityQuery !== "function") {
    throw new Error("bench/availability-query.ts does not export measureAvailabilityQuery(databaseUrl)");
  }
  const result = await mod.measureAvailabilityQuery(BENCH_DATABASE_URL);
  return `${title}\n\nFrom bench/availability-query.ts, \`measureAvailabilityQuery\` on ${new URL(BENCH_DATABASE_URL).pathname.slice(1)}.\n\n${render(result)}\n`;
}
