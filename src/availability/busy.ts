/**
 * Conflict checks of candidate blocked periods against one calendar's busy
 * blocks (a staff member's or a resource's), including joinable group
 * sessions.
 *
 * Blocks are split once into
 * - hard blocks, which block every overlapping candidate: merged into a
 *   sorted disjoint list, so a week of time off costs one comparison;
 * - session blocks (group service, same serviceId, known slotStart), which
 *   block every overlapping candidate except the one starting exactly at
 *   their slotStart, where they contribute taken seats instead.
 * Both lists are swept with forward-only indexes because the engine asks
 * about candidates in increasing time order.
 */
import { unionSorted } from "./intervals";
import type { BusyBlock } from "./types";

/** check() result meaning the candidate is blocked. */
export const BLOCKED = -1;

export function assertBusyBlocks(blocks: unknown, owner: string): asserts blocks is BusyBlock[] {
  if (!Array.isArray(blocks)) throw new RangeError(`${owner}.busy must be an array`);
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i] as BusyBlock;
    if (!Number.isFinite(b?.start) || !Number.isFinite(b.end) || b.end < b.start) {
      throw new RangeError(`${owner}.busy[${i}] must have finite start <= end (epoch ms)`);
    }
  }
}

export class BusyIndex {
  private readonly hardStart: Float64Array;
  private readonly hardEnd: Float64Array;
  private readonly sessStart: Float64Array;
  private readonly sessEnd: Float64Array;
  private readonly sessSlot: Float64Array;
  private readonly sessSeats: Float64Array;
  private h = 0;
  private s = 0;
  private lastFrom = -Infinity;

  /**
   * `capacity` > 1 enables joining. A session block without `seats` counts as
   * one seat, so both "one block per attendee" and "one block per session
   * with a seat count" storage styles give the right total.
   */
  constructor(
    blocks: readonly BusyBlock[],
    serviceId: string,
    private readonly capacity: number,
  ) {
    const hardStart = new Float64Array(blocks.length);
    const hardEnd = new Float64Array(blocks.length);
    let hard = 0;
    const sessions: BusyBlock[] = [];
    for (const b of blocks) {
      if (b.end <= b.start) continue;
      if (capacity > 1 && b.serviceId === serviceId && typeof b.slotStart === "number") {
        sessions.push(b);
      } else {
        hardStart[hard] = b.start;
        hardEnd[hard++] = b.end;
      }
    }
    const merged = unionSorted(hardStart.subarray(0, hard), hardEnd.subarray(0, hard));
    this.hardStart = merged.starts;
    this.hardEnd = merged.ends;
    sessions.sort((a, b) => a.start - b.start);
    this.sessStart = Float64Array.from(sessions, (x) => x.start);
    this.sessEnd = Float64Array.from(sessions, (x) => x.end);
    this.sessSlot = Float64Array.from(sessions, (x) => x.slotStart!);
    this.sessSeats = Float64Array.from(sessions, (x) => (typeof x.seats === "number" ? x.seats : 1));
  }

  /**
   * For a candidate starting at `slotStart` whose blocked period is
   * [from, to): BLOCKED, or the number of seats already taken in a joinable
   * session at that start (0 when nothing is there). `from` must not
   * decrease between calls; if it does, the sweep restarts (slower, correct).
   */
  check(slotStart: number, from: number, to: number): number {
    if (from < this.lastFrom) {
      this.h = 0;
      this.s = 0;
    }
    this.lastFrom = from;

    const hardEnd = this.hardEnd;
    while (this.h < hardEnd.length && hardEnd[this.h]! <= from) this.h++;
    if (this.h < hardEnd.length && this.hardStart[this.h]! < to) return BLOCKED;

    const sessEnd = this.sessEnd;
    if (sessEnd.length === 0) return 0;
    // Only a prefix of already-finished sessions may be skipped for good;
    // finished ones further in are filtered in the scan below.
    while (this.s < sessEnd.length && sessEnd[this.s]! <= from) this.s++;
    let taken = 0;
    for (let j = this.s; j < sessEnd.length && this.sessStart[j]! < to; j++) {
      if (sessEnd[j]! <= from) continue;
      if (this.sessSlot[j] !== slotStart) return BLOCKED;
      taken += this.sessSeats[j]!;
    }
    return taken >= this.capacity ? BLOCKED : taken;
  }
}

/**
 * Per local day (given as consecutive [dayStarts[k], dayStarts[k+1]) ranges),
 * how many of `blocks` overlap it. Used for the least-booked tie-breaks.
 */
export function countPerDay(blocks: readonly BusyBlock[], dayStarts: Float64Array, include: (b: BusyBlock) => boolean): Int32Array {
  const days = dayStarts.length - 1;
  const counts = new Int32Array(Math.max(days, 0));
  for (const b of blocks) {
    if (b.end <= b.start || !include(b)) continue;
    // First day whose end is after the block start.
    let lo = 0;
    let hi = days;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (dayStarts[mid + 1]! > b.start) hi = mid;
      else lo = mid + 1;
    }
    for (let k = lo; k < days && dayStarts[k]! < b.end; k++) counts[k]!++;
  }
  return counts;
}
