/**
 * Arithmetic on half-open epoch-ms intervals [start, end), plus a forward
 * cursor for containment tests over a sorted, disjoint list.
 *
 * Half-open means touching intervals do not overlap: a booking ending at
 * 10:00 leaves a 10:00 start free, and two touching working ranges merge
 * into one continuous shift.
 */
import type { Interval } from "./types";

export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Union of `intervals`, sorted, with overlapping and touching ones joined; empty ones dropped. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && i.start <= last.end) {
      if (i.end > last.end) last.end = i.end;
    } else {
      out.push({ start: i.start, end: i.end });
    }
  }
  return out;
}

/** Parts of `from` not covered by any interval of `remove`; sorted and disjoint. */
export function subtractIntervals(from: readonly Interval[], remove: readonly Interval[]): Interval[] {
  const base = mergeIntervals(from);
  const cut = mergeIntervals(remove);
  const out: Interval[] = [];
  let j = 0;
  for (const b of base) {
    let cursor = b.start;
    while (j < cut.length && cut[j]!.end <= cursor) j++;
    // cut[k] for k >= j may also affect later base intervals, so scan with k and keep j.
    for (let k = j; k < cut.length && cut[k]!.start < b.end; k++) {
      const c = cut[k]!;
      if (c.start > cursor) out.push({ start: cursor, end: c.start });
      if (c.end > cursor) cursor = c.end;
    }
    if (cursor < b.end) out.push({ start: cursor, end: b.end });
  }
  return out;
}

/**
 * Union of intervals given as parallel start/end arrays (each start < end),
 * as sorted disjoint parallel arrays; touching intervals are joined. The
 * union depends only on the sorted starts and the sorted ends, not on how
 * they pair up, so both are sorted natively (no comparator, no objects) and
 * swept with a depth counter: a run opens when depth leaves 0 and closes
 * when it returns to 0.
 */
export function unionSorted(starts: Float64Array, ends: Float64Array): { starts: Float64Array; ends: Float64Array } {
  const n = starts.length;
  // Callers' data usually arrives ordered (SQL ORDER BY); checking is cheaper than sorting.
  if (!isSorted(starts)) starts.sort();
  if (!isSorted(ends)) ends.sort();
  const outStarts = new Float64Array(n);
  const outEnds = new Float64Array(n);
  let runs = 0;
  let i = 0;
  let j = 0;
  let depth = 0;
  let runStart = 0;
  while (i < n) {
    if (starts[i]! <= ends[j]!) {
      if (depth++ === 0) runStart = starts[i]!;
      i++;
    } else {
      if (--depth === 0) {
        outStarts[runs] = runStart;
        outEnds[runs++] = ends[j]!;
      }
      j++;
    }
  }
  if (n > 0) {
    // Every start is consumed; the open run closes at the largest end.
    outStarts[runs] = runStart;
    outEnds[runs++] = ends[n - 1]!;
  }
  return { starts: outStarts.subarray(0, runs), ends: outEnds.subarray(0, runs) };
}

function isSorted(a: Float64Array): boolean {
  for (let k = 1; k < a.length; k++) if (a[k]! < a[k - 1]!) return false;
  return true;
}

/**
 * Answers "does one interval contain [start, end)?" for queries whose `end`
 * never decreases, in amortised O(1): an interval ending before `end` cannot
 * contain this query or any later one, so the cursor only moves forward.
 * A decreasing query (not produced by the engine) restarts the scan rather
 * than answering wrongly.
 */
export class ContainmentCursor {
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private i = 0;
  private lastEnd = -Infinity;

  /** Parallel arrays of sorted, disjoint intervals (unionSorted output). */
  constructor(starts: Float64Array, ends: Float64Array) {
    this.starts = starts;
    this.ends = ends;
  }

  /** `intervals` must be sorted and disjoint (mergeIntervals output). */
  static of(intervals: readonly Interval[]): ContainmentCursor {
    const starts = new Float64Array(intervals.length);
    const ends = new Float64Array(intervals.length);
    for (let k = 0; k < intervals.length; k++) {
      starts[k] = intervals[k]!.start;
      ends[k] = intervals[k]!.end;
    }
    return new ContainmentCursor(starts, ends);
  }

  get isEmpty(): boolean {
    return this.starts.length === 0;
  }

  contains(start: number, end: number): boolean {
    if (end < this.lastEnd) this.i = 0;
    this.lastEnd = end;
    const n = this.ends.length;
    while (this.i < n && this.ends[this.i]! < end) this.i++;
    return this.i < n && this.starts[this.i]! <= start;
  }
}
