/**
 * Data shapes of the slot engine. Instants are epoch milliseconds (UTC);
 * local dates are 'YYYY-MM-DD'; local times are 'HH:MM' (24h, an end may be '24:00').
 */

/** Wall-clock range in the schedule's zone; end > start. */
export interface LocalRange {
  start: string;
  end: string;
}

/** ISO weekday, Monday = 1. Several rules on one weekday express breaks. */
export interface WeeklyRule extends LocalRange {
  weekday: 1 | 2 | 3 | 4 | 5 | 6 | 7;
}

/** Replaces the weekly rules of `date`; `ranges: []` is a day off. */
export interface DateOverride {
  date: string;
  ranges: LocalRange[];
}

/** Half-open [start, end) in epoch ms. */
export interface Interval {
  start: number;
  end: number;
}

/**
 * The BLOCKED period of an existing booking (buffers included), or time off
 * (no serviceId). For group services, `slotStart` identifies the session and
 * `seats` how many seats the block holds.
 */
export interface BusyBlock extends Interval {
  serviceId?: string;
  seats?: number;
  slotStart?: number;
}

export interface StaffInput {
  staffId: string;
  /** IANA zone of the staff member's rules; defaults to the query's zone. */
  timeZone?: string;
  weekly: WeeklyRule[];
  overrides: DateOverride[];
  busy: BusyBlock[];
}

export interface ResourceInput {
  resourceId: string;
  busy: BusyBlock[];
}

export interface SlotQuery {
  serviceId: string;
  /** Inclusive local dates in `timeZone`. */
  from: string;
  to: string;
  /** Tenant IANA zone: candidate starts are aligned to its wall clock. */
  timeZone: string;
  durationMin: number;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  slotIntervalMin: number;
  minNoticeMin: number;
  bookingWindowDays: number;
  now: number;
  /** 1 = one client per slot; > 1 = group session with that many seats. */
  capacity: number;
  /** When true a slot also needs one free resource from `resources`. */
  requiresResource: boolean;
}

export interface SlotOptions {
  /** Offer each start once, assigned to the least-booked qualifying staff member. */
  anyStaff?: boolean;
}

export interface Slot {
  start: number;
  /** Appointment end, without buffers. */
  end: number;
  blockedStart: number;
  blockedEnd: number;
  staffId: string;
  resourceId?: string;
  /** Group services only (capacity > 1). */
  seatsLeft?: number;
}
