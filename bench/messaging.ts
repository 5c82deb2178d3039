/**
 * Issue 14's reminder volume over two channels, section (d) of
 * scheduled.bench.ts (after its tenants are provisioned):
 * `measureMixedReminders(db, tenants, captureUrl)` seeds, per tenant, `perTenant`
 * bookings whose 24 h reminder instant fell in the last hour — even ones with
 * an email only, odd ones with a phone only (→ WhatsApp) — then runs the notify
 * job's steps per tenant as the consumer does (enqueue due reminders, drain the
 * outbox through the HTTP email provider and the WhatsApp Cloud API provider,
 * both into the capture sink), and a second tick a minute later. It checks that
 * every reminder arrived exactly once (distinct notification ids for email,
 * distinct phones for WhatsApp, every outbox row `sent`, nothing on the second
 * tick) and reports the throughput. Bench code: raw SQL over the node driver.
 */
import type { Client } from "@neondatabase/serverless";
import type { MailCapture } from "../infra/mail-capture";
import { type DbConfig, withClient } from "../src/db/client";
import type { TenantRef } from "../src/db/migrations/migrator";
import { mapBounded } from "../src/db/migrations/plan";
import { drainOutbox } from "../src/notify/deliver";
import { loadNotifyTenant } from "../src/notify/job";
import { WhatsAppProvider } from "../src/notify/phone";
import { HttpEmailProvider } from "../src/notify/provider";
import { enqueueDueReminders } from "../src/notify/reminders";
import { quoteSchema } from "../src/tenancy/naming";

export interface MixedReminderNumbers {
  expected: number;
  emails: number;
  whatsapp: number;
  wallMs: number;
  perSecond: number;
  distinctEmailIds: number;
  distinctPhones: number;
  sentRows: number;
  secondTick: number;
  ok: boolean;
  markdown: string;
}

const SECRET = "bench-secret-bench-secret-bench-secret-01234";

async function seed(db: DbConfig, tenant: TenantRef, now: Date, perTenant: number, tenantIndex: number): Promise<void> {
  const s = quoteSchema(tenant.schemaName);
  // All 24 h reminder instants inside the last hour (50 minutes, evenly spaced; one staff member, no overlap).
  const base = new Date(now.getTime() + 24 * 3_600_000 - 55 * 60_000);
  await withClient(db, async (c) => {
    await c.query(
      `WITH svc AS (INSERT INTO ${s}.services (name, duration_min, price_minor) VALUES ('Bench mixed', 5, 1000) RETURNING id),
       st AS (INSERT INTO ${s}.staff (display_name) VALUES ('Bench mixed staff') RETURNING id),
       n AS (SELECT i, gen_random_uuid() AS id FROM generate_series(1, $2::int) i)
       INSERT INTO ${s}.bookings (id, service_id, staff_id, starts_at, ends_at, blocked_from, blocked_until, session_key, price_minor, currency,
                                  contact_name, contact_email, contact_phone, contact_locale)
       SELECT n.id, svc.id, st.id,
              $1::timestamptz + n.i * make_interval(secs => $5::float8), $1::timestamptz + (n.i + 1) * make_interval(secs => $5::float8),
              $1::timestamptz + n.i * make_interval(secs => $5::float8), $1::timestamptz + (n.i + 1) * make_interval(secs => $5::float8),
              n.id::text, 1000, 'MAD', 'Customer ' || n.i,
              CASE WHEN n.i % 2 = 0 THEN 'm' || n.i || '@' || $3 || '.bench.test' END,
              CASE WHEN n.i % 2 = 1 THEN '+2126' || lpad(($4::int * 100000 + n.i)::text, 8, '0') END,
              (ARRAY['fr','ar','en'])[1 + n.i % 3]
         FROM n, svc, st`,
      [base.toISOString(), perTenant, tenant.slug, tenantIndex, 3000 / perTenant],
    );
    await c.query(
      `INSERT INTO ${s}.job_cursors (job, until) VALUES ('reminders', $1::timestamptz - interval '1 hour')
       ON CONFLICT (job) DO UPDATE SET until = EXCLUDED.until`,
      [now.toISOString()],
    );
  });
}

