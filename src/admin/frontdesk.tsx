/**
 * Shared bits of the front-desk screens (calendar, booking, customers,
 * takings): words, formatting in the page's language and the business's zone,
 * the status badge (colour AND text), query-string readers and the screens'
 * stylesheet (logical properties, so Arabic mirrors).
 */
import type { BookingStatus } from "../db/schema/tenant";
import { isSaneDate } from "../http/dates";
import { formatPrice, formatTime } from "../web/format";
import { INTL_LOCALE, type Lang } from "../web/i18n";
import { type FrontdeskMessages, frontdeskMessages } from "./i18n/frontdesk";
import type { AdminContext } from "./session";

export { frontdeskMessages, type FrontdeskMessages };

export const isUuid = (v: unknown): v is string =>
  typeof v === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/** A query parameter that must be a calendar date (anything else: undefined). */
export function dateParam(c: AdminContext, name: string): string | undefined {
  const v = c.req.query(name);
  return isSaneDate(v) ? v : undefined;
}

export function uuidParam(c: AdminContext, name: string): string | undefined {
  const v = c.req.query(name);
  return isUuid(v) ? v : undefined;
}

/** Today's local date in `zone`. */
export function todayIn(zone: string, now = Date.now()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

const cache = new Map<string, Intl.DateTimeFormat>();
function dtf(lang: Lang, zone: string, kind: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${zone}|${kind}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(INTL_LOCALE[lang], { timeZone: zone, ...options });
    cache.set(key, f);
  }
  return f;
}

