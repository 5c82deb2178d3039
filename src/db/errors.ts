/** Recognising the Postgres errors the code reacts to (by SQLSTATE, never by message text). */
import { Conflict } from "../domain/errors";
interface PgError {
  code?: string;
  constraint?: string;
}

/** The Postgres error itself: drizzle wraps driver errors and keeps the original as `cause`. */
export function pgCause(error: unknown): unknown {
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause && typeof cause === "object" && "code" in cause ? cause : error;
}

function pg(error: unknown): PgError {
  const e = pgCause(error);
  return typeof e === "object" && e !== null ? (e as PgError) : {};
}

/** The violated constraint's name for a unique violation (23505), else undefined. */
export function uniqueViolation(error: unknown): string | undefined {
  const e = pg(error);
  return e.code === "23505" ? e.constraint : undefined;
}

/** The constraint's name for an exclusion violation (23P01), else undefined. */
export function exclusionViolation(error: unknown): string | undefined {
  const e = pg(error);
  return e.code === "23P01" ? e.constraint : undefined;
}

export function pgErrorCode(error: unknown): string | undefined {
  return pg(error).code;
}

/** The violated constraint of any constraint error (unique, exclusion, check, foreign key). */
export function pgConstraint(error: unknown): string | undefined {
  return pg(error).constraint;
}

/**
 * The database could not be reached, hung up, or did not answer in time. Raised
 * by the request-scoped connection (`LazyDatabase`) for failures that carry no
 * SQLSTATE (socket closed, connect or query timeout), so the API can answer 503
 * instead of treating an outage as a bug.
 */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseUnavailableError";
  }
}

/**
 * SQLSTATEs that say "not now" rather than "not this": connection exceptions
 * (08…), insufficient resources (53…, e.g. too many connections), operator
 * intervention (57P01 terminated by an administrator, 57P02 crash, 57P03 cannot
 * connect now, 57014 cancelled by a statement timeout).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-3]$|57014$)/;

/** True when the error means the database is down, overloaded or timed out: worth retrying later. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof DatabaseUnavailableError) return true;
    const code = (e as PgError).code;
    if (typeof code === "string" && UNAVAILABLE_SQLSTATE.test(code)) return true;
  }
  return false;
}

/** Rethrows a unique violation of one of `fields` (constraint → field) as a Conflict naming the field. */
export function rethrowUnique(error: unknown, fields: Record<string, string>, what: string): never {
  const constraint = uniqueViolation(error);
  if (constraint && fields[constraint]) {
    const field = fields[constraint];
    throw new Conflict(`Another ${what} already has this ${field}.`, undefined, {}, [
      { field, message: `Already used by another ${what}.` },
    ]);
  }
  throw error;
}

/** A delete refused by a foreign key (23503): the row is still referenced, e.g. by bookings. */
export function rethrowReferenced(error: unknown, detail: string): never {
  if (pgErrorCode(error) === "23503") throw new Conflict(detail, "still_referenced");
  throw error;
}
