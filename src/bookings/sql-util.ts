/**
 * Running a statement that needs a lock taken by an earlier statement of the
 * same transaction, in ONE round trip. The Neon client (like node-postgres)
 * does not pipeline, and the extended protocol carries one statement, so the
 * lock and the statement travel as one simple-protocol query: Postgres runs a
 * multi-statement query as a single implicit transaction (all or nothing),
 * holds `pg_advisory_xact_lock` until its end, and in READ COMMITTED gives
 * each statement a fresh snapshot, so the statement after the lock sees every
 * row committed by the previous holder.
 *
 * The parameters are inlined as literals for that; the SQL text itself is
 * always ours (never user input), and strings are quoted the way libpq's
 * PQescapeLiteral does.
 */
import type { Client } from "@neondatabase/serverless";

export function escapeLiteral(value: string): string {
  if (value.includes("\u0000")) throw new TypeError("NUL characters cannot be sent to Postgres");
  let backslash = false;
  let out = "'";
  for (const ch of value) {
    if (ch === "'") out += "''";
    else if (ch === "\\") {
      out += "\\\\";
      backslash = true;
    } else out += ch;
  }
  out += "'";
  return backslash ? ` E${out}` : out;
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("non-finite number parameter");
    return String(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return escapeLiteral(value.toISOString());
  return escapeLiteral(String(value));
}

/** `$n` placeholders of our own SQL replaced by literals. */
export function inlineParams(text: string, params: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index < 0 || index >= params.length) throw new RangeError(`missing parameter $${n}`);
    return literal(params[index]);
  });
}

/** A signed 64-bit advisory lock key for a text key (FNV-1a, 64 bits), as a decimal literal. */
export function lockKey(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return BigInt.asIntN(64, h).toString();
}

/**
 * Runs `text` with `params`; with `locks`, first takes those transaction-level
 * advisory locks (in a fixed order, so two callers never wait on each other
 * crosswise) in the same round trip (see the file comment). Returns the rows
 * of the statement.
 */
export async function queryUnderLock<T>(client: Client, text: string, params: unknown[], locks: string[] = []): Promise<T[]> {
  if (locks.length === 0) return (await client.query(text, params)).rows as T[];
  const keys = [...new Set(locks.map(lockKey))].sort();
  const take = keys.map((k) => `SELECT pg_advisory_xact_lock(${k});`).join("\n");
  const result = (await client.query(`${take}\n${inlineParams(text, params)}`)) as unknown;
  const results = Array.isArray(result) ? result : [result];
  return (results[results.length - 1] as { rows: T[] }).rows;
}
