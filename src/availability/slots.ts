/**
 * Bookable start times for a service over a range of local dates.
 *
 * RULES (tests pin each one)
 *
 * 1. Working intervals. For every local date of the staff member's zone
 *    (staff.timeZone, else query.timeZone) that intersects the candidate
 *    range, the date override is used if one exists (ranges [] = day off),
 *    else the weekly rules of that ISO weekday. Local range boundaries
 *    become instants: a boundary in a skipped hour is clamped to the
 *    transition instant (so a range never reaches a wall time outside the
 *    one entered), a boundary in a repeated hour takes the earlier instant.
 *    Overlapping or touching intervals are merged, also across midnight.
 *
 * 2. Candidate starts are wall times of the tenant zone (query.timeZone) on
 *    each date from..to, at multiples of slotIntervalMin after local
 *    midnight (counting restarts at every midnight).
 *    DST POLICY: a wall time that does not exist that day (spring-forward
 *    gap) is skipped, not shifted; a wall time that occurs twice (fall-back)
 *    is offered once, at its earlier instant. So in the repeated hour only
 *    the first pass of the clock produces starts, and candidate instants are
 *    strictly increasing.
 *
 * 3. A candidate S is valid for a staff member when
 *    a. the appointment [S, S + duration) lies inside one working interval
 *       (buffers may extend outside working hours: they are the staff
 *       member's preparation time, not client time);
 *    b. the blocked period [S - bufferBefore, S + duration + bufferAfter)
 *       overlaps none of their busy blocks (half-open: touching is fine).
 *       Group services (capacity > 1): blocks with the query's serviceId and
 *       slotStart === S are the session at S and do not block; their seats
 *       (default 1 per block) are summed, and S is offered with
 *       seatsLeft = capacity - taken while taken < capacity. With capacity 1
 *       every block blocks;
 *    c. S >= now + minNotice;
 *    d. S < first instant of local date (today + bookingWindowDays) in the
 *       tenant zone, "today" being now's local date there. The window is
 *       whole local days, so it never ends mid-afternoon.
 *
 * 4. requiresResource: one resource must also pass 3b for the same blocked
 *    period. A new session may only take a resource with no block at all
 *    there; a client joining an existing session (taken > 0) prefers a
 *    resource already hosting a session at S, else a free one, so that two
 *    staff members never share a room by "joining" each other. Among
 *    acceptable resources the one with the fewest busy blocks overlapping
 *    that tenant-local date wins, tie -> resourceId ascending (code-unit
 *    order). For groups seatsLeft = capacity - max(staff taken, resource
 *    taken).
 *
 * 5. Without anyStaff, one slot per (start, staff member). With anyStaff each
 *    start appears once, given to the valid staff member with the fewest
 *    bookings (busy blocks that have a serviceId; time off does not count)
 *    overlapping that tenant-local date, tie -> position in the staff array.
 *
 * 6. Output is sorted by start, then staffId (code-unit order).
 *
 * 7. Inputs are validated cheaply and a RangeError names the bad field:
 *    durations/intervals must be positive integers, buffers/notice/window
 *    non-negative integers, capacity an integer >= 1, dates valid with
 *    from <= to, zones known to Temporal. After clamping to [today, last
 *    date of the booking window] at most MAX_ENGINE_DATES dates are computed.
 *
 * PERFORMANCE. Temporal is consulted a few times per zone and date (see
 * zone-clock.ts), never per candidate on ordinary dates. Everything in the
 * candidate loop is integer arithmetic on epoch ms; working intervals and
 * busy blocks are sorted once and swept with forward-only cursors, so the
 * work is O(dates × candidates × staff + blocks log blocks).
 */
import { BLOCKED, BusyIndex, assertBusyBlocks, countPerDay } from "./busy";
import { ContainmentCursor, unionSorted } from "./intervals";
import { MAX_ENGINE_DATES, MINUTE_MS, MINUTES_PER_DAY, parseLocalDate } from "./local-time";
import type { Interval, ResourceInput, Slot, SlotOptions, SlotQuery, StaffInput } from "./types";
import { compileSchedule, workingIntervals } from "./working-hours";
import { type ZoneClock, ZoneClocks, assertTimeZone, localEpochDayOf } from "./zone-clock";

