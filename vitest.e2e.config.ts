/**
 * Browser tests (`npx vitest run --config vitest.e2e.config.ts`): Node, not
 * workerd. Debian's Chromium drives the pages served by `wrangler dev`
 * against a real database; see test/e2e/environment.ts.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    include: ["test/e2e/**/*.e2e.ts"],
    globalSetup: ["./test/e2e/global-setup.ts"],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 90_000,
    hookTimeout: 180_000,
  },
});
