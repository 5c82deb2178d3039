/**
 * Bundle and start-up (issue 11): the Worker as `wrangler deploy` would upload
 * it (`wrangler deploy --dry-run --outdir`, minified per wrangler.toml), its
 * raw and gzip size and what zod's locale packs still weigh in it (from the
 * metafile); the module's start-up as the CPU time of importing the built file
 * in a fresh Node process (median of N); and the CLI's `--help` wall time.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { median, percentile } from "./stats";

const ROOT = new URL("..", import.meta.url).pathname;
const OUT = join(ROOT, ".cache/bench-bundle");
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 9);

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function exec(cmd: string, args: string[]): { stdout: string; ms: number } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { stdout: r.stdout + r.stderr, ms };
}

/** CPU (user + system) of `import(file)` in a fresh Node process, from just before the import. */
function importCpuMs(file: string): number {
  const script = `const c0 = process.cpuUsage(); await import(${JSON.stringify(file)}); const c = process.cpuUsage(c0); console.log((c.user + c.system) / 1000);`;
  return Number(exec(process.execPath, ["--input-type=module", "-e", script]).stdout.trim());
}

export async function run(): Promise<string> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const meta = join(OUT, "meta.json");
  const build = exec("npx", ["wrangler", "deploy", "--dry-run", "--outdir", OUT, "--metafile", meta]);
  const code = readFileSync(join(OUT, "index.js"));
  const wranglerLine = /Total Upload: ([^\n]+)/.exec(build.stdout)?.[1]?.trim() ?? "(not printed)";
  const metafile = JSON.parse(readFileSync(meta, "utf8")) as {
    outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
  };
  const inputs = Object.entries(metafile.outputs).find(([k]) => k.endsWith("index.js"))?.[1].inputs ?? {};
  const locales = Object.entries(inputs).filter(([k]) => /node_modules\/zod\/.*locales\//.test(k));
  const localeBytes = locales.reduce((n, [, v]) => n + v.bytesInOutput, 0);

  // The bundle is an ES module with no imports: Node can load it as is (nothing runs but module scope).
  const module = join(OUT, "worker.mjs");
  copyFileSync(join(OUT, "index.js"), module);
  importCpuMs(module); // warm the file cache
  const cpu = Array.from({ length: RUNS }, () => importCpuMs(module));
  const empty = join(OUT, "empty.mjs");
  copyFileSync(join(ROOT, "bench/fixtures/empty-module.mjs"), empty);
  const emptyCpu = Array.from({ length: 3 }, () => importCpuMs(empty));

  // CLI: the first call (re)builds .cache/cli.mjs when stale; later calls run the bundle.
  const first = exec(process.execPath, ["cli/run.mjs", "--help"]).ms;
  const cli = Array.from({ length: 5 }, () => exec(process.execPath, ["cli/run.mjs", "--help"]).ms);
  const npmCli = Array.from({ length: 3 }, () => exec("npm", ["run", "-s", "cli", "--", "--help"]).ms);

  return [
    "## Bundle and start-up",
    "",
    "| measure | value | target |",
    "| --- | ---: | --- |",
    `| Worker bundle, raw (\`wrangler deploy --dry-run --outdir\`, minified) | ${kib(code.length)} | |`,
    `| Worker bundle, gzip (zlib level 9) | ${kib(gzipSync(code, { level: 9 }).length)} | under 250 KiB |`,
    `| wrangler's own figure | ${wranglerLine} | |`,
    `| zod locale packs in the bundle (metafile) | ${kib(localeBytes)} in ${locales.length} file(s) | English only |`,
    `| module start-up: CPU of importing the bundle in a fresh Node process, median of ${RUNS} | ${median(cpu).toFixed(0)} ms (min ${Math.min(...cpu).toFixed(0)}, max ${percentile(cpu, 100).toFixed(0)}) | under 150 ms |`,
    `| same for an empty module (the measure's floor) | ${median(emptyCpu).toFixed(1)} ms | |`,
    `| \`node cli/run.mjs --help\` (= \`npm run cli -- --help\` without npm's own start-up), median of 5 | ${median(cli).toFixed(0)} ms | under 1.5 s |`,
    `| \`npm run -s cli -- --help\`, median of 3 | ${median(npmCli).toFixed(0)} ms | under 1.5 s |`,
    `| same, first call of this run (rebuilds .cache/cli.mjs if a source changed) | ${first.toFixed(0)} ms | |`,
    "",
  ].join("\n");
}
