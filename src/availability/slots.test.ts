import { describe, expect, it } from "vitest";
import { computeSlots } from "./index";
import { EVERY_DAY, at, block, datedStartsIn, hhmm, makeQuery, makeStaff, rules, startsIn } from "../../test/support/slot-fixtures";

const PARIS = "Europe/Paris";
const MON = "2026-03-02";
const TUE = "2026-03-03";

describe("working hours", () => {
  it("offers 09:00-11:00 every 30 min for a 60-min service on a Monday 09:00-12:00", () => {
    const slots = computeSlots(makeQuery(), [makeStaff("ann", { weekly: rules([1], ["09:00", "12:00"]) })], []);
    expect(startsIn(slots, PARIS)).toEqual(["09:00", "09:30", "10:00", "10:30", "11:00"]);
    expect(slots[0]).toEqual({
      start: at(PARIS, MON, "09:00"),
      end: at(PARIS, MON, "10:00"),
      blockedStart: at(PARIS, MON, "09:00"),
      blockedEnd: at(PARIS, MON, "10:00"),
      staffId: "ann",
    });
  });

  it("offers nothing on a weekday without rules", () => {
    const slots = computeSlots(makeQuery({ from: TUE, to: TUE }), [makeStaff("ann", { weekly: rules([1], ["09:00", "12:00"]) })], []);
    expect(slots).toEqual([]);
  });

  it("never lets an appointment run across a break", () => {
    const staff = makeStaff("ann", { weekly: rules([1], ["09:00", "12:00"], ["13:00", "15:00"]) });
    expect(startsIn(computeSlots(makeQuery(), [staff], []), PARIS)).toEqual([
      "09:00",
      "09:30",
      "10:00",
      "10:30",
      "11:00",
      "13:00",
      "13:30",
      "14:00",
    ]);
  });

  it("joins touching ranges so an appointment may span the seam", () => {
    const staff = makeStaff("ann", { weekly: rules([1], ["10:00", "11:00"], ["09:00", "10:00"]) });
    expect(startsIn(computeSlots(makeQuery(), [staff], []), PARIS)).toEqual(["09:00", "09:30", "10:00"]);
  });

  it("uses a date override instead of the weekly rules on that date only", () => {
    const staff = makeStaff("ann", {
      weekly: rules([1], ["09:00", "12:00"]),
      overrides: [{ date: MON, ranges: [{ start: "14:00", end: "16:00" }] }],
    });
    const slots = computeSlots(makeQuery({ from: MON, to: "2026-03-09" }), [staff], []);
    expect(datedStartsIn(slots, PARIS)).toEqual([
      "2026-03-02 14:00",
      "2026-03-02 14:30",
      "2026-03-02 15:00",
      "2026-03-09 09:00",
      "2026-03-09 09:30",
      "2026-03-09 10:00",
      "2026-03-09 10:30",
      "2026-03-09 11:00",
    ]);
  });

  it("treats an override with no ranges as a day off", () => {
    const staff = makeStaff("ann", { weekly: rules([1], ["09:00", "12:00"]), overrides: [{ date: MON, ranges: [] }] });
    const slots = computeSlots(makeQuery({ from: MON, to: "2026-03-09" }), [staff], []);
    expect(datedStartsIn(slots, PARIS)).toEqual([
      "2026-03-09 09:00",
      "2026-03-09 09:30",
      "2026-03-09 10:00",
      "2026-03-09 10:30",
      "2026-03-09 11:00",
    ]);
  });

  it("lets an override open a date that has no weekly rules", () => {
    const staff = makeStaff("ann", { overrides: [{ date: "2026-03-08", ranges: [{ start: "10:00", end: "12:00" }] }] });
    const slots = computeSlots(makeQuery({ from: MON, to: "2026-03-08" }), [staff], []);
    expect(datedStartsIn(slots, PARIS)).toEqual(["2026-03-08 10:00", "2026-03-08 10:30", "2026-03-08 11:00"]);
  });

  it("treats a 22:00-24:00 range and a 00:00-02:00 range on the next day as one overnight shift", () => {
    const staff = makeStaff("ann", { weekly: [...rules([1], ["22:00", "24:00"]), ...rules([2], ["00:00", "02:00"])] });
    const slots = computeSlots(makeQuery({ from: MON, to: TUE, durationMin: 120, slotIntervalMin: 60 }), [staff], []);
    expect(datedStartsIn(slots, PARIS)).toEqual(["2026-03-02 22:00", "2026-03-02 23:00", "2026-03-03 00:00"]);
  });

  it("aligns candidates to midnight, restarting the count every day", () => {
    const staff = makeStaff("ann", { weekly: rules([1, 2], ["09:00", "11:00"]) });
    const slots = computeSlots(makeQuery({ from: MON, to: TUE, durationMin: 20, slotIntervalMin: 25 }), [staff], []);
    // 09:10 = 22 x 25 min after midnight, on both days.
    expect(datedStartsIn(slots, PARIS)).toEqual([
      "2026-03-02 09:10",
      "2026-03-02 09:35",
      "2026-03-02 10:00",
      "2026-03-02 10:25",
      "2026-03-03 09:10",
      "2026-03-03 09:35",
      "2026-03-03 10:00",
      "2026-03-03 10:25",
    ]);
  });
});

