/**
 * Checks made before a command touches the database, so that the usual
 * first-run mistakes (Postgres not started, wrong port, shared schema never
 * migrated) get one sentence saying what to do instead of a driver error.
 */
import { connect as tcpConnect } from "node:net";
import { sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "../src/db/client";
import { sharedMigrations } from "../src/db/migrations/bundle.generated";

/** An error whose message is meant for the person at the terminal, as is. */
export class CliError extends Error {
  constructor(
    message: string,
    /** 2 for a mistake in the command line, 1 for everything else. */
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export function databaseAddress(databaseUrl: string): { host: string; port: number } {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new CliError("DATABASE_URL is not a URL: expected postgres://user:password@host:port/database");
  }
  if (!/^postgres(ql)?:$/.test(url.protocol)) {
    throw new CliError(`DATABASE_URL must start with postgres:// (got ${url.protocol}//…)`);
  }
  return { host: url.hostname, port: Number(url.port || 5432) };
}

/**
 * Opens and closes one TCP connection to the database's address. The local
 * proxy only connects once the driver asks, and then reports a refused port as
 * a closed WebSocket; probing first names the address that is wrong.
 */
export function assertReachable(address: { host: string; port: number }, timeoutMs = 5000): Promise<void> {
  const where = `${address.host}:${address.port}`;
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: address.host, port: address.port });
    const fail = (why: string) => {
      socket.destroy();
      reject(new CliError(`cannot reach the database at ${where} (${why}): is Postgres running there? Check DATABASE_URL.`));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer in ${timeoutMs / 1000} s`));
    socket.once("error", (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    socket.once("connect", () => {
      socket.destroy();
      resolve();
    });
  });
}

const MIGRATE_SHARED = "npm run cli -- migrate --shared";

/** Throws unless every bundled shared migration is recorded as applied. */
export async function assertSharedSchema(db: Queryable): Promise<void> {
  const [history] = await rowsOf<{ ready: boolean }>(db, sql`SELECT to_regclass('bookme_migrations') IS NOT NULL AS ready`);
  if (!history?.ready) {
    throw new CliError(`this database has no BookMe schema yet: run \`${MIGRATE_SHARED}\` first`);
  }
  const { appliedSharedTags } = await import("../src/db/migrations/migrator");
  const applied = new Set(await appliedSharedTags(db));
  const missing = sharedMigrations.filter((m) => !applied.has(m.tag)).map((m) => m.tag);
  if (missing.length) {
    throw new CliError(`the shared schema is behind (not applied: ${missing.join(", ")}): run \`${MIGRATE_SHARED}\` first`);
  }
}
