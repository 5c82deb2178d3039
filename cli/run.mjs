/**
 * `npm run cli`: runs the admin CLI from a bundle built once with esbuild,
 * rebuilt only when one of its own source files changed. Compiling cli/ and
 * src/ with tsx on every call cost 2–10 s per command; plain Node on the
 * bundle starts in well under a second. The bundle is minified and split: the
 * entry holds the command line and the help, and what a command imports when
 * it runs (driver, drizzle, zod, the src/ code) sits in chunks that `--help`
 * never parses. No source maps: Node would parse them on every start.
 *
 * Plain JavaScript on purpose: this file must start without a TypeScript loader.
 * The bundle and its chunks sit exactly one directory below the repository root
 * (.cache/cli.mjs, .cache/cli-chunk-*.mjs) because infra/database-target.ts
 * finds .data/ relative to its own `import.meta.url`, which in a bundle is the
 * URL of the file holding it.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = join(ROOT, ".cache/cli.mjs");
/** Our files esbuild read for the last build (its metafile inputs); node_modules is covered by the lockfile. */
const INPUTS = join(ROOT, ".cache/cli.inputs.json");
const ALWAYS = ["cli/run.mjs", "package-lock.json", "tsconfig.json"];

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function isStale() {
  const built = mtime(OUT);
  if (!Number.isFinite(built)) return true;
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(INPUTS, "utf8"));
  } catch {
    return true;
  }
  return [...ALWAYS, ...inputs].some((file) => mtime(join(ROOT, file)) > built);
}

async function build() {
  const { build: esbuild } = await import("esbuild");
  const dir = join(ROOT, ".cache");
  mkdirSync(dir, { recursive: true });
  const result = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: { cli: "cli/main.ts" },
    outdir: ".cache",
    outExtension: { ".js": ".mjs" },
    chunkNames: "cli-chunk-[hash]",
    bundle: true,
    splitting: true,
    minify: true,
    write: false,
    platform: "node",
    format: "esm",
    target: "node20",
    // Dependencies are bundled too: resolving and loading hundreds of separate
    // modules from node_modules cost more start-up time than parsing one file.
    // CommonJS dependencies still need a `require` for Node's built-ins.
    banner: { js: `import { createRequire as __bookmeRequire } from "node:module"; const require = __bookmeRequire(import.meta.url);` },
    metafile: true,
    logLevel: "error",
  });
  // Unique temporary names, then rename: two CLIs building at once never run half a file. Chunks
  // are named by their content, so they go first; the entry that imports them last.
  const files = [...result.outputFiles].sort((a, b) => Number(a.path === OUT) - Number(b.path === OUT));
  for (const file of files) {
    const target = join(dir, basename(file.path));
    writeFileSync(`${target}.${process.pid}.tmp`, file.contents);
    renameSync(`${target}.${process.pid}.tmp`, target);
  }
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes("node_modules/"));
  writeFileSync(`${INPUTS}.${process.pid}.tmp`, JSON.stringify(inputs));
  renameSync(`${INPUTS}.${process.pid}.tmp`, INPUTS);
}

if (isStale()) await build();
await import(pathToFileURL(OUT).href);