describe("busy blocks and buffers", () => {
  const weekly = rules([1], ["09:00", "14:00"]);
  // An 11:00-12:00 booking whose own 15-min buffers block 10:45-12:15.
  const booking = block(PARIS, MON, "10:45", "12:15", { serviceId: "svc" });

  it("blocks candidates overlapping time off and frees those touching it", () => {
    const staff = makeStaff("ann", { weekly: rules([1], ["09:00", "12:00"]), busy: [block(PARIS, MON, "10:00", "11:00")] });
    expect(startsIn(computeSlots(makeQuery(), [staff], []), PARIS)).toEqual(["09:00", "11:00"]);
  });

  it("keeps buffers before and after a new appointment clear of an existing booking", () => {
    const q = makeQuery({ slotIntervalMin: 15, bufferBeforeMin: 15, bufferAfterMin: 15 });
    const slots = computeSlots(q, [makeStaff("ann", { weekly, busy: [booking] })], []);
    // 09:30 + 60 + 15 = 10:45 touches the booking; 12:30 - 15 = 12:15 touches its end.
    expect(startsIn(slots, PARIS)).toEqual(["09:00", "09:15", "09:30", "12:30", "12:45", "13:00"]);
    const s = slots[2]!;
    expect([hhmm(s.blockedStart, PARIS), hhmm(s.start, PARIS), hhmm(s.end, PARIS), hhmm(s.blockedEnd, PARIS)]).toEqual([
      "09:15",
      "09:30",
      "10:30",
      "10:45",
    ]);
  });

  it("applies a buffer before alone", () => {
    const q = makeQuery({ slotIntervalMin: 15, bufferBeforeMin: 30 });
    const slots = computeSlots(q, [makeStaff("ann", { weekly, busy: [booking] })], []);
    expect(startsIn(slots, PARIS)).toEqual(["09:00", "09:15", "09:30", "09:45", "12:45", "13:00"]);
  });

  it("applies a buffer after alone", () => {
    const q = makeQuery({ slotIntervalMin: 15, bufferAfterMin: 30 });
    const slots = computeSlots(q, [makeStaff("ann", { weekly, busy: [booking] })], []);
    expect(startsIn(slots, PARIS)).toEqual(["09:00", "09:15", "12:15", "12:30", "12:45", "13:00"]);
  });

  it("lets buffers reach outside working hours (only the appointment must fit)", () => {
    const q = makeQuery({ bufferBeforeMin: 30, bufferAfterMin: 30 });
    const slots = computeSlots(q, [makeStaff("ann", { weekly: rules([1], ["09:00", "10:00"]) })], []);
    expect(startsIn(slots, PARIS)).toEqual(["09:00"]);
    expect(hhmm(slots[0]!.blockedStart, PARIS)).toBe("08:30");
  });

  it("does not depend on the order of busy blocks", () => {
    const busy = [
      block(PARIS, MON, "13:00", "13:30", { serviceId: "svc" }),
      block(PARIS, MON, "09:30", "10:00", { serviceId: "svc" }),
      block(PARIS, MON, "09:00", "12:30"), // long time off covering the others
      block(PARIS, MON, "11:00", "11:30", { serviceId: "svc" }),
    ];
    const slots = computeSlots(makeQuery(), [makeStaff("ann", { weekly: rules([1], ["09:00", "15:00"]), busy })], []);
    expect(startsIn(slots, PARIS)).toEqual(["13:30", "14:00"]);
  });
});

