/**
 * `npm run dev` fires the Worker's crons itself, as Cloudflare does in
 * production: at the start of every minute (UTC) each expression of
 * wrangler.toml's `[triggers] crons` that matches is sent to `wrangler dev
 * --test-scheduled` as `GET /__scheduled?cron=<expression>`. Without it, no
 * reminder or booking email would ever leave the outbox locally.
 */
import { readFileSync } from "node:fs";

/** The `crons = [...]` of wrangler.toml's `[triggers]` table. */
export function cronsOf(wranglerToml: string): string[] {
  const triggers = wranglerToml.split(/^\s*\[/m).find((table) => /^triggers\]/.test(table));
  const list = triggers?.match(/^\s*crons\s*=\s*\[([^\]]*)\]/m)?.[1];
  if (list === undefined) return [];
  return [...list.matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => (m[1] ?? m[2]).trim());
}

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

/** The values one field allows: `*`, `n`, `a-b`, any of them `/step`, comma-separated. */
function fieldValues(text: string, field: (typeof FIELDS)[number]): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`unsupported cron ${field.name} "${text}" (names and L/W/# are not handled locally)`);
    const from = m[1] === "*" ? field.min : Number(m[2]);
    const to = m[1] === "*" ? field.max : m[3] !== undefined ? Number(m[3]) : m[4] ? field.max : from;
    const step = m[4] ? Number(m[4]) : 1;
    if (from < field.min || to > field.max || from > to || step < 1) throw new Error(`cron ${field.name} out of range: "${text}"`);
    for (let v = from; v <= to; v += step) values.add(field.name === "day of week" && v === 7 ? 0 : v);
  }
  return values;
}

/** Whether the five-field expression fires at `at`'s minute, read in UTC as Cloudflare does. */
export function cronMatches(expression: string, at: Date): boolean {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`expected 5 cron fields, got "${expression}"`);
  const [minute, hour, dom, month, dow] = parts.map((p, i) => fieldValues(p, FIELDS[i]));
  if (!minute.has(at.getUTCMinutes()) || !hour.has(at.getUTCHours()) || !month.has(at.getUTCMonth() + 1)) return false;
  // Classic cron: when both day fields are restricted, either one matching is enough.
  const domAny = parts[2] === "*";
  const dowAny = parts[4] === "*";
  const domHit = dom.has(at.getUTCDate());
  const dowHit = dow.has(at.getUTCDay());
  if (domAny || dowAny) return domHit && dowHit;
  return domHit || dowHit;
}

/** Triggers, one after the other, each of `crons` that fires at `at`'s minute; never throws. */
export async function fireDueCrons(workerUrl: string, crons: string[], at: Date, log: (line: string) => void): Promise<string[]> {
  const due = crons.filter((c) => cronMatches(c, at));
  for (const cron of due) {
    try {
      const res = await fetch(`${workerUrl}/__scheduled?cron=${encodeURIComponent(cron)}`);
      await res.arrayBuffer();
      if (!res.ok) log(`[cron] "${cron}" answered ${res.status}`);
    } catch (error) {
      log(`[cron] "${cron}" could not be triggered: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return due;
}

export interface CronTicker {
  stop(): void;
}

/**
 * Every minute on the minute, triggers each matching cron on the Worker at
 * `workerUrl`. A failed trigger is logged and the next minute tries again, as
 * a missed tick in production would be caught up by the next one.
 */
export function startCronTicker(options: { workerUrl: string; wranglerTomlPath: string; log?: (line: string) => void }): CronTicker {
  const crons = cronsOf(readFileSync(options.wranglerTomlPath, "utf8"));
  for (const cron of crons) cronMatches(cron, new Date()); // unsupported syntax fails at start-up, not a minute later
  const log = options.log ?? ((line) => console.log(line));
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    const next = Math.floor(Date.now() / 60_000) * 60_000 + 60_000;
    timer = setTimeout(() => {
      void fireDueCrons(options.workerUrl, crons, new Date(next), log);
      schedule();
    }, next - Date.now());
  };
  schedule();
  log(`[cron] triggering ${crons.map((c) => `"${c}"`).join(", ")} at the start of each matching minute (UTC)`);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
