import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Test-only secret; real ones come from `wrangler secret put`.
const TEST_JWT_SECRET = "test-secret-test-secret-test-secret-0123456789";

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      main: "./src/index.ts",
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          DATABASE_URL: inject("databaseUrl"),
          DB_PROXY: inject("proxyAddress"),
          DB_HTTP_ENDPOINT: inject("httpEndpoint"),
          EMBEDDED_DB: inject("embedded") ? "1" : "",
          JWT_SECRET: TEST_JWT_SECRET,
          APP_ENV: "test",
          PLATFORM_HOSTS: "localhost,platform.test",
          MAX_BODY_BYTES: "16384",
          EMAIL_API_URL: `${inject("mailCaptureUrl")}/emails`,
          EMAIL_API_KEY: "test",
          EMAIL_FROM: "BookMe Test <no-reply@bookme.test>",
          WHATSAPP_APP_SECRET: "test-whatsapp-app-secret",
          WHATSAPP_VERIFY_TOKEN: "test-verify-token",
        },
      },
    })),
  ],
  test: {
    globalSetup: ["./test/global-setup.ts"],
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Two cores, and the embedded database serves one query at a time.
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
