/**
 * `z.core` for scripts/zod-without-locales.mjs: zod/v4/core with English as
 * its only locale and without the schema compiler (`compile`, `withParser`:
 * 31 KiB, unused by BookMe); calling them says so instead of failing oddly.
 */
export * from "zod/v4/core";
import en from "zod/v4/locales/en.js";

export const locales = { en };

function notBundled(name) {
  return () => {
    throw new Error(`zod's ${name}() is left out of the Worker bundle (scripts/zod-core-without-locales.mjs)`);
  };
}
export const compile = notBundled("compile");
export const compileFn = notBundled("compileFn");
export const withParser = notBundled("withParser");
export const INVALID = Symbol.for("zod.compile.invalid");
export class ZodCompileAsyncError extends Error {}
export class ZodCompileUnsupportedError extends Error {}
