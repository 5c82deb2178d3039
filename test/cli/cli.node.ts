/**
 * The admin CLI as a person meets it: spawned through its launcher (the
 * bundled build `npm run cli` uses) against a fresh database of its own — a
 * scratch database on the Postgres at DATABASE_URL, else an in-memory PGlite —
 * and against a port nobody listens on.
 */
import "../../infra/node-driver";
import { spawn } from "node:child_process";
import { statSync, utimesSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalDatabase, type LocalDatabase } from "../../infra/local-database";
import { withClient } from "../../src/db/client";

const ROOT = new URL("../..", import.meta.url).pathname;
const BUNDLE = join(ROOT, ".cache/cli.mjs");
const MIGRATE_FIRST = "run `npm run cli -- migrate --shared` first";

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(databaseUrl: string, ...args: string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    // Async on purpose: the in-memory PGlite answers from this very process.
    const child = spawn(process.execPath, ["cli/run.mjs", ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, BOOKME_SUPERUSER_PASSWORD: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A database no migration has touched, and how to get rid of it. */
async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const local: LocalDatabase = await startLocalDatabase();
    return { url: local.databaseUrl, drop: () => local.stop() };
  }
  const maintenance = new URL(base);
  maintenance.pathname = "/postgres";
  const name = `${new URL(base).pathname.slice(1)}_cli_${Math.random().toString(36).slice(2, 8)}`;
  const local = await startLocalDatabase({ databaseUrl: maintenance.toString() });
  const admin = { databaseUrl: maintenance.toString(), proxy: local.proxyAddress };
  await withClient(admin, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      await local.stop();
    },
  };
}

describe("admin CLI", () => {
  let db: { url: string; drop(): Promise<void> };
  let nowhere: string;

  beforeAll(async () => {
    db = await freshDatabase();
    nowhere = `postgres://postgres@127.0.0.1:${await closedPort()}/bookme`;
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("refuses a bad --concurrency naming the flag, before touching the database", async () => {
    for (const value of ["abc", "0", "2.5", "-3"]) {
      const r = await cli(nowhere, "migrate", `--concurrency=${value}`);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--concurrency must be a whole number from 1 to 64 (got "${value}")`);
      expect(r.stderr).not.toContain("cannot reach");
    }
  });

  it("names the missing flags of tenant create and refuses --shared with --tenant", async () => {
    const missing = await cli(nowhere, "tenant", "create", "--slug", "abc");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing --name, --domain, --email");
    const both = await cli(nowhere, "migrate", "--shared", "--tenant", "abc");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--shared and --tenant cannot be combined");
  });

  it("answers an unknown command with exit 2 and the command list", async () => {
    const r = await cli(nowhere, "migrat");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "migrat"');
    expect(r.stderr).toContain("migrate --shared");
  });

  it("says it cannot reach the database at host:port when nothing listens there", async () => {
    const port = new URL(nowhere).port;
    for (const args of [["migrate"], ["migrate", "--shared"], ["tenant", "list"]]) {
      const r = await cli(nowhere, ...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`cannot reach the database at 127.0.0.1:${port}`);
    }
  });

  it("refuses a DATABASE_URL that is not a postgres:// URL", async () => {
    const r = await cli("http://127.0.0.1:5432/x", "tenant", "list");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("DATABASE_URL must start with postgres://");
  });

  it("tells every command on a fresh database to run migrate --shared first, and changes nothing", async () => {
    const attempts = [
      ["migrate"],
      ["migrate", "--tenant", "abc"],
      ["tenant", "list"],
      ["tenant", "create", "--slug", "abc", "--name", "A", "--domain", "abc.test", "--email", "owner@abc.test"],
      ["createsuperuser", "--email", "root@abc.test", "--password", "Correct-horse-42"],
      ["seed", "demo"],
    ];
    for (const args of attempts) {
      const r = await cli(db.url, ...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr, args.join(" ")).toContain(MIGRATE_FIRST);
    }
    const local = await startLocalDatabase({ databaseUrl: db.url });
    try {
      const { rows } = await withClient({ databaseUrl: db.url, proxy: local.proxyAddress }, (c) =>
        c.query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'tenant_%'`),
      );
      expect(rows[0].n).toBe(0);
    } finally {
      await local.stop();
    }
  });

  it("migrates the shared schema, then fails with exit 1 for an unknown --tenant", async () => {
    const shared = await cli(db.url, "migrate", "--shared");
    expect(shared.code, shared.stderr).toBe(0);
    expect(shared.stdout).toContain("applied");

    const nope = await cli(db.url, "migrate", "--tenant", "nope");
    expect(nope.code).toBe(1);
    expect(nope.stderr).toContain("no tenant with --tenant nope");
  });

  it("names flags, not internal field names, when tenant details are invalid", async () => {
    const r = await cli(
      db.url,
      "tenant",
      "create",
      "--slug",
      "abc",
      "--name",
      "A",
      "--domain",
      "abc.test",
      "--email",
      "nope",
      "--timezone",
      "Mars/Base",
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--email:");
    expect(r.stderr).toContain("--timezone: unknown IANA time zone");
    expect(r.stderr).not.toMatch(/contactEmail|timeZone/);
  });

  it("creates a tenant and migrates it by --tenant with exit 0", async () => {
    const created = await cli(
      db.url,
      "tenant",
      "create",
      "--slug",
      "abc",
      "--name",
      "A",
      "--domain",
      "abc.test",
      "--email",
      "owner@abc.test",
    );
    expect(created.code, created.stderr).toBe(0);
    const again = await cli(
      db.url,
      "tenant",
      "create",
      "--slug",
      "abc",
      "--name",
      "A",
      "--domain",
      "abc2.test",
      "--email",
      "owner@abc.test",
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("--slug: already taken");
    const one = await cli(db.url, "migrate", "--tenant", "abc", "--concurrency", "2");
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain("tenant abc is up to date");
  });

  it("runs from one bundle, rebuilt only when a source file changed", async () => {
    await cli(nowhere, "--help");
    const built = statSync(BUNDLE).mtimeMs;
    const help = await cli(nowhere, "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("bookme — admin CLI");
    expect(statSync(BUNDLE).mtimeMs).toBe(built);

    const source = join(ROOT, "cli/flags.ts");
    const later = new Date(Math.max(Date.now(), built + 1000));
    utimesSync(source, later, later);
    await cli(nowhere, "--help");
    expect(statSync(BUNDLE).mtimeMs).toBeGreaterThan(built);
  });
});
