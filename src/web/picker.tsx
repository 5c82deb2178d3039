/** The date strip (available dates highlighted) and the times of the chosen date. */
import { iso, localDateTime } from "../bookings/time";
import { dateParts, formatCount, formatTime, zoneLabel } from "./format";
import type { PageContext } from "./layout";

export interface DayInfo {
  date: string;
  open: boolean;
}

export interface TimeOption {
  start: number;
  seatsLeft?: number;
}

export type TimeAction =
  | { kind: "link"; href: (t: TimeOption) => string }
  | { kind: "submit"; action: string; hidden: Record<string, string> };

export interface PickerProps {
  ctx: PageContext;
  zone: string;
  days: DayInfo[];
  selected: string | null;
  times: TimeOption[];
  dayHref: (date: string) => string;
  earlierHref: string | null;
  laterHref: string | null;
  time: TimeAction;
}

function periodOf(start: number, zone: string): 0 | 1 | 2 {
  const hour = Number(localDateTime(start, zone).slice(11, 13));
  return hour < 12 ? 0 : hour < 18 ? 1 : 2;
}

function TimeButton({ ctx, zone, t, action }: { ctx: PageContext; zone: string; t: TimeOption; action: TimeAction }) {
  const label = formatTime(ctx.lang, zone, t.start);
  const seats = t.seatsLeft !== undefined ? <small>{ctx.m.seatsLeft(formatCount(ctx.lang, t.seatsLeft))}</small> : null;
  if (action.kind === "link") {
    return (
      <a class="time" href={action.href(t)} data-ms={String(t.start)}>
        {label}
        {seats}
      </a>
    );
  }
  return (
    <button class="time" type="submit" name="start" value={iso(t.start)} data-ms={String(t.start)}>
      {label}
      {seats}
    </button>
  );
}

export function Picker(props: PickerProps) {
  const { ctx, zone } = props;
  const { m } = ctx;
  const periods = [m.morning, m.afternoon, m.evening];
  const grouped: TimeOption[][] = [[], [], []];
  for (const t of props.times) grouped[periodOf(t.start, zone)].push(t);
  const list = (
    <>
      {grouped.map((times, i) =>
        times.length ? (
          <>
            <h3 class="meta">{periods[i]}</h3>
            <ul class="times">
              {times.map((t) => (
                <li>
                  <TimeButton ctx={ctx} zone={zone} t={t} action={props.time} />
                </li>
              ))}
            </ul>
          </>
        ) : null,
      )}
    </>
  );
  return (
    <>
      <h2 id="dates-h">{m.chooseDate}</h2>
      <ul class="dates" aria-labelledby="dates-h">
        {props.days.map((d) => {
          const p = dateParts(ctx.lang, d.date);
          const inner = (
            <>
              <span aria-hidden="true">{p.weekday}</span>
              <b aria-hidden="true">{p.day}</b>
              <span aria-hidden="true">{p.month}</span>
              <span class="sr">{`${p.long}, ${d.open ? m.available : m.unavailable}`}</span>
            </>
          );
          return (
            <li>
              {d.open ? (
                <a class="day open" href={props.dayHref(d.date)} aria-current={d.date === props.selected ? "date" : undefined}>
                  {inner}
                </a>
              ) : (
                <span class="day">{inner}</span>
              )}
            </li>
          );
        })}
      </ul>
      <div class="pager">
        {props.earlierHref ? <a href={props.earlierHref}>{m.earlier}</a> : <span />}
        {props.laterHref ? <a href={props.laterHref}>{m.later}</a> : <span />}
      </div>
      <h2 id="times-h">{props.selected ? `${m.chooseTime} · ${dateParts(ctx.lang, props.selected).long}` : m.chooseTime}</h2>
      <p class="note">{m.timesIn(zoneLabel(zone))}</p>
      <p id="tz" class="note" hidden data-msg={m.yourZone("{z}")}></p>
      {props.times.length === 0 ? (
        <p class="alert info">{props.days.some((d) => d.open) ? m.noTimesDay : m.noTimesRange}</p>
      ) : props.time.kind === "submit" ? (
        <form method="post" action={props.time.action}>
          {Object.entries(props.time.hidden).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          {list}
        </form>
      ) : (
        list
      )}
    </>
  );
}
