/** Small statistics helpers for the benchmark report. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export const median = (values: number[]) => percentile(values, 50);
export const fmt = (ms: number, digits = 2) => `${ms.toFixed(digits)} ms`;

/** Fires `total` requests with `concurrency` in flight; returns requests/s and latencies. */
export async function load(
  total: number,
  concurrency: number,
  send: (i: number) => Promise<{ status: number }>,
): Promise<{ rps: number; p50: number; p99: number; errors: number; statuses: Record<number, number> }> {
  let next = 0;
  let errors = 0;
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        try {
          const res = await send(i);
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (res.status >= 500) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { rps: total / seconds, p50: median(latencies), p99: percentile(latencies, 99), errors, statuses };
}