describe("minimum notice and booking window", () => {
  const staff = [makeStaff("ann", { weekly: rules(EVERY_DAY, ["09:00", "12:00"]) })];

  it("drops starts earlier than now + minimum notice", () => {
    const q = makeQuery({ from: "2026-03-01", to: "2026-03-05", now: at(PARIS, MON, "08:10"), minNoticeMin: 60, bookingWindowDays: 2 });
    expect(datedStartsIn(computeSlots(q, staff, []), PARIS)).toEqual([
      "2026-03-02 09:30",
      "2026-03-02 10:00",
      "2026-03-02 10:30",
      "2026-03-02 11:00",
      "2026-03-03 09:00",
      "2026-03-03 09:30",
      "2026-03-03 10:00",
      "2026-03-03 10:30",
      "2026-03-03 11:00",
    ]);
  });

  it("offers a start exactly at now + minimum notice", () => {
    const q = makeQuery({ now: at(PARIS, MON, "08:00"), minNoticeMin: 60 });
    expect(startsIn(computeSlots(q, staff, []), PARIS)[0]).toBe("09:00");
  });

  it("counts the booking window in whole local days, not 24-hour periods", () => {
    const lateEvening = at(PARIS, MON, "23:00");
    const q = makeQuery({ from: MON, to: "2026-03-05", now: lateEvening });
    expect(computeSlots({ ...q, bookingWindowDays: 1 }, staff, [])).toEqual([]);
    expect(datedStartsIn(computeSlots({ ...q, bookingWindowDays: 2 }, staff, []), PARIS)).toEqual([
      "2026-03-03 09:00",
      "2026-03-03 09:30",
      "2026-03-03 10:00",
      "2026-03-03 10:30",
      "2026-03-03 11:00",
    ]);
    expect(computeSlots({ ...q, bookingWindowDays: 0 }, staff, [])).toEqual([]);
  });

  it("takes 'today' from the tenant zone, not from UTC", () => {
    const AUCKLAND = "Pacific/Auckland";
    // 12:00 UTC on 2 March is already 01:00 on 3 March in Auckland (UTC+13).
    const q = makeQuery({ timeZone: AUCKLAND, from: MON, to: "2026-03-05", now: Date.UTC(2026, 2, 2, 12), bookingWindowDays: 1 });
    expect(datedStartsIn(computeSlots(q, staff, []), AUCKLAND)).toEqual([
      "2026-03-03 09:00",
      "2026-03-03 09:30",
      "2026-03-03 10:00",
      "2026-03-03 10:30",
      "2026-03-03 11:00",
    ]);
  });
});

