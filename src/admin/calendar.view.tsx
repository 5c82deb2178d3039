/**
 * The calendar grid as a pure function of data (no request, no database):
 * one column per staff member (day view) or per day (a staff member's week),
 * bookings as blocks with time, service, customer and status by colour AND by
 * text, working hours left clear and the rest shaded, time off marked, and a
 * now-line. Positions are classes (`r<row>` start, `s<n>` span on a 5-minute
 * grid) whose rules the page adds to its own stylesheet: the CSP forbids
 * inline `style` attributes.
 */
import { Temporal } from "temporal-polyfill";
import type { CalendarBooking } from "../bookings/calendar.service";
import type { Lang } from "../web/i18n";
import { type FrontdeskMessages, time } from "./frontdesk";

const STEP_MIN = 5;
const ROW_REM = 0.6;

export interface GridColumn {
  key: string;
  title: string;
  subtitle?: string;
  /** A link under the title (e.g. the staff member's week). */
  link?: { href: string; text: string };
  /** Local midnight of this column's day (epoch ms). */
  dayStart: number;
  hours: { start: number; end: number }[];
  timeOff: { start: number; end: number; note: string }[];
  bookings: CalendarBooking[];
}

export interface GridProps {
  lang: Lang;
  zone: string;
  m: FrontdeskMessages;
  columns: GridColumn[];
  now: number;
  /** Accessible name of the grid (e.g. the date). */
  label: string;
}

const offsetMs = (zone: string, ms: number) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).offsetNanoseconds / 1e6;

/**
 * Wall-clock minutes since the column's local midnight: on a clock-change day
 * 10:00 sits on the 10:00 row although 9 or 11 real hours have passed since
 * midnight, as on a paper agenda. Days without a change skip Temporal.
 */
function wallClockOf(zone: string, dayStart: number): (ms: number) => number {
  const atStart = offsetMs(zone, dayStart);
  const steady = offsetMs(zone, dayStart + 26 * 3_600_000) === atStart;
  return steady ? (ms) => (ms - dayStart) / 60_000 : (ms) => (ms - dayStart + offsetMs(zone, ms) - atStart) / 60_000;
}

/** The visible minutes of the day: every column's hours and bookings, at least 08:00–19:00, whole hours. */
export function visibleRange(columns: GridColumn[], zone: string): { lo: number; hi: number } {
  let lo = 8 * 60;
  let hi = 19 * 60;
  for (const col of columns) {
    const minutesOf = wallClockOf(zone, col.dayStart);
    for (const i of [...col.hours, ...col.bookings]) {
      lo = Math.min(lo, minutesOf(i.start));
      hi = Math.max(hi, minutesOf(i.end));
    }
  }
  lo = Math.max(0, Math.floor(lo / 60) * 60);
  hi = Math.min(24 * 60, Math.ceil(hi / 60) * 60);
  return { lo, hi };
}

/** Complement of `hours` within [lo, hi) (minutes). */
function offSpans(hours: { start: number; end: number }[], lo: number, hi: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let at = lo;
  for (const h of [...hours].sort((a, b) => a.start - b.start)) {
    if (h.start > at) out.push({ start: at, end: Math.min(h.start, hi) });
    at = Math.max(at, h.end);
  }
  if (at < hi) out.push({ start: at, end: hi });
  return out.filter((s) => s.end > s.start);
}

/** The grid and the CSS rules of the row/span classes it uses. */
export function renderGrid(props: GridProps): { grid: unknown; css: string } {
  const { lang, zone, m, columns } = props;
  const { lo, hi } = visibleRange(columns, zone);
  const rows = (hi - lo) / STEP_MIN;
  const starts = new Set<number>();
  const spans = new Set<number>();
  const place = (startMin: number, endMin: number) => {
    const a = Math.max(lo, Math.min(hi, startMin));
    const b = Math.max(lo, Math.min(hi, endMin));
    const row = Math.floor((a - lo) / STEP_MIN) + 1;
    const span = Math.max(1, Math.ceil((b - lo) / STEP_MIN) + 1 - row);
    starts.add(row);
    spans.add(span);
    return `r${row} s${span}`;
  };
  const hourLabels = [];
  for (let minute = lo; minute < hi; minute += 60) {
    const hh = String(Math.floor(minute / 60)).padStart(2, "0");
    hourLabels.push(
      <div class={`tl ${place(minute, minute + 60)}`} aria-hidden="true">
        {`${hh}:00`}
      </div>,
    );
  }
  const grid = (
    <section class="calwrap" aria-label={props.label} tabindex={0}>
      <div class="cal">
        <div class="axis">
          <div class="ch" aria-hidden="true" />
          <div class="cb">{hourLabels}</div>
        </div>
        {columns.map((col) => {
          const minutesOf = wallClockOf(zone, col.dayStart);
          const hours = col.hours.map((h) => ({ start: minutesOf(h.start), end: minutesOf(h.end) }));
          const nowMin = minutesOf(props.now);
          const showNow = nowMin >= lo && nowMin < hi;
          return (
            <div class="col">
              <div class="ch">
                <h3>{col.title}</h3>
                <small>{col.subtitle ?? m.cal.bookingsCount(col.bookings.length)}</small>
                {col.link ? <a href={col.link.href}>{col.link.text}</a> : null}
              </div>
              <div class="cb">
                {offSpans(hours, lo, hi).map((s) => (
                  <div class={`off ${place(s.start, s.end)}`} aria-hidden="true" />
                ))}
                {col.timeOff.map((o) => (
                  <div class={`to ${place(minutesOf(o.start), minutesOf(o.end))}`}>
                    {m.cal.timeOff}
                    {o.note ? ` · ${o.note}` : ""}
                  </div>
                ))}
                {col.bookings.map((b) => (
                  <a class={`bk st-${b.status} ${place(minutesOf(b.start), minutesOf(b.end))}`} href={`/admin/bookings/${b.id}`}>
                    <b>
                      <span class="ltr">
                        {time(lang, zone, b.start)}–{time(lang, zone, b.end)}
                      </span>{" "}
                      · {m.status[b.status]}
                      {b.checkedIn && (b.status === "pending" || b.status === "confirmed") ? ` · ${m.checkedIn}` : ""}
                    </b>
                    <span>{b.customerName || "—"}</span>
                    <span class="svc">{b.serviceName}</span>
                  </a>
                ))}
                {showNow ? (
                  <div class={`nl ${place(nowMin, nowMin)}`} role="presentation" title={`${m.cal.now} ${time(lang, zone, props.now)}`} />
                ) : null}
              </div>
            </div>
          );
        })}
      </div>
    </section>
  );
  const css = [
    `.cb{grid-template-rows:repeat(${rows},${ROW_REM}rem)}`,
    ...[...starts].map((r) => `.r${r}{grid-row-start:${r}}`),
    ...[...spans].map((s) => `.s${s}{grid-row-end:span ${s}}`),
  ].join("");
  return { grid, css };
}
