/**
 * `npm run bench`: runs every bench/*.bench.ts (or those named on the command
 * line) and writes bench/RESULTS.md with the machine noted. Compare figures as
 * ratios within one run; absolute numbers depend on the machine.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem, type } from "node:os";
import { join } from "node:path";

const DIR = new URL(".", import.meta.url).pathname;
const only = process.argv.slice(2);
const files = readdirSync(DIR)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => !only.length || only.some((o) => f.startsWith(o)))
  .sort();

const sections: string[] = [];
for (const file of files) {
  console.log(`[bench] ${file} …`);
  const started = Date.now();
  try {
    const mod = (await import(join(DIR, file))) as { run: () => Promise<string> };
    sections.push(await mod.run());
    console.log(`[bench] ${file} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    console.error(`[bench] ${file} failed:`, error);
    sections.push(`## ${file}\n\nFAILED: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${type()}, Node ${process.version}`;
const header = `# Benchmark results\n\nRun: ${new Date().toISOString()}\nMachine: ${machine}\nCommand: \`npm run bench${only.length ? ` ${only.join(" ")}` : ""}\`\n\n`;
const out = join(DIR, only.length ? `RESULTS.partial.md` : "RESULTS.md");
writeFileSync(out, header + sections.join("\n"));
console.log(`[bench] wrote ${out}`);
