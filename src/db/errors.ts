/** Recognising the Postgres errors the code reacts to (by SQLSTATE, never by message text). */
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
