/**
 * The availability statement on its own (issue 11 targets: 20 staff × 7 days
 * in a tenant of 20,000 bookings under 15 ms of Postgres time on a warm
 * backend; 31 days × 100 staff under 100 KB). The measurement itself is
 * bench/availability-query.ts (`measureAvailabilityQuery`); this section runs it.
 */
import { measureAvailabilityQuery } from "./availability-query";
import { BENCH_DATABASE_URL } from "./bench-env";

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
  const result = await measureAvailabilityQuery(BENCH_DATABASE_URL);
  return `${title}\n\nFrom bench/availability-query.ts, \`measureAvailabilityQuery\` on ${new URL(BENCH_DATABASE_URL).pathname.slice(1)}.\n\n${render(result)}\n`;
}
