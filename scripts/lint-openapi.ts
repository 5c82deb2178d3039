/**
 * `npm run lint:openapi`: builds the app in Node, dumps the OpenAPI document it
 * serves at /api/schema and lints it with Redocly (rules in redocly.yaml).
 * Exits non-zero on any error.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../src/app";

const res = await createApp().request("https://salon.bookme.ma/api/schema", {}, { APP_ENV: "production" });
if (res.status !== 200) {
  console.error(`/api/schema answered ${res.status}: ${await res.text()}`);
  process.exit(1);
}
const file = join(mkdtempSync(join(tmpdir(), "bookme-openapi-")), "openapi.json");
writeFileSync(file, JSON.stringify(await res.json(), null, 2));
const root = new URL("..", import.meta.url).pathname;
const lint = spawnSync(join(root, "node_modules/.bin/redocly"), ["lint", file, "--config", join(root, "redocly.yaml")], {
  stdio: "inherit",
  env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
});
process.exit(lint.status ?? 1);
