/**
 * Reading flag values after `parseArgs`, with refusals that name the flag as
 * typed (`--concurrency`), never the field it ends up in.
 */
import { DomainError } from "../src/domain/errors";
import { toApiError } from "../src/http/errors";
import { ApiError } from "../src/http/problem";
import { CliError } from "./preflight";

export type Values = Record<string, string | boolean | undefined>;

export const usage = (message: string) => new CliError(message, 2);

export function requireFlags(values: Values, names: string[]): void {
  const missing = names.filter((n) => typeof values[n] !== "string" || !(values[n] as string).trim());
  if (missing.length) throw usage(`missing ${missing.map((n) => `--${n}`).join(", ")}`);
}

export function stringFlag(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

/** A whole number in [min, max]; `fallback` when the flag is absent. */
export function integerFlag(values: Values, name: string, range: { min: number; max: number; fallback: number }): number {
  const raw = stringFlag(values, name);
  if (raw === undefined) return range.fallback;
  const n = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw usage(`--${name} must be a whole number from ${range.min} to ${range.max} (got "${raw}")`);
  }
  return n;
}

/**
 * An error from the shared code, worded for the terminal. An ApiError's detail
 * already says what failed, and each field it names is shown as the flag that
 * fed it (`flagOf` maps the exceptions, e.g. contactEmail → email); anything
 * else gets `failed` in front.
 */
export function explain(thrown: unknown, failed: string, flagOf: Record<string, string> = {}): string {
  const error = thrown instanceof DomainError ? toApiError(thrown) : thrown;
  if (error instanceof ApiError) {
    const fields = error.errors?.map((e) => `\n  --${flagOf[e.field] ?? e.field}: ${e.message}`).join("") ?? "";
    return `${error.message}${fields}`;
  }
  return `${failed}: ${thrown instanceof Error ? thrown.message : String(thrown)}`;
}
