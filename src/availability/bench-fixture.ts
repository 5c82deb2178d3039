/**
 * Realistic, deterministic inputs for timing computeSlots (the benchmark
 * harness times it; tests do not). Building the fixture may be slow: it uses
 * Temporal freely, outside the timed region.
 *
 * Shape: tenant in Europe/Paris, range starting 2026-03-01 so a 31-day run
 * includes the spring-forward date; each staff member works Mon-Sat in two
 * ranges with a lunch break (four shift patterns), has ~10 bookings on each
 * working day (15/20/30-min services with 5-min buffers, some group), a
 * few time-off blocks, and staff in three rooms share bookings so the
 * resource path can be timed by flipping query.requiresResource.
 */
import { Temporal } from 'temporal-polyfill';
import type { BusyBlock, ResourceInput, SlotQuery, StaffInput, WeeklyRule } from './types';

export interface BenchFixture {
  query: SlotQuery;
  staff: StaffInput[];
  resources: ResourceInput[];
}

const ZONE = 'Europe/Paris';
const FIRST_DATE = Temporal.PlainDate.from('2026-03-01');

const SHIFTS: ReadonlyArray<readonly [string, string, string, string]> = [
  ['09:00', '12:30', '13:30', '18:00'],
  ['08:00', '12:00', '13:00', '17:00'],
  ['10:00', '14:00', '15:00', '19:00'],
  ['09:30', '13:00', '14:00', '18:30'],
];

// Small LCG so the fixture is identical on every run and runtime.
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

function toMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function instant(date: Temporal.PlainDate, minute: number): number {
  return date
    .toPlainDateTime({ hour: Math.floor(minute / 60), minute: minute % 60 })
    .toZonedDateTime(ZONE, { disambiguation: 'compatible' }).epochMilliseconds;
}

export function buildBenchFixture(staffCount = 20, days = 31): BenchFixture {
  const random = rng(0x5107 + staffCount * 31 + days);
  const roomCount = 3;
  const roomBusy: BusyBlock[][] = Array.from({ length: roomCount }, () => []);
  const staff: StaffInput[] = [];

  for (let s = 0; s < staffCount; s++) {
    const shift = SHIFTS[s % SHIFTS.length]!;
    const weekly: WeeklyRule[] = [];
    for (const weekday of [1, 2, 3, 4, 5, 6] as const) {
      weekly.push({ weekday, start: shift[0], end: shift[1] }, { weekday, start: shift[2], end: shift[3] });
    }
    const busy: BusyBlock[] = [];
    for (let d = 0; d < days; d++) {
      const date = FIRST_DATE.add({ days: d });
      if (date.dayOfWeek === 7) continue;
      // ~10 bookings: walk each range, placing appointments with random gaps.
      for (const [from, to] of [[shift[0], shift[1]], [shift[2], shift[3]]] as const) {
        let cursor = toMinutes(from);
        const rangeEnd = toMinutes(to);
        for (let b = 0; b < 5; b++) {
          cursor += 5 + Math.floor(random() * 3) * 5;
          const duration = [15, 20, 30][Math.floor(random() * 3)]!;
          if (cursor + duration + 5 > rangeEnd) break;
          const group = random() < 0.1;
          const block: BusyBlock = {
            start: instant(date, cursor - 5),
            end: instant(date, cursor + duration + 5),
            serviceId: group ? 'svc-group' : `svc-${duration}`,
            ...(group ? { slotStart: instant(date, cursor), seats: 1 + Math.floor(random() * 3) } : {}),
          };
          busy.push(block);
          if (random() < 0.5) roomBusy[Math.floor(random() * roomCount)]!.push({ ...block });
          cursor += duration + 5;
        }
      }
    }
    // A couple of half-day time-off blocks per month.
    for (let t = 0; t < Math.max(1, Math.floor(days / 15)); t++) {
      const date = FIRST_DATE.add({ days: Math.floor(random() * days) });
      busy.push({ start: instant(date, toMinutes(shift[0])), end: instant(date, toMinutes(shift[1])) });
    }
    // Caller data arrives unsorted; the engine must not rely on order.
    for (let i = busy.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [busy[i], busy[j]] = [busy[j]!, busy[i]!];
    }
    staff.push({
      staffId: `staff-${String(s).padStart(2, '0')}`,
      weekly,
      overrides: s % 5 === 0 ? [{ date: FIRST_DATE.add({ days: 9 }).toString(), ranges: [] }] : [],
      busy,
    });
  }

  const query: SlotQuery = {
    serviceId: 'svc-30',
    from: FIRST_DATE.toString(),
    to: FIRST_DATE.add({ days: days - 1 }).toString(),
    timeZone: ZONE,
    durationMin: 30,
    bufferBeforeMin: 5,
    bufferAfterMin: 5,
    slotIntervalMin: 15,
    minNoticeMin: 120,
    bookingWindowDays: 365,
    now: instant(FIRST_DATE.subtract({ days: 1 }), 12 * 60),
    capacity: 1,
    requiresResource: false,
  };
  const resources: ResourceInput[] = roomBusy.map((busy, r) => ({ resourceId: `room-${r + 1}`, busy }));
  return { query, staff, resources };
}