describe("several staff members", () => {
  const hours = rules([1, 2], ["09:00", "12:00"]);
  const q = makeQuery({ slotIntervalMin: 60 });

  it("lists one entry per start and staff member, sorted by start then staffId", () => {
    const slots = computeSlots(q, [makeStaff("bob", { weekly: hours }), makeStaff("ann", { weekly: hours })], []);
    expect(slots.map((s) => `${hhmm(s.start, PARIS)} ${s.staffId}`)).toEqual([
      "09:00 ann",
      "09:00 bob",
      "10:00 ann",
      "10:00 bob",
      "11:00 ann",
      "11:00 bob",
    ]);
  });

  it("with anyStaff gives each start once to the least-booked free staff member", () => {
    const staff = [
      makeStaff("ann", {
        weekly: hours,
        busy: [block(PARIS, MON, "07:00", "07:30", { serviceId: "x" }), block(PARIS, MON, "07:30", "08:00", { serviceId: "x" })],
      }),
      makeStaff("bob", { weekly: hours, busy: [block(PARIS, MON, "10:00", "11:00", { serviceId: "x" })] }),
      makeStaff("cid", {
        weekly: hours,
        // Time off is not a booking and does not count.
        busy: [
          block(PARIS, MON, "07:00", "07:30", { serviceId: "x" }),
          block(PARIS, MON, "13:00", "14:00"),
          block(PARIS, MON, "15:00", "16:00"),
        ],
      }),
    ];
    const slots = computeSlots(q, staff, [], { anyStaff: true });
    // bob and cid tie on one booking; bob comes first in the array but is busy at 10:00.
    expect(slots.map((s) => `${hhmm(s.start, PARIS)} ${s.staffId}`)).toEqual(["09:00 bob", "10:00 cid", "11:00 bob"]);
    expect(computeSlots(q, staff, [])).toHaveLength(8);
  });

  it("with anyStaff breaks ties by position in the staff array, not by id", () => {
    const slots = computeSlots(q, [makeStaff("zed", { weekly: hours }), makeStaff("amy", { weekly: hours })], [], { anyStaff: true });
    expect(slots.map((s) => s.staffId)).toEqual(["zed", "zed", "zed"]);
  });

  it("with anyStaff counts bookings per local date", () => {
    const staff = [
      makeStaff("pat", {
        weekly: hours,
        busy: ["07:00", "07:30", "08:00"].map((t) => ({ start: at(PARIS, TUE, t), end: at(PARIS, TUE, t) + 1_800_000, serviceId: "x" })),
      }),
      makeStaff("quin", { weekly: hours, busy: [block(PARIS, MON, "07:00", "07:30", { serviceId: "x" })] }),
    ];
    const slots = computeSlots({ ...q, to: TUE, durationMin: 180 }, staff, [], { anyStaff: true });
    expect(slots.map((s) => `${datedStartsIn([s], PARIS)[0]} ${s.staffId}`)).toEqual(["2026-03-02 09:00 pat", "2026-03-03 09:00 quin"]);
  });
});

describe("staff in another zone than the tenant", () => {
  it("applies staff rules in the staff zone and aligns candidates to the tenant's wall clock", () => {
    const KOLKATA = "Asia/Kolkata";
    // Paris 09:00-12:00 = 13:30-16:30 in Kolkata; hourly candidates there are 14:00 and 15:00.
    const staff = makeStaff("ann", { timeZone: PARIS, weekly: rules([1], ["09:00", "12:00"]) });
    const slots = computeSlots(makeQuery({ timeZone: KOLKATA, slotIntervalMin: 60 }), [staff], []);
    expect(startsIn(slots, KOLKATA)).toEqual(["14:00", "15:00"]);
    expect(startsIn(slots, PARIS)).toEqual(["09:30", "10:30"]);
  });

  it("uses the staff member's own date and weekday, which may differ from the tenant's", () => {
    const TOKYO = "Asia/Tokyo";
    // Monday 18:00-22:00 in New York is Tuesday 08:00-12:00 in Tokyo.
    const staff = makeStaff("ann", { timeZone: "America/New_York", weekly: rules([1], ["18:00", "22:00"]) });
    const slots = computeSlots(makeQuery({ timeZone: TOKYO, from: TUE, to: TUE, slotIntervalMin: 60 }), [staff], []);
    expect(datedStartsIn(slots, TOKYO)).toEqual(["2026-03-03 08:00", "2026-03-03 09:00", "2026-03-03 10:00", "2026-03-03 11:00"]);
  });
});

