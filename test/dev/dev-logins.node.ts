/** The development logins of `npm run dev` (scripts/dev-logins.ts): never in production. */
import type { Client } from "@neondatabase/serverless";
import { describe, expect, it } from "vitest";
import { DEV_LOGINS, ensureDevLogins } from "../../scripts/dev-logins";
import { passwordProblems } from "../../src/auth/passwords";

describe("development logins", () => {
  it("are refused when APP_ENV=production, before touching the database", async () => {
    const untouchable = new Proxy(
      {},
      {
        get: () => {
          throw new Error("the database was touched");
        },
      },
    ) as Client;
    await expect(ensureDevLogins(untouchable, "production")).rejects.toThrow(/never created when APP_ENV=production/);
  });

  it("are an owner and a staff member whose passwords pass the password rules", () => {
    expect(DEV_LOGINS.map((l) => l.role)).toEqual(["owner", "staff"]);
    for (const login of DEV_LOGINS) expect(passwordProblems(login.password, login.email)).toEqual([]);
  });
});
