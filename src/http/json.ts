/** Wire formats shared by every JSON response. */

/** An instant from the database (Date, timestamptz text or epoch ms) as ISO 8601 UTC; null stays null. */
export function iso(value: Date | string | number | null | undefined): string | null {
  return value === null || value === undefined ? null : new Date(value).toISOString();
}
