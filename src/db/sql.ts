/**
 * The small vocabulary every hand-written statement uses on top of drizzle's
 * `sql` template, so statements are built from the typed table objects
 * (`tenantTables(schema)`, the public tables): a renamed column fails `tsc`,
 * and values always travel as bind parameters, never spliced into the text.
 */
import { type Column, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { NeonHttpDatabase } from "drizzle-orm/neon-http";
import { type Queryable, rowsOf } from "./client";

/** `"col_a", "col_b"`: the bare column names, for an INSERT column list or a CTE's projection. */
export function columnList(...columns: Column[]): SQL {
  return sql.join(
    columns.map((c) => sql.identifier(c.name)),
    sql`, `,
  );
}

/** The bare (unqualified) name of one column: `"col"`, for `alias.col` forms and ON CONFLICT targets. */
export function columnName(column: Column): SQL {
  return sql`${sql.identifier(column.name)}`;
}

/**
 * Epoch ms of an instant as a raw statement returns it on either driver: the
 * text Postgres sent ("2026-11-30 10:00:00+00", made ISO before parsing), or a
 * Date/number from the query builder.
 */
export function instantMs(value: Date | string | number): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "number") return value;
  return new Date(value.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00")).getTime();
}

/** A signed 64-bit advisory lock key for a text key (FNV-1a, 64 bits), as a decimal string. */
export function lockKey(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return BigInt.asIntN(64, h).toString();
}

export function isHttp(db: Queryable): db is NeonHttpDatabase<Record<string, never>> {
  return db instanceof NeonHttpDatabase;
}

/**
 * Runs `statement` after taking transaction-level advisory locks on `locks`
 * (in a fixed order, so two callers never wait on each other crosswise), all
 * in one transaction, and returns the statement's rows.
 *
 * On the HTTP path that is ONE round trip: the lock statements and the
 * statement travel as one non-interactive transaction (`batch`), and in READ
 * COMMITTED the statement after the lock gets a fresh snapshot, so it sees
 * every row committed by the previous holder. On a WebSocket connection (or
 * inside an open transaction) the same runs as an interactive transaction.
 */
export async function underLocks<T>(db: Queryable, locks: readonly string[], statement: SQL): Promise<T[]> {
  if (locks.length === 0) return rowsOf<T>(db, statement);
  const keys = [...new Set(locks.map(lockKey))].sort();
  const lockStatements = keys.map((k) => sql`SELECT pg_advisory_xact_lock(${k}::bigint)`);
  if (isHttp(db)) {
    const [first, ...rest] = [...lockStatements.map((s) => db.execute(s)), db.execute(statement)];
    const results = (await db.batch([first!, ...rest])) as unknown as { rows: T[] }[];
    return results[results.length - 1]!.rows;
  }
  return db.transaction(async (tx) => {
    for (const lock of lockStatements) await tx.execute(lock);
    return rowsOf<T>(tx, statement);
  });
}

/** A statement drizzle can put in a `batch`, whose result is `R`. */
type Statement<R = unknown> = BatchItem<"pg"> & { readonly _: { readonly result: R } };

/**
 * Runs the statements `build` makes, in order, as ONE transaction (all or
 * nothing): `last` is the last statement's result, `all` every result in
 * order. On the HTTP path that is one `batch`: one round trip. On a WebSocket
 * connection (or inside an open transaction) the same runs as an interactive
 * transaction. For statements that need no JS decision between them (make the
 * writes carry their own conditions, and judge the results afterwards).
 */
export async function inOneTransaction<R>(
  db: Queryable,
  build: (q: Queryable) => [...Statement[], Statement<R>],
): Promise<{ all: unknown[]; last: R }> {
  let all: unknown[];
  if (isHttp(db)) {
    const [first, ...rest] = build(db);
    all = (await db.batch([first!, ...rest])) as unknown[];
  } else {
    all = await db.transaction(async (tx) => {
      const results: unknown[] = [];
      for (const statement of build(tx)) results.push(await (statement as unknown as PromiseLike<unknown>));
      return results;
    });
  }
  return { all, last: all[all.length - 1] as R };
}
