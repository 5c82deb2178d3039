/**
 * The back office's calendar day view through `wrangler dev` on real
 * Postgres: a day of 20 staff × 30 bookings (one database statement), signed
 * in as the owner through the real login form, sequential GETs after a
 * warm-up: server time p50/p99 and the page's raw and gzip weight (CSS and
 * script are inline, so the page is the whole download).
 *
 * `measureDayView()` returns the numbers; `run()` is its `npm run bench` section.
 */
import { request as httpRequest } from "node:http";
import { gzipSync } from "node:zlib";
import { Temporal } from "temporal-polyfill";
import { hashPassword } from "../src/auth/passwords";
import { withClient } from "../src/db/client";
import { quoteSchema } from "../src/tenancy/naming";
import { provisionTenant } from "../src/tenancy/provision";
import { freshBenchDomain, openBenchDatabase, startBenchWorker } from "./bench-env";
import { fmt, percentile } from "./stats";

const SLUG = "bench-admin-day";
const SCHEMA = "tenant_bench_admin_day";
const ZONE = "Africa/Casablanca";
const PASSWORD = "Bench-Owner-2026";

interface Reply {
  status: number;
  body: string;
  cookies: string[];
  location?: string;
}

/** GET/POST with a Host header and cookies (bench/http.ts drops Set-Cookie, which a session needs). */
function send(
  base: string,
  host: string,
  path: string,
  init: { method?: string; form?: Record<string, string>; cookie?: string } = {},
): Promise<Reply> {
  const url = new URL(path, base);
  const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: init.method ?? "GET",
        headers: {
          host,
          accept: "text/html",
          "accept-language": "fr",
          ...(init.cookie ? { cookie: init.cookie } : {}),
          ...(body ? { "content-type": "application/x-www-form-urlencoded", origin: `http://${host}` } : {}),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: text, cookies: res.headers["set-cookie"] ?? [], location: res.headers.location }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

const jar = (cookies: string[], into = new Map<string, string>()) => {
  for (const line of cookies) {
    const [pair] = line.split(";");
    const eq = pair!.indexOf("=");
    into.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
  }
  return into;
};
const header = (cookies: Map<string, string>) => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");

export interface DayViewMeasure {
  staff: number;
  bookingsPerStaff: number;
  rounds: number;
  p50: number;
  p99: number;
  rawBytes: number;
  gzipBytes: number;
  markdown: string;
}

/** Seeds the day, starts a worker, signs in, measures `/admin/calendar?date=…`, cleans up. */
export async function measureDayView(
  opts: { staff?: number; bookingsPerStaff?: number; rounds?: number; warmup?: number; slot?: 0 | 1 } = {},
): Promise<DayViewMeasure> {
  const staffCount = opts.staff ?? 20;
  const perStaff = opts.bookingsPerStaff ?? 30;
  const rounds = opts.rounds ?? 200;
  const warmup = opts.warmup ?? 20;
  const domain = freshBenchDomain(SLUG);
  const email = `owner-${Date.now().toString(36)}@bench.bookme.test`;
  const date = Temporal.Now.plainDateISO(ZONE).toString();
  const dayStart = Temporal.PlainDateTime.from(`${date}T08:00`).toZonedDateTime(ZONE).toInstant().toString();
  const bench = await openBenchDatabase();
  const cleanup = (c: Parameters<Parameters<typeof withClient>[1]>[0]) =>
    c
      .query(`DROP SCHEMA IF EXISTS ${quoteSchema(SCHEMA)} CASCADE`)
      .then(() => c.query(`DELETE FROM tenants WHERE slug = $1`, [SLUG]))
      .then(() => c.query(`DELETE FROM users WHERE email LIKE 'owner-%@bench.bookme.test'`));
  const hash = await hashPassword(PASSWORD);
  await withClient(bench.db, async (c) => {
    await cleanup(c);
    const tenant = await provisionTenant(
      c,
      { slug: SLUG, name: "Bench Salon", domain, contactEmail: "bench@bookme.test", timeZone: ZONE },
      "bench",
    );
    const s = quoteSchema(tenant.schemaName);
    const { rows: users } = await c.query(
      `INSERT INTO users (email, password_hash, display_name) VALUES ($1, $2, 'Bench owner') RETURNING id`,
      [email, hash],
    );
    await c.query(`INSERT INTO tenant_memberships (tenant_id, user_id, role) VALUES ($1, $2, 'owner')`, [tenant.id, users[0].id]);
    const { rows: svc } = await c.query(
      `INSERT INTO ${s}.services (name, duration_min, price_minor) VALUES ('Coupe', 20, 15000) RETURNING id`,
    );
    const { rows: cust } = await c.query(`INSERT INTO ${s}.customers (name, phone) VALUES ('Sara Benali', '+212612345678') RETURNING id`);
    const { rows: staff } = await c.query(
      `INSERT INTO ${s}.staff (display_name) SELECT 'Staff ' || lpad(i::text, 2, '0') FROM generate_series(1, $1::int) i RETURNING id`,
      [staffCount],
    );
    const ids = staff.map((r: { id: string }) => r.id);
    await c.query(
      `INSERT INTO ${s}.staff_availability (staff_id, kind, weekday, start_time, end_time)
       SELECT f, 'weekly', d, '08:00', '20:00' FROM unnest($1::uuid[]) f, generate_series(1, 7) d`,
      [ids],
    );
    await c.query(
      `WITH g AS (SELECT f AS staff_id, i, $2::timestamptz + make_interval(mins => 20 * i) AS st, gen_random_uuid() AS id
                    FROM unnest($1::uuid[]) f, generate_series(0, $3::int - 1) i)
       INSERT INTO ${s}.bookings (id, service_id, staff_id, customer_id, contact_name, starts_at, ends_at, blocked_from, blocked_until,
                                  session_key, status, price_minor, currency, source)
       SELECT g.id, $4::uuid, g.staff_id, CASE WHEN g.i % 2 = 0 THEN $5::uuid END, 'Walk-in ' || g.i, g.st, g.st + interval '20 minutes',
              g.st, g.st + interval '20 minutes', g.id::text,
              (ARRAY['confirmed', 'pending', 'completed', 'no_show', 'cancelled'])[1 + g.i % 5], 15000, 'MAD', 'staff'
         FROM g`,
      [ids, dayStart, perStaff, svc[0].id, cust[0].id],
    );
  });
  const worker = await startBenchWorker(bench, opts.slot ?? 1);
  try {
    const base = worker.url;
    const cookies = new Map<string, string>();
    const login = await send(base, domain, "/admin/login");
    jar(login.cookies, cookies);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.body)?.[1];
    if (!csrf) throw new Error(`no sign-in form: ${login.status} ${login.body.slice(0, 200)}`);
    const signed = await send(base, domain, "/admin/login", {
      method: "POST",
      cookie: header(cookies),
      form: { _csrf: csrf, email, password: PASSWORD, next: "/admin/calendar" },
    });
    if (signed.status !== 303) throw new Error(`sign-in answered ${signed.status}: ${signed.body.slice(0, 300)}`);
    jar(signed.cookies, cookies);
    const path = `/admin/calendar?date=${date}`;
    let page = "";
    for (let i = 0; i < warmup; i++) {
      const res = await send(base, domain, path, { cookie: header(cookies) });
      jar(res.cookies, cookies);
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${res.body.slice(0, 300)}`);
      page = res.body;
    }
    const blocks = page.match(/class="bk /g)?.length ?? 0;
    if (blocks !== staffCount * perStaff) throw new Error(`the day view shows ${blocks} bookings, expected ${staffCount * perStaff}`);
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      const res = await send(base, domain, path, { cookie: header(cookies) });
      times.push(performance.now() - t0);
      jar(res.cookies, cookies);
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    }
    const p50 = percentile(times, 50);
    const p99 = percentile(times, 99);
    const rawBytes = Buffer.byteLength(page);
    const gzipBytes = gzipSync(page, { level: 9 }).length;
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    const markdown = [
      "## Back office: calendar day view (wrangler dev, real Postgres)",
      "",
      `Signed in as the owner (session cookie), ${rounds} sequential GETs of \`/admin/calendar?date=…\` after ${warmup} warm-up; ${staffCount} staff × ${perStaff} bookings (${staffCount * perStaff} blocks), one database statement for the day plus the session check.`,
      "",
      "| page | p50 | p99 | HTML | gzip |",
      "| --- | ---: | ---: | ---: | ---: |",
      `| day view, ${staffCount} staff × ${perStaff} bookings | ${fmt(p50)} | ${fmt(p99)} | ${kb(rawBytes)} | ${kb(gzipBytes)} |`,
      "",
    ].join("\n");
    return { staff: staffCount, bookingsPerStaff: perStaff, rounds, p50, p99, rawBytes, gzipBytes, markdown };
  } finally {
    await worker.stop();
    await withClient(bench.db, cleanup).catch(() => {});
    await bench.stop();
  }
}

/** The markdown section, for bench/run.ts. */
export async function run(): Promise<string> {
  return (await measureDayView()).markdown;
}

// `node --import tsx bench/admin-day.ts` prints the section on its own.
if (import.meta.url === `file://${process.argv[1]}`) {
  measureDayView({ rounds: Number(process.env.ROUNDS ?? 200) })
    .then((m) => console.log(m.markdown))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
