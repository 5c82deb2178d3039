/**
 * Runs in Node before any test: starts the database (PGlite unless
 * DATABASE_URL is set) behind the WebSocket proxy and the SQL-over-HTTP
 * endpoint (DB_RTT_MS adds a simulated round trip), migrates the shared schema
 * and hands the addresses to the workerd side through `provide`.
 */
import "../infra/node-driver";
import type { TestProject } from "vitest/node";
import { startLocalDatabase } from "../infra/local-database";
import { startMailCapture } from "../infra/mail-capture";
import { withClient } from "../src/db/client";
import { migrateShared } from "../src/db/migrations/migrator";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    proxyAddress: string;
    /** The local Neon-style SQL-over-HTTP endpoint (`http://127.0.0.1:<port>/sql`). */
    httpEndpoint: string;
    embedded: boolean;
    /** The capture sink standing in for the email API and webhook receivers. */
    mailCaptureUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const local = await startLocalDatabase({ databaseUrl: process.env.DATABASE_URL || undefined });
  await withClient({ databaseUrl: local.databaseUrl, proxy: local.proxyAddress }, (c) => migrateShared(c));
  console.log(`[tests] database: ${local.embedded ? "embedded PGlite" : "Postgres at DATABASE_URL"} via proxy ${local.proxyAddress}`);
  project.provide("databaseUrl", local.databaseUrl);
  project.provide("proxyAddress", local.proxyAddress);
  project.provide("httpEndpoint", local.httpEndpoint);
  project.provide("embedded", local.embedded);
  const mail = await startMailCapture();
  project.provide("mailCaptureUrl", mail.url);
  return async () => {
    await mail.close();
    await local.stop();
  };
}
