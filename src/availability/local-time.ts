/**
 * Zone-free calendar arithmetic on ISO dates and wall times.
 *
 * Dates are handled as "epoch days" (days since 1970-01-01 in the proleptic
 * Gregorian calendar) so that iterating a month of dates is integer addition
 * instead of a Temporal call per step (Temporal calls cost ~10-30 µs each in
 * the polyfill). Nothing here knows about time zones; mapping a wall time to
 * an instant is zone-clock.ts's job.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
export const MINUTES_PER_DAY = 1440;
/** Upper bound on dates computed per call; protects the Worker's CPU budget. */
export const MAX_ENGINE_DATES = 366;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})$/;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

// Howard Hinnant's days_from_civil: exact for every Gregorian date, no Date
// object involved (Date.UTC silently maps years 0-99 to 1900-1999).
export function epochDayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromEpochDay(epochDay: number): CivilDate {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Parses 'YYYY-MM-DD' strictly (no rollover of 2026-02-30); throws RangeError naming `what`. */
export function parseLocalDate(value: unknown, what: string): number {
  const m = typeof value === "string" ? DATE_RE.exec(value) : null;
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    const epochDay = epochDayFromCivil(year, month, day);
    const back = civilFromEpochDay(epochDay);
    if (back.year === year && back.month === month && back.day === day) return epochDay;
  }
  throw new RangeError(`${what} must be a valid date 'YYYY-MM-DD', got ${JSON.stringify(value)}`);
}

export function formatLocalDate(epochDay: number): string {
  const { year, month, day } = civilFromEpochDay(epochDay);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** ISO weekday of an epoch day, Monday = 1 (1970-01-01 was a Thursday). */
export function isoWeekday(epochDay: number): 1 | 2 | 3 | 4 | 5 | 6 | 7 {
  return (((((epochDay + 3) % 7) + 7) % 7) + 1) as 1 | 2 | 3 | 4 | 5 | 6 | 7;
}

/**
 * Parses 'HH:MM' into minutes after local midnight. '24:00' (= 1440) is only
 * meaningful as a range end, which the caller enforces via `end > start`.
 */
export function parseLocalTime(value: unknown, what: string): number {
  const m = typeof value === "string" ? TIME_RE.exec(value) : null;
  if (m) {
    const hours = Number(m[1]);
    const minutes = Number(m[2]);
    if ((hours < 24 && minutes < 60) || (hours === 24 && minutes === 0)) return hours * 60 + minutes;
  }
  throw new RangeError(`${what} must be a time 'HH:MM' between 00:00 and 24:00, got ${JSON.stringify(value)}`);
}