function requireInteger(value: unknown, name: string, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

interface ValidQuery {
  fromDay: number;
  toDay: number;
}

function validateQuery(q: SlotQuery): ValidQuery {
  if (q === null || typeof q !== "object") throw new RangeError("query must be an object");
  if (typeof q.serviceId !== "string" || q.serviceId === "") throw new RangeError("serviceId must be a non-empty string");
  requireInteger(q.durationMin, "durationMin", 1);
  requireInteger(q.slotIntervalMin, "slotIntervalMin", 1);
  requireInteger(q.bufferBeforeMin, "bufferBeforeMin", 0);
  requireInteger(q.bufferAfterMin, "bufferAfterMin", 0);
  requireInteger(q.minNoticeMin, "minNoticeMin", 0);
  requireInteger(q.bookingWindowDays, "bookingWindowDays", 0);
  requireInteger(q.capacity, "capacity", 1);
  if (!Number.isFinite(q.now)) throw new RangeError(`now must be finite epoch milliseconds, got ${String(q.now)}`);
  assertTimeZone(q.timeZone, "timeZone");
  const fromDay = parseLocalDate(q.from, "from");
  const toDay = parseLocalDate(q.to, "to");
  if (fromDay > toDay) throw new RangeError(`from (${q.from}) must not be after to (${q.to})`);
  return { fromDay, toDay };
}

interface StaffState {
  readonly staffId: string;
  readonly working: ContainmentCursor;
  readonly busy: BusyIndex;
  /** Bookings per tenant-local date (anyStaff only). */
  readonly bookingsPerDay: Int32Array | null;
}

interface ResourceState {
  readonly resourceId: string;
  readonly busy: BusyIndex;
  readonly blocksPerDay: Int32Array;
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function computeSlots(
  query: SlotQuery,
  staff: readonly StaffInput[],
  resources: readonly ResourceInput[],
  opts: SlotOptions = {},
): Slot[] {
  const { fromDay, toDay } = validateQuery(query);
  if (!Array.isArray(staff)) throw new RangeError("staff must be an array");
  if (!Array.isArray(resources)) throw new RangeError("resources must be an array");
  const anyStaff = opts?.anyStaff === true;
  const tenantZone = query.timeZone;
  const capacity = query.capacity;

  // Rule 3c/3d as a date range: dates before today only hold starts before
  // now, and every start on or after date (today + window) is out of the
  // window, so clamping the dates enforces 3d exactly.
  const today = localEpochDayOf(tenantZone, query.now);
  const firstDay = Math.max(fromDay, today);
  const lastDay = Math.min(toDay, today + query.bookingWindowDays - 1);
  if (firstDay > lastDay || staff.length === 0) return [];
  const dayCount = lastDay - firstDay + 1;
  if (dayCount > MAX_ENGINE_DATES) {
    throw new RangeError(`at most ${MAX_ENGINE_DATES} dates can be computed at once, got ${dayCount} (${query.from}..${query.to})`);
  }

  const durationMs = query.durationMin * MINUTE_MS;
  const beforeMs = query.bufferBeforeMin * MINUTE_MS;
  const afterMs = query.bufferAfterMin * MINUTE_MS;
  const earliest = query.now + query.minNoticeMin * MINUTE_MS;

  const clocks = new ZoneClocks();
  const tenantClock = clocks.get(tenantZone);
  // One date past the range: tenant-zone schedules usually need it for
  // appointments that end after midnight, and a single build is cheaper.
  tenantClock.prepare(firstDay, lastDay + 1);
  const dayStarts = new Float64Array(dayCount + 1);
  for (let k = 0; k < dayCount; k++) dayStarts[k] = tenantClock.day(firstDay + k).startMs;
  dayStarts[dayCount] = tenantClock.day(lastDay).endMs;
  const rangeStart = dayStarts[0]!;
  const rangeEnd = dayStarts[dayCount]!;

  // Staff dates needed per zone: those holding any instant a valid
  // appointment can touch, i.e. [rangeStart, rangeEnd + duration).
  const staffDates = new Map<string, { first: number; last: number; clock: ZoneClock }>();
  const datesFor = (zone: string) => {
    let d = staffDates.get(zone);
    if (d === undefined) {
      const clock = clocks.get(zone);
      const first = zone === tenantZone ? firstDay : localEpochDayOf(zone, rangeStart);
      const last = localEpochDayOf(zone, rangeEnd - 1 + durationMs);
      clock.prepare(first, last);
      d = { first, last, clock };
      staffDates.set(zone, d);
    }
    return d;
  };

  const allWorking: Interval[] = [];
  const staffStates: StaffState[] = staff.map((s, i) => {
    const owner = `staff[${i}]`;
    if (s === null || typeof s !== "object" || typeof s.staffId !== "string") throw new RangeError(`${owner}.staffId must be a string`);
    const zone = s.timeZone ?? tenantZone;
    if (zone !== tenantZone) assertTimeZone(zone, `${owner}.timeZone`);
    assertBusyBlocks(s.busy, owner);
    const schedule = compileSchedule(s.weekly, s.overrides, owner);
    const { first, last, clock } = datesFor(zone);
    const working = workingIntervals(schedule, clock, first, last);
    for (const w of working) allWorking.push(w);
    return {
      staffId: s.staffId,
      working: ContainmentCursor.of(working),
      busy: new BusyIndex(s.busy, query.serviceId, capacity),
      bookingsPerDay: anyStaff ? countPerDay(s.busy, dayStarts, (b) => b.serviceId !== undefined) : null,
    };
  });

  const resourceStates: ResourceState[] = query.requiresResource
    ? resources.map((r, i) => {
        const owner = `resources[${i}]`;
        if (r === null || typeof r !== "object" || typeof r.resourceId !== "string")
          throw new RangeError(`${owner}.resourceId must be a string`);
        assertBusyBlocks(r.busy, owner);
        return {
          resourceId: r.resourceId,
          busy: new BusyIndex(r.busy, query.serviceId, capacity),
          blocksPerDay: countPerDay(r.busy, dayStarts, () => true),
        };
      })
    : [];
  if (query.requiresResource && resourceStates.length === 0) return [];

  // Union of everyone's working time: most candidates (nights, days off)
  // fall outside it and are dropped with one comparison instead of one per
  // staff member.
  const anyoneWorking = unionCursor(allWorking);
  const activeStaff = staffStates.map((_, i) => i).filter((i) => !staffStates[i]!.working.isEmpty);
  // Without anyStaff the visiting order is the output order (rule 6).
  const staffById = activeStaff.slice().sort((a, b) => byCodeUnits(staffStates[a]!.staffId, staffStates[b]!.staffId) || a - b);
  const resourceTaken = new Float64Array(resourceStates.length);
  const out: Slot[] = [];
  const stepMs = query.slotIntervalMin * MINUTE_MS;
  const dayWallMs = MINUTES_PER_DAY * MINUTE_MS;
  const blocked = BLOCKED;

  for (let k = 0; k < dayCount; k++) {
    const day = tenantClock.day(firstDay + k);
    const order = anyStaff
      ? activeStaff.slice().sort((a, b) => staffStates[a]!.bookingsPerDay![k]! - staffStates[b]!.bookingsPerDay![k]! || a - b)
      : staffById;
    if (order.length === 0) continue;
    const resourceOrder = resourceStates
      .map((_, r) => r)
      .sort(
        (a, b) =>
          resourceStates[a]!.blocksPerDay[k]! - resourceStates[b]!.blocksPerDay[k]! ||
          byCodeUnits(resourceStates[a]!.resourceId, resourceStates[b]!.resourceId),
      );

    for (let wall = 0; wall < dayWallMs; wall += stepMs) {
      const start = tenantClock.exact(day, wall);
      if (start === undefined || start < earliest) continue;
      const end = start + durationMs;
      if (!anyoneWorking.contains(start, end)) continue;
      const blockedStart = start - beforeMs;
      const blockedEnd = end + afterMs;
      let resourcesChecked = false;

      for (let o = 0; o < order.length; o++) {
        const st = staffStates[order[o]!]!;
        if (!st.working.contains(start, end)) continue;
        const staffTaken = st.busy.check(start, blockedStart, blockedEnd);
        if (staffTaken === blocked) continue;

        let resource: ResourceState | undefined;
        let taken = staffTaken;
        if (query.requiresResource) {
          if (!resourcesChecked) {
            for (let r = 0; r < resourceStates.length; r++)
              resourceTaken[r] = resourceStates[r]!.busy.check(start, blockedStart, blockedEnd);
            resourcesChecked = true;
          }
          const pick = pickResource(resourceOrder, resourceTaken, staffTaken > 0);
          if (pick < 0) continue;
          resource = resourceStates[pick];
          taken = Math.max(taken, resourceTaken[pick]!);
        }

        const slot: Slot = { start, end, blockedStart, blockedEnd, staffId: st.staffId };
        if (resource !== undefined) slot.resourceId = resource.resourceId;
        if (capacity > 1) slot.seatsLeft = capacity - taken;
        out.push(slot);
        if (anyStaff) break;
      }
    }
  }
  return out;
}

function unionCursor(intervals: readonly Interval[]): ContainmentCursor {
  const starts = new Float64Array(intervals.length);
  const ends = new Float64Array(intervals.length);
  for (let k = 0; k < intervals.length; k++) {
    starts[k] = intervals[k]!.start;
    ends[k] = intervals[k]!.end;
  }
  const union = unionSorted(starts, ends);
  return new ContainmentCursor(union.starts, union.ends);
}

/** Index of the resource to use (rule 4), or -1. `order` is already by fewest blocks, then id. */
function pickResource(order: readonly number[], taken: Float64Array, joining: boolean): number {
  let free = -1;
  for (const r of order) {
    const t = taken[r]!;
    if (t === BLOCKED) continue;
    if (t === 0) {
      if (!joining) return r;
      if (free < 0) free = r;
    } else if (joining) {
      return r;
    }
  }
  return free;
}