async function tick(db: DbConfig, tenant: TenantRef, captureUrl: string, now: Date): Promise<{ enqueued: number; sent: number }> {
  return withClient(db, async (c: Client) => {
    const info = (await loadNotifyTenant(c, tenant.id))!;
    const enqueued = await enqueueDueReminders(c, tenant.schemaName, now);
    const stats = await drainOutbox(c, {
      tenant: info,
      email: new HttpEmailProvider({ url: `${captureUrl}/emails`, apiKey: "bench", from: "Bench <bench@bookme.test>" }),
      whatsapp: new WhatsAppProvider({ url: captureUrl, token: "bench", phoneNumberId: "bench-sender" }),
      manageSecret: SECRET,
      now,
      budgetMs: 300_000,
    });
    return { enqueued, sent: stats.sent };
  });
}

/** `tenants.length × perTenant` reminders (default 100 × 100 = 10,000), half email, half WhatsApp. */
export async function measureMixedReminders(
  db: DbConfig,
  tenants: TenantRef[],
  capture: MailCapture,
  options: { perTenant?: number; concurrency?: number } = {},
): Promise<MixedReminderNumbers> {
  const perTenant = options.perTenant ?? 100;
  const concurrency = options.concurrency ?? 8;
  const now = new Date();
  await mapBounded(
    tenants.map((t, i) => ({ t, i })),
    4,
    ({ t, i }) => seed(db, t, now, perTenant, i),
  );
  capture.reset();
  const t0 = performance.now();
  const first = await mapBounded(tenants, concurrency, (t) => tick(db, t, capture.url, now));
  const wallMs = performance.now() - t0;
  const second = await mapBounded(tenants, concurrency, (t) => tick(db, t, capture.url, new Date(now.getTime() + 60_000)));

  const expected = tenants.length * perTenant;
  const received = capture.messages();
  const mails = received.filter((m) => m.path === "/emails");
  const was = received.filter((m) => (m.body as { messaging_product?: string } | null)?.messaging_product === "whatsapp");
  const emailIds = new Set(mails.map((m) => (m.body as { headers?: Record<string, string> }).headers?.["X-BookMe-Notification"]));
  const phones = new Set(was.map((m) => (m.body as { to: string }).to));
  let sentRows = 0;
  await withClient(db, async (c) => {
    for (const t of tenants) {
      const { rows } = await c.query(
        `SELECT count(*)::int AS n FROM ${quoteSchema(t.schemaName)}.notifications WHERE kind = 'reminder' AND status = 'sent'`,
      );
      sentRows += (rows[0] as { n: number }).n;
    }
  });
  const enqueued = first.reduce((a, r) => a + r.enqueued, 0);
  const secondTick = second.reduce((a, r) => a + r.enqueued + r.sent, 0);
  const ok =
    enqueued === expected &&
    mails.length + was.length === expected &&
    emailIds.size === mails.length &&
    phones.size === was.length &&
    sentRows === expected &&
    secondTick === 0;
  const perSecond = Math.round(expected / (wallMs / 1000));
  const markdown = [
    `### Reminders over email + WhatsApp: ${expected.toLocaleString("en")} across ${tenants.length} tenants`,
    "",
    "| | value |",
    "| --- | ---: |",
    `| wall time, enqueue + deliver (${concurrency} tenants in flight) | ${(wallMs / 1000).toFixed(1)} s |`,
    `| throughput | ${perSecond} messages/s |`,
    `| emails received / distinct ids | ${mails.length} / ${emailIds.size} |`,
    `| WhatsApp received / distinct phones | ${was.length} / ${phones.size} |`,
    `| outbox reminder rows sent | ${sentRows} |`,
    `| enqueued + sent by a second tick 1 min later | ${secondTick} |`,
    "",
    ok ? "**None duplicated, none lost.**" : `**MISMATCH: expected ${expected} and 0 on the second tick.**`,
    "",
  ].join("\n");
  return {
    expected,
    emails: mails.length,
    whatsapp: was.length,
    wallMs,
    perSecond,
    distinctEmailIds: emailIds.size,
    distinctPhones: phones.size,
    sentRows,
    secondTick,
    ok,
    markdown,
  };
}
