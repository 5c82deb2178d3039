// Tenant migrations, generated against the `tenant_template` schema; the
// migrator rewrites that one quoted name to each tenant's schema.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema/tenant-template.ts",
  out: "./drizzle/tenant",
});
