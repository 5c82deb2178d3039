/**
 * Starts `wrangler dev` in its own process group and stops it with SIGINT to
 * the group (SIGTERM to npx alone leaves workerd listening). Shared by
 * `npm run dev`, the benchmarks and the browser tests.
 */
import { spawn, type ChildProcess } from "node:child_process";

export interface WranglerDev {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface WranglerDevOptions {
  cwd: string;
  port: number;
  vars: Record<string, string>;
  /** Print wrangler's output (dev) or keep it quiet (bench, tests). */
  inherit?: boolean;
  extraArgs?: string[];
  readyTimeoutMs?: number;
  /** wrangler's devtools port; unset, wrangler takes 9229 or the next free port. */
  inspectorPort?: number;
}

export async function startWranglerDev(options: WranglerDevOptions): Promise<WranglerDev> {
  const args = [
    "wrangler",
    "dev",
    "--port",
    String(options.port),
    "--ip",
    "127.0.0.1",
    "--show-interactive-dev-session=false",
    ...(options.inspectorPort ? ["--inspector-port", String(options.inspectorPort)] : []),
    ...(options.extraArgs ?? []),
    ...Object.entries(options.vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  const child = spawn("npx", args, {
    cwd: options.cwd,
    stdio: options.inherit ? "inherit" : ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const stop = async () => {
    for (const signal of ["SIGINT", "SIGKILL"] as const) {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output.slice(-2000)}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return { url, process: child, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not become ready:\n${output.slice(-2000)}`);
}
