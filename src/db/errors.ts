/** Recognising the Postgres errors the code reacts to (by SQLSTATE, never by message text). */
interface PgError {
  code?: string;
  constraint?: string;
}

function pg(error: unknown): PgError {
  return typeof error === "object" && error !== null ? (error as PgError) : {};
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
