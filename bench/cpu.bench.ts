/**
 * CPU of hot-path work inside workerd: slot computation (one month × 20 staff),
 * the login KDF and access-token verification. Bundled with esbuild and run in
 * Miniflare, the same runtime as production.
 */
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { fmt, median, percentile } from "./stats";

const ROOT = new URL("..", import.meta.url).pathname;

export async function run(): Promise<string> {
  const bundle = await build({
    entryPoints: [`${ROOT}bench/cpu-worker.ts`],
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    target: "es2022",
    mainFields: ["browser", "module", "main"],
    conditions: ["workerd", "worker", "browser"],
  });
  const mf = new Miniflare({ modules: true, script: bundle.outputFiles[0].text, compatibilityDate: "2026-04-01" });
  try {
    const get = async (path: string) =>
      (await (await mf.dispatchFetch(`http://bench${path}`)).json()) as { times: number[]; slots?: number };
    const slots = await get("/slots?n=40&batch=5&staff=20&days=31");
    const kdf = await get("/kdf?n=10");
    const verify = await get("/verify?n=30");
    const row = (name: string, t: number[], note = "") =>
      `| ${name} | ${t.length} | ${fmt(median(t))} | ${fmt(percentile(t, 99))} | ${note} |`;
    return [
      "## CPU inside workerd",
      "",
      "| work | runs | median | p99 | note |",
      "| --- | ---: | ---: | ---: | --- |",
      row(
        "slots: 31 days × 20 staff, any staff, 15-min interval",
        slots.times,
        `${slots.slots} slots; Europe/Paris incl. DST day; each sample = mean of 5 runs`,
      ),
      row("login KDF (PBKDF2-SHA256, 100,000 iterations)", kdf.times, "one verifyPassword"),
      row("access-token verify (jose HS256)", verify.times, "each sample = mean of 200 verifications"),
      "",
      `Against the Workers free plan's 10 ms CPU per request: slot month median ${fmt(median(slots.times))} is ${(median(slots.times) / 10).toFixed(2)}× the budget; ` +
        `token verify ${(median(verify.times) / 10).toFixed(3)}×; login KDF ${(median(kdf.times) / 10).toFixed(1)}× (deliberately slow; login needs a paid plan's CPU limit at 100,000 iterations).`,
      "",
    ].join("\n");
  } finally {
    await mf.dispose();
  }
}