describe("resources", () => {
  const hours = rules([1], ["09:00", "12:00"]);
  const q = makeQuery({ slotIntervalMin: 60, requiresResource: true });

  it("does not offer staff B a time at which staff A holds the only room", () => {
    const booked = block(PARIS, MON, "10:00", "11:00", { serviceId: "svc" });
    const staff = [makeStaff("a", { weekly: hours, busy: [booked] }), makeStaff("b", { weekly: hours })];
    const room = [{ resourceId: "room", busy: [booked] }];
    const slots = computeSlots(q, staff, room);
    expect(slots.map((s) => `${hhmm(s.start, PARIS)} ${s.staffId} ${s.resourceId}`)).toEqual([
      "09:00 a room",
      "09:00 b room",
      "11:00 a room",
      "11:00 b room",
    ]);
    const withoutRoom = computeSlots({ ...q, requiresResource: false }, staff, room);
    expect(withoutRoom.map((s) => `${hhmm(s.start, PARIS)} ${s.staffId}`)).toContain("10:00 b");
    expect(withoutRoom[0]!.resourceId).toBeUndefined();
  });

  it("picks the free resource with the fewest blocks that day, then the lowest id", () => {
    const resources = [
      { resourceId: "r3", busy: [block(PARIS, MON, "16:00", "17:00")] },
      { resourceId: "r1", busy: [block(PARIS, MON, "13:00", "14:00"), block(PARIS, MON, "15:00", "16:00")] },
      { resourceId: "r2", busy: [block(PARIS, MON, "10:00", "11:00")] },
    ];
    const slots = computeSlots(q, [makeStaff("a", { weekly: hours })], resources);
    expect(slots.map((s) => `${hhmm(s.start, PARIS)} ${s.resourceId}`)).toEqual(["09:00 r2", "10:00 r3", "11:00 r2"]);
  });

  it("offers nothing when a resource is required and none is given", () => {
    expect(computeSlots(q, [makeStaff("a", { weekly: hours })], [])).toEqual([]);
  });
});

describe("group services", () => {
  const hours = rules([1], ["09:00", "12:00"]);
  const q = makeQuery({ serviceId: "yoga", capacity: 3 });
  const session = (extra: Parameters<typeof block>[4]) =>
    block(PARIS, MON, "10:00", "11:00", { slotStart: at(PARIS, MON, "10:00"), ...extra });
  const offered = (slots: ReturnType<typeof computeSlots>) => slots.map((s) => `${hhmm(s.start, PARIS)} ${s.seatsLeft}`);

  it("still offers a session with 2 of 3 seats taken, with 1 seat left", () => {
    const slots = computeSlots(q, [makeStaff("a", { weekly: hours, busy: [session({ serviceId: "yoga", seats: 2 })] })], []);
    // 09:30 and 10:30 would overlap the session without being it.
    expect(offered(slots)).toEqual(["09:00 3", "10:00 1", "11:00 3"]);
  });

  it("stops offering a full session", () => {
    const slots = computeSlots(q, [makeStaff("a", { weekly: hours, busy: [session({ serviceId: "yoga", seats: 3 })] })], []);
    expect(offered(slots)).toEqual(["09:00 3", "11:00 3"]);
  });

  it("counts one seat per block when blocks carry no seat count", () => {
    const busy = [session({ serviceId: "yoga" }), session({ serviceId: "yoga" })];
    expect(offered(computeSlots(q, [makeStaff("a", { weekly: hours, busy })], []))).toEqual(["09:00 3", "10:00 1", "11:00 3"]);
  });

  it("blocks the time of another service's booking at the same start", () => {
    const slots = computeSlots(q, [makeStaff("a", { weekly: hours, busy: [session({ serviceId: "pilates", seats: 1 })] })], []);
    expect(offered(slots)).toEqual(["09:00 3", "11:00 3"]);
  });

  it("never joins when capacity is 1", () => {
    const slots = computeSlots(
      { ...q, capacity: 1 },
      [makeStaff("a", { weekly: hours, busy: [session({ serviceId: "yoga", seats: 1 })] })],
      [],
    );
    expect(startsIn(slots, PARIS)).toEqual(["09:00", "11:00"]);
    expect(slots[0]!.seatsLeft).toBeUndefined();
  });

  it("lets a client join a session in its room but keeps another staff member's new session out of it", () => {
    const held = session({ serviceId: "yoga", seats: 2 });
    const staff = [makeStaff("a", { weekly: hours, busy: [held] }), makeStaff("b", { weekly: hours })];
    const slots = computeSlots({ ...q, slotIntervalMin: 60, requiresResource: true }, staff, [{ resourceId: "hall", busy: [{ ...held }] }]);
    expect(slots.map((s) => `${hhmm(s.start, PARIS)} ${s.staffId} ${s.resourceId} ${s.seatsLeft}`)).toEqual([
      "09:00 a hall 3",
      "09:00 b hall 3",
      "10:00 a hall 1",
      "11:00 a hall 3",
      "11:00 b hall 3",
    ]);
  });
});

