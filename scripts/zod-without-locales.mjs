/**
 * Build alias for "zod" (wrangler.toml [alias]): the same exports as
 * `import { z } from "zod"`, minus what the Worker never uses.
 *
 * Why: @hono/zod-openapi passes the whole `z` namespace to
 * extendZodWithOpenApi(z) and re-exports it, so the bundler must keep every
 * export of the namespace, including `locales` and `core` (whose own `locales`
 * holds the same packs): 40-odd message packs, 364 KiB of the Worker. Local
 * exports shadow the ones re-exported by `export *`, so what they replace is
 * no longer reachable and is dropped:
 * - `locales`: English only (BookMe never switches zod's locale; its error
 *   messages are its own);
 * - `core`: see scripts/zod-core-without-locales.mjs (same, and no compiler);
 * - `compile`, `withParser` (schema compiler) and `fromJSONSchema`: unused.
 * tsc, vitest and Node keep resolving the real "zod"; only wrangler's bundle
 * (deploy and `wrangler dev`) uses this file.
 */
export * from "../node_modules/zod/v4/classic/external.js";
import en from "zod/v4/locales/en.js";
import * as z from "./zod-without-locales.mjs";
import * as core from "./zod-core-without-locales.mjs";

export const locales = { en };
export {
  compile,
  INVALID,
  withParser,
  ZodCompileAsyncError,
  ZodCompileUnsupportedError,
} from "./zod-core-without-locales.mjs";
export const fromJSONSchema = () => {
  throw new Error("zod's fromJSONSchema() is left out of the Worker bundle (scripts/zod-without-locales.mjs)");
};
export { core, z, z as default };
