/** vitest global setup of the browser tests: see environment.ts. */
import type { TestProject } from "vitest/node";
import { startE2eEnvironment, type E2eInfo } from "./environment";

declare module "vitest" {
  export interface ProvidedContext {
    e2e: E2eInfo;
  }
}

export default async function setup(project: TestProject) {
  const env = await startE2eEnvironment();
  console.log(`[e2e] ${env.info.embedded ? "embedded PGlite" : "Postgres at DATABASE_URL"}; wrangler dev on :${env.info.port}`);
  project.provide("e2e", env.info);
  return () => env.stop();
}
