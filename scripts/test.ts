/**
 * `npm test`: the whole suite inside workerd. Uses the Postgres at
 * DATABASE_URL when set, else an embedded PGlite (started by the vitest
 * global setup). Fails first if the bundled migrations are stale.
 */
import { spawnSync } from "node:child_process";

const check = spawnSync(process.execPath, ["--import", "tsx", "scripts/bundle-migrations.ts", "--check"], { stdio: "inherit" });
if (check.status !== 0) process.exit(check.status ?? 1);

const vitest = spawnSync("npx", ["vitest", "run", ...process.argv.slice(2)], { stdio: "inherit", env: process.env });
process.exit(vitest.status ?? 1);
