// Shared (public schema) migrations. Tenant migrations: drizzle.tenant.config.ts.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema/public.ts",
  out: "./drizzle/public",
});
