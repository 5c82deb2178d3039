/**
 * Node-side tests (`npx vitest run --config vitest.node.config.ts`): tools that
 * run outside workerd, such as the admin CLI, driven as a person would drive
 * them (a child process against a real database).
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    include: ["test/**/*.node.ts"],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