describe("input validation", () => {
  const staff = [makeStaff("ann", { weekly: rules([1], ["09:00", "12:00"]) })];
  const cases: [string, Parameters<typeof makeQuery>[0], RegExp][] = [
    ["a zero duration", { durationMin: 0 }, /durationMin/],
    ["a zero slot interval", { slotIntervalMin: 0 }, /slotIntervalMin/],
    ["a fractional duration", { durationMin: 12.5 }, /durationMin/],
    ["a negative buffer", { bufferAfterMin: -5 }, /bufferAfterMin/],
    ["a capacity of 0", { capacity: 0 }, /capacity/],
    ["from after to", { from: "2026-03-03", to: "2026-03-02" }, /from .* must not be after to/],
    ["a non-existent date", { from: "2026-02-30" }, /from must be a valid date/],
    ["an unknown time zone", { timeZone: "Mars/Olympus_Mons" }, /timeZone must be a known IANA time zone/],
    ["a non-finite now", { now: Number.NaN }, /now/],
  ];
  for (const [what, overrides, message] of cases) {
    it(`throws a RangeError for ${what}`, () => {
      expect(() => computeSlots(makeQuery(overrides), staff, [])).toThrow(RangeError);
      expect(() => computeSlots(makeQuery(overrides), staff, [])).toThrow(message);
    });
  }

  it("throws a RangeError for an unknown staff time zone", () => {
    const bad = [makeStaff("ann", { timeZone: "Nowhere/City", weekly: rules([1], ["09:00", "12:00"]) })];
    expect(() => computeSlots(makeQuery(), bad, [])).toThrow(/staff\[0\]\.timeZone/);
  });

  it("throws a RangeError for a range ending before it starts or a time past 24:00", () => {
    expect(() => computeSlots(makeQuery(), [makeStaff("ann", { weekly: rules([1], ["12:00", "09:00"]) })], [])).toThrow(RangeError);
    expect(() => computeSlots(makeQuery(), [makeStaff("ann", { weekly: rules([1], ["09:00", "24:30"]) })], [])).toThrow(
      /staff\[0\]\.weekly\[0\]\.end/,
    );
  });

  it("throws a RangeError for more than 366 dates at once", () => {
    expect(() => computeSlots(makeQuery({ from: "2026-01-01", to: "2028-01-01", bookingWindowDays: 10_000 }), staff, [])).toThrow(
      RangeError,
    );
  });

  it("returns nothing without staff, and for a range wholly in the past", () => {
    expect(computeSlots(makeQuery(), [], [])).toEqual([]);
    expect(computeSlots(makeQuery({ now: at(PARIS, TUE, "00:00") }), staff, [])).toEqual([]);
  });
});
