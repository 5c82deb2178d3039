/**
 * `npm test`: the whole suite inside workerd, then the Node-side tests (the
 * admin CLI, vitest.node.config.ts), then the browser tests
 * (vitest.e2e.config.ts: Chromium against `wrangler dev`). Uses the Postgres
 * at DATABASE_URL when set, else an embedded PGlite (started by each vitest
 * global setup). Fails first if the bundled migrations are stale.
 *
 * The browser tests run when the workerd suite passed and no file filter was
 * given; they are skipped only when /usr/bin/chromium is missing outside CI
 * (with CI set they must run). Either run failing fails the command.
 * TEST_REPORT_DIR (+ TEST_REPORT_LABEL) adds JSON reports per run for CI's summary.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const check = spawnSync(process.execPath, ["--import", "tsx", "scripts/bundle-migrations.ts", "--check"], { stdio: "inherit" });
if (check.status !== 0) process.exit(check.status ?? 1);

const args = process.argv.slice(2);
const filtered = args.some((a) => !a.startsWith("-"));
const reportDir = process.env.TEST_REPORT_DIR;
const label = process.env.TEST_REPORT_LABEL ?? "run";
const report = (run: string) =>
  reportDir ? ["--reporter=default", "--reporter=json", `--outputFile.json=${reportDir}/${label}-${run}.json`] : [];

const vitest = spawnSync("npx", ["vitest", "run", ...report("workers"), ...args], { stdio: "inherit", env: process.env });
if (vitest.status !== 0) process.exit(vitest.status ?? 1);

if (filtered) process.exit(0);
// Node-side tools (the admin CLI) driven as child processes: vitest.node.config.ts.
const node = spawnSync("npx", ["vitest", "run", "--config", "vitest.node.config.ts", ...report("node"), ...args], {
  stdio: "inherit",
  env: process.env,
});
if (node.status !== 0) process.exit(node.status ?? 1);
if (!existsSync("/usr/bin/chromium") && !process.env.CI) {
  console.warn("[test] /usr/bin/chromium not found: browser tests skipped (they run in CI).");
  process.exit(0);
}
const e2e = spawnSync("npx", ["vitest", "run", "--config", "vitest.e2e.config.ts", ...report("e2e"), ...args], {
  stdio: "inherit",
  env: process.env,
});
process.exit(e2e.status ?? 1);