/** "mardi 15 décembre 2026" of a local date. */
export const longDate = (lang: Lang, date: string) =>
  dtf(lang, "UTC", "long", { weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(Date.parse(`${date}T12:00:00Z`));

/** "mar. 15 déc." of a local date. */
export const shortDate = (lang: Lang, date: string) =>
  dtf(lang, "UTC", "short", { weekday: "short", day: "numeric", month: "short" }).format(Date.parse(`${date}T12:00:00Z`));

/** "15/12/2026 14:30" of an instant in the zone. */
export const dateTime = (lang: Lang, zone: string, ms: number) =>
  dtf(lang, zone, "dt", { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(
    ms,
  );

export const time = (lang: Lang, zone: string, ms: number) => formatTime(lang, zone, ms);

export const money = (lang: Lang, minor: number, currency: string) => formatPrice(lang, minor, currency);

/** Status by colour (the class) and by text. */
export function StatusBadge({ status, m }: { status: BookingStatus; m: FrontdeskMessages }) {
  return <span class={`badge st-${status}`}>{m.status[status]}</span>;
}

/** Amount typed at the desk ("150", "150,50", "150.5") → minor units, or null. */
export function parseAmount(text: unknown): number | null {
  if (typeof text !== "string") return null;
  const clean = text.trim().replace(/\s/g, "").replace(",", ".");
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(clean)) return null;
  const minor = Math.round(Number(clean) * 100);
  return minor > 0 ? minor : null;
}

export const str = (v: unknown): string => (typeof v === "string" ? v.trim() : "");

/** The screens' stylesheet, added after the shell's. */
export const FRONTDESK_CSS = `
.bar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin:0 0 1rem}
.bar form{display:flex;gap:.4rem;align-items:center;flex-wrap:wrap}
.bar input,.bar select{font:inherit;padding:.45rem .6rem;border:1px solid #8c959f;border-radius:10px;min-height:2.6rem;background:#fff}
.bar .btn{min-height:2.6rem}
.seg{display:inline-flex;border:1px solid #c9ced4;border-radius:10px;overflow:hidden}
.seg a{padding:.5rem .8rem;text-decoration:none;color:var(--ink);font-weight:600;min-height:2.6rem;display:inline-flex;align-items:center}
.seg a+a{border-inline-start:1px solid #c9ced4}
.seg a[aria-current]{background:var(--a);color:#fff}
.day-title{font-size:1.05rem;font-weight:700;margin:0 0 .75rem}
.badge{display:inline-block;border-radius:999px;padding:.05rem .5rem;font-size:.78rem;font-weight:700;border:1px solid;white-space:nowrap}
.st-pending{background:#fffaeb;border-color:#b54708;color:#7a2e0e}
.st-confirmed{background:#e6f2f1;border-color:#0f766e;color:#0b4f4a}
.st-completed{background:#ecfdf3;border-color:#067647;color:#05603a}
.st-cancelled{background:#f2f4f7;border-color:#667085;color:#344054}
.st-no_show{background:#fef3f2;border-color:#b42318;color:#7a271a}
.badge.in{background:#eff8ff;border-color:#175cd3;color:#194185}
.calwrap{overflow-x:auto;border:1px solid var(--line);border-radius:14px;background:#fff;-webkit-overflow-scrolling:touch}
.cal{display:flex;min-width:min-content}
.col{flex:1 0 10rem;min-width:10rem;border-inline-start:1px solid var(--line)}
.axis{flex:0 0 3.4rem;position:sticky;inset-inline-start:0;background:#fff;z-index:3}
.ch{position:sticky;top:0;background:#fff;border-bottom:1px solid var(--line);padding:.45rem .5rem;min-height:3.6rem;z-index:2}
.ch h3{display:block;margin:0;font-size:.9rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.ch small{display:block;color:var(--soft);font-size:.76rem}
.ch a{font-size:.76rem}
.cb{display:grid;grid-template-columns:minmax(0,1fr);position:relative;background-image:linear-gradient(to bottom,#eef0f2 1px,transparent 1px);background-size:100% 7.2rem}
.cb>*{grid-column:1}
.tl{font-size:.72rem;color:var(--soft);padding-inline:.35rem;border-top:1px solid var(--line)}
.off{background:repeating-linear-gradient(135deg,#f3f4f6 0 6px,#e9ebee 6px 12px)}
.to{background:repeating-linear-gradient(135deg,#fdf2f8 0 6px,#fce7f3 6px 12px);border-inline-start:3px solid #c11574;color:#851651;font-size:.75rem;font-weight:600;padding:.15rem .35rem;z-index:1}
.bk{display:block;margin:1px 3px;border-radius:8px;border:1px solid;border-inline-start-width:4px;padding:.15rem .35rem;font-size:.76rem;line-height:1.25;overflow:hidden;text-decoration:none;z-index:1;min-height:0}
.bk:hover,.bk:focus-visible{z-index:4;box-shadow:0 4px 14px rgba(16,24,40,.18);overflow:visible;height:auto;min-height:100%}
.bk b{display:block;font-size:.76rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.bk span{display:block;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.bk b .ltr{display:inline}
.bk.st-cancelled span.svc{text-decoration:line-through}
.nl{border-top:2px solid #d92d20;z-index:5;pointer-events:none;position:relative;height:0}
.nl::before{content:"";position:absolute;inset-inline-start:-4px;top:-5px;width:8px;height:8px;border-radius:50%;background:#d92d20}
.legend{display:flex;flex-wrap:wrap;gap:.4rem .8rem;align-items:center;margin:.75rem 0 0;font-size:.82rem;color:var(--soft)}
.legend .sw{display:inline-block;width:1.4rem;height:.9rem;border-radius:4px;vertical-align:middle;margin-inline-end:.3rem;border:1px solid var(--line)}
.grid2{display:grid;gap:1rem;align-items:start;margin-bottom:1rem}
.card>h2:first-child,.card>h3:first-child{margin-top:0}
@media (min-width:960px){.grid2{grid-template-columns:minmax(0,3fr) minmax(0,2fr)}}
dl.kv{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.35rem 1rem;margin:0}
dl.kv dt{color:var(--soft);font-weight:600}
dl.kv dd{margin:0;overflow-wrap:anywhere}
.acts{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-start}
.acts form{margin:0}
details.more{margin-top:.75rem}
details.more summary{cursor:pointer;font-weight:600;color:var(--a-d);min-height:2.4rem;display:flex;align-items:center}
table.t{width:100%;border-collapse:collapse;font-size:.9rem}
table.t th,table.t td{text-align:start;padding:.5rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
table.t th{color:var(--soft);font-weight:600;font-size:.8rem}
table.t td.num,table.t th.num{text-align:end;font-variant-numeric:tabular-nums;white-space:nowrap}
.tablewrap{overflow-x:auto}
.stack{display:grid;gap:1rem}
.row{display:flex;flex-wrap:wrap;gap:.75rem}
.row>.field{flex:1 1 12rem}
fieldset{border:1px solid var(--line);border-radius:12px;padding:.75rem 1rem;margin:0 0 1rem}
legend{font-weight:700;padding:0 .35rem}
.slots{display:flex;flex-wrap:wrap;gap:.4rem;margin:.25rem 0 .5rem}
.slots label{display:inline-flex;align-items:center;gap:.35rem;border:1px solid #c9ced4;border-radius:10px;padding:.4rem .7rem;min-height:2.6rem;cursor:pointer;font-variant-numeric:tabular-nums}
.slots input{margin:0}
.choices{display:grid;gap:.35rem;margin:.25rem 0 .75rem}
.choices label{display:flex;align-items:center;gap:.5rem;border:1px solid var(--line);border-radius:10px;padding:.5rem .7rem;min-height:2.6rem;cursor:pointer}
.warn{border-radius:10px;padding:.6rem .8rem;background:#fffaeb;border:1px solid #fec84b;color:#7a2e0e;font-weight:600;margin:.5rem 0}
.kpis{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));margin:0 0 1rem}
.kpi{background:#fff;border:1px solid var(--line);border-radius:14px;padding:.8rem 1rem}
.kpi small{display:block;color:var(--soft);font-weight:600;font-size:.8rem}
.kpi b{display:block;font-size:1.35rem;font-variant-numeric:tabular-nums}
.pager{display:flex;gap:.5rem;justify-content:space-between;margin-top:.75rem}
.ltr{direction:ltr;unicode-bidi:isolate}
`.replace(/\n/g, "");
