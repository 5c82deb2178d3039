/**
 * Scheduled work on real Postgres:
 *  (a) migration fan-out: BENCH_SCHEDULED_TENANTS tenant schemas (default 300,
 *      so that `npm run bench` stays under 10 minutes on 2 cores; set 1000 for
 *      the full-size run) at the current migration, then a bench-only tenant
 *      migration applied through `migrateTenant` (the queue consumer's
 *      function, one connection per tenant message) with bounded concurrency,
 *      against a one-at-a-time loop over the same tenants;
 *  (b) the "nothing to do" check (`tenantsBehind`) over those tenants;
 *  (c) 10,000 due reminders across 100 tenants drained through the capture
 *      sink by the notify job's steps, checked for duplicates and losses;
 *  (d) the same 10,000 split over email and WhatsApp (bench/messaging.ts),
 *      on another 100 tenants.
 *
 * Provisioning uses a fast path (bench only): tenant rows in one statement,
 * then the bundled tenant SQL rewritten per schema and sent 25 tenants per
 * transaction, instead of one `provisionTenant` call per tenant. Every bench tenant
 * (slug prefix `bsch-`) is dropped at the end, and leftovers of a crashed run
 * at the start.
 */
import "../infra/node-driver";
import type { Client } from "@neondatabase/serverless";
import { startMailCapture } from "../infra/mail-capture";
import { measureMixedReminders } from "./messaging";
import { connect, withClient, type DbConfig } from "../src/db/client";
import { tenantMigrations } from "../src/db/migrations/bundle.generated";
import { migrateTenant, rewriteForSchema, tenantsBehind, type TenantRef } from "../src/db/migrations/migrator";
import { mapBounded } from "../src/db/migrations/plan";
import { sqlLiteral } from "./fixtures/sql-literal";
import type { BundledMigration } from "../src/db/migrations/types";
import { drainOutbox } from "../src/notify/deliver";
import { loadNotifyTenant } from "../src/notify/job";
import { HttpEmailProvider } from "../src/notify/provider";
import { enqueueDueReminders } from "../src/notify/reminders";
import { quoteSchema } from "../src/tenancy/naming";
import { openBenchDatabase } from "./bench-env";
import { median } from "./stats";

const PREFIX = "bsch-";
const TENANTS = Number(process.env.BENCH_SCHEDULED_TENANTS ?? 300);
const REMINDER_TENANTS = 100;
const REMINDERS_PER_TENANT = 100;
const CONSUMER_CONCURRENCY = 8;
const PROVISION_BATCH = 25;

const benchMigration = (tag: string, column: string): BundledMigration => ({
  tag,
  hash: `bench-${tag}`,
  statements: [
    `ALTER TABLE "tenant_template"."notifications" ADD COLUMN "${column}" text`,
    `CREATE INDEX "notifications_${column}_idx" ON "tenant_template"."notifications" USING btree ("${column}")`,
  ],
});

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function cleanup(db: DbConfig): Promise<void> {
  const schemas = await withClient(db, async (c) => {
    const { rows } = await c.query(`SELECT schema_name FROM tenants WHERE slug LIKE $1`, [`${PREFIX}%`]);
    return (rows as { schema_name: string }[]).map((r) => r.schema_name);
  });
  // A few schemas per transaction: dropping many at once exhausts the lock table.
  const chunks: string[][] = [];
  for (let i = 0; i < schemas.length; i += 5) chunks.push(schemas.slice(i, i + 5));
  await mapBounded(chunks, 2, (chunk) =>
    withClient(db, (c) => c.query(chunk.map((s) => `DROP SCHEMA IF EXISTS ${quoteSchema(s)} CASCADE`).join(";\n"))),
  );
  await withClient(db, (c) => c.query(`DELETE FROM tenants WHERE slug LIKE $1`, [`${PREFIX}%`]));
}

/** Fast path: the same bundled SQL the migrator applies, many tenants per transaction. */
async function provision(db: DbConfig, count: number): Promise<TenantRef[]> {
  const tenants = await withClient(db, async (c) => {
    const { rows } = await c.query(
      `WITH t AS (
         INSERT INTO tenants (slug, schema_name, name, contact_email)
         SELECT $1 || lpad(i::text, 4, '0'), 'tenant_' || replace($1, '-', '_') || lpad(i::text, 4, '0'),
                'Bench ' || i, 'bench@bookme.test'
           FROM generate_series(1, $2::int) i
         RETURNING id, slug, schema_name),
       d AS (INSERT INTO tenant_domains (tenant_id, domain, is_primary) SELECT id, slug || '.bench.test', true FROM t)
       SELECT id, slug, schema_name AS "schemaName" FROM t ORDER BY slug`,
      [PREFIX, count],
    );
    return rows as TenantRef[];
  });
  const batches: TenantRef[][] = [];
  for (let i = 0; i < tenants.length; i += PROVISION_BATCH) batches.push(tenants.slice(i, i + PROVISION_BATCH));
  await mapBounded(batches, 2, (batch) =>
    withClient(db, async (c) => {
      const sql: string[] = ["BEGIN"];
      for (const t of batch) {
        const s = quoteSchema(t.schemaName);
        sql.push(
          `CREATE SCHEMA ${s}`,
          `CREATE TABLE ${s}."schema_migrations" (tag text PRIMARY KEY, hash text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
        );
        for (const m of tenantMigrations) sql.push(...m.statements.map((st) => rewriteForSchema(st, t.schemaName)));
        for (const m of tenantMigrations)
          sql.push(`INSERT INTO ${s}."schema_migrations" (tag, hash) VALUES (${sqlLiteral(m.tag)}, ${sqlLiteral(m.hash)})`);
        sql.push(`INSERT INTO ${s}."settings" DEFAULT VALUES`);
        sql.push(
          `INSERT INTO tenant_migration_state (tenant_id, version, last_tag) VALUES ('${t.id}', ${tenantMigrations.length}, ${sqlLiteral(tenantMigrations.at(-1)!.tag)})`,
        );
      }
      sql.push("COMMIT");
      await c.query(sql.join(";\n"));
    }),
  );
  return tenants;
}

/** As the queue consumer runs a migrate message: its own connection, migrateTenant, close. */
async function consumeMigrate(db: DbConfig, tenant: TenantRef, migrations: BundledMigration[]): Promise<void> {
  const client = await connect(db);
  try {
    const result = await migrateTenant(client, tenant, migrations);
    if (result.error) throw new Error(`${tenant.slug}: ${result.error}`);
    if (result.applied.length !== 1) throw new Error(`${tenant.slug}: expected one migration, applied ${result.applied.length}`);
  } finally {
    await client.end().catch(() => {});
  }
}

async function seedReminders(db: DbConfig, tenant: TenantRef, now: Date): Promise<void> {
  const s = quoteSchema(tenant.schemaName);
  // 100 bookings of one staff member, 30 s apart, whose 24 h reminder instant falls in the last hour.
  const base = new Date(now.getTime() + 24 * 3_600_000 - 55 * 60_000);
  await withClient(db, (c) =>
    c.query(
      `WITH svc AS (INSERT INTO ${s}.services (name, duration_min, price_minor) VALUES ('Bench service', 5, 1000) RETURNING id),
       st AS (INSERT INTO ${s}.staff (display_name) VALUES ('Bench staff') RETURNING id),
       cu AS (
         INSERT INTO ${s}.customers (name, email, locale)
         SELECT 'Customer ' || i, 'c' || i || '@' || $3 || '.bench.test', (ARRAY['fr','ar','en'])[1 + i % 3]
           FROM generate_series(1, $2::int) i
         RETURNING id, name, email, locale),
       cun AS (SELECT id, name, email, locale, row_number() OVER (ORDER BY name) AS n FROM cu),
       ids AS (SELECT gen_random_uuid() AS id, n FROM cun)
       INSERT INTO ${s}.bookings (id, service_id, staff_id, customer_id, starts_at, ends_at, blocked_from, blocked_until, session_key, price_minor, currency,
                                  contact_name, contact_email, contact_locale)
       SELECT ids.id, svc.id, st.id, cun.id,
              $1::timestamptz + (cun.n * interval '30 seconds'), $1::timestamptz + (cun.n * interval '30 seconds') + interval '30 seconds',
              $1::timestamptz + (cun.n * interval '30 seconds'), $1::timestamptz + (cun.n * interval '30 seconds') + interval '30 seconds',
              ids.id::text, 1000, 'MAD', cun.name, cun.email, cun.locale
         FROM cun JOIN ids ON ids.n = cun.n, svc, st`,
      [base.toISOString(), REMINDERS_PER_TENANT, tenant.slug],
    ),
  );
  await withClient(db, (c) =>
    c.query(`INSERT INTO ${s}.job_cursors (job, until) VALUES ('reminders', $1::timestamptz - interval '1 hour')`, [now.toISOString()]),
  );
}

/** The notify job's reminder + delivery steps for one tenant, on its own connection (as the consumer runs it). */
async function notifyTenant(
  db: DbConfig,
  tenant: TenantRef,
  email: HttpEmailProvider,
  now: Date,
): Promise<{ enqueued: number; sent: number; failed: number }> {
  return withClient(db, async (c: Client) => {
    const info = (await loadNotifyTenant(c, tenant.id))!;
    const enqueued = await enqueueDueReminders(c, tenant.schemaName, now);
    const stats = await drainOutbox(c, {
      tenant: info,
      email,
      manageSecret: "bench-secret-bench-secret-bench-secret-01234",
      now,
      budgetMs: 120_000,
    });
    return { enqueued, sent: stats.sent, failed: stats.failed + stats.retrying };
  });
}

export async function run(): Promise<string> {
  const bench = await openBenchDatabase();
  const db = bench.db;
  const lines: string[] = ["## Scheduled work (real Postgres)", ""];
  const mail = await startMailCapture();
  try {
    await cleanup(db);

    // (a) provisioning (fast path), then one new migration via the consumer function.
    let t0 = performance.now();
    const tenants = await provision(db, TENANTS);
    const provisionMs = performance.now() - t0;

    const migA = [...tenantMigrations, benchMigration("9998_bench_a", "bench_a")];
    const migB = [...migA, benchMigration("9999_bench_b", "bench_b")];
    t0 = performance.now();
    await mapBounded(tenants, CONSUMER_CONCURRENCY, (t) => consumeMigrate(db, t, migA));
    const fanOutMs = performance.now() - t0;
    t0 = performance.now();
    for (const t of tenants) await consumeMigrate(db, t, migB);
    const loopMs = performance.now() - t0;

    // (b) the "nothing to do" check: everyone is at (or past) the bundle.
    const checks: number[] = [];
    let behind = -1;
    await withClient(db, async (c) => {
      for (let i = 0; i < 21; i++) {
        const s = performance.now();
        behind = (await tenantsBehind(c)).filter((t) => t.slug.startsWith(PREFIX)).length;
        checks.push(performance.now() - s);
      }
    });
    const behindAfterNew = await withClient(
      db,
      async (c) => (await tenantsBehind(c, { latest: migB.length + 1 })).filter((t) => t.slug.startsWith(PREFIX)).length,
    );

    lines.push(
      `### (a) Tenant migration fan-out, ${TENANTS} tenants`,
      "",
      `Provisioning ${TENANTS} schemas at the current migration (bench fast path: bundled SQL, ${PROVISION_BATCH} tenants per transaction, 2 connections): ${secs(provisionMs)}.`,
      "",
      "| one new tenant migration (ADD COLUMN + index) via `migrateTenant`, one connection per tenant | wall time | per tenant (wall / tenants) |",
      "| --- | ---: | ---: |",
      `| consumer path, ${CONSUMER_CONCURRENCY} in flight | ${secs(fanOutMs)} | ${(fanOutMs / TENANTS).toFixed(1)} ms |`,
      `| one-at-a-time loop | ${secs(loopMs)} | ${(loopMs / TENANTS).toFixed(1)} ms |`,
      "",
      `Speed-up: ${(loopMs / fanOutMs).toFixed(1)}× (2 shared cores here; in production each queue message runs in its own Worker invocation, so the fan-out is bounded by Postgres, not by this process).`,
      "",
      `### (b) "Nothing to do" check`,
      "",
      `\`tenantsBehind\` over ${TENANTS + 0} bench tenants (+ any others in the database): one query, median ${median(checks).toFixed(2)} ms over 21 runs (max ${Math.max(...checks).toFixed(2)} ms); ${behind} bench tenants behind. With a newer bundle it lists all ${behindAfterNew} of them in the same single query.`,
      "",
    );

    // (c) 10,000 due reminders across 100 tenants.
    const now = new Date();
    const remindTenants = tenants.slice(0, REMINDER_TENANTS);
    await mapBounded(remindTenants, 4, (t) => seedReminders(db, t, now));
    const email = new HttpEmailProvider({ url: `${mail.url}/emails`, apiKey: "bench", from: "Bench <bench@bookme.test>" });
    mail.reset();
    t0 = performance.now();
    const results = await mapBounded(remindTenants, CONSUMER_CONCURRENCY, (t) => notifyTenant(db, t, email, now));
    const drainMs = performance.now() - t0;
    // A second tick over the same window (and a late one) must not send anything again.
    const second = await mapBounded(remindTenants, CONSUMER_CONCURRENCY, (t) =>
      notifyTenant(db, t, email, new Date(now.getTime() + 60_000)),
    );

    const expected = REMINDER_TENANTS * REMINDERS_PER_TENANT;
    const received = mail.messages();
    const ids = new Set(received.map((m) => (m.body as { headers?: Record<string, string> }).headers?.["X-BookMe-Notification"]));
    const keys = new Set<string>();
    let sentRows = 0;
    await withClient(db, async (c) => {
      for (const t of remindTenants) {
        const { rows } = await c.query(
          `SELECT id, dedupe_key, status FROM ${quoteSchema(t.schemaName)}.notifications WHERE kind = 'reminder'`,
        );
        for (const r of rows as { id: string; dedupe_key: string; status: string }[]) {
          if (r.status === "sent") sentRows++;
          if (ids.has(r.id)) keys.add(r.dedupe_key);
        }
      }
    });
    const enqueued = results.reduce((a, r) => a + r.enqueued, 0);
    const sent = results.reduce((a, r) => a + r.sent, 0);
    const again = second.reduce((a, r) => a + r.enqueued + r.sent, 0);
    const ok = received.length === expected && ids.size === expected && keys.size === expected && sentRows === expected && again === 0;
    lines.push(
      `### (c) Reminders: ${expected.toLocaleString("en")} due across ${REMINDER_TENANTS} tenants`,
      "",
      `Per tenant, as the notify consumer runs it (${CONSUMER_CONCURRENCY} tenants in flight, own connection each): enqueue due reminders (one statement), then claim/render (fr/ar/en + .ics)/send/record through the HTTP email provider into the capture sink.`,
      "",
      "| | value |",
      "| --- | ---: |",
      `| wall time, enqueue + deliver | ${secs(drainMs)} |`,
      `| throughput | ${Math.round(expected / (drainMs / 1000))} emails/s |`,
      `| enqueued / sent (job counters) | ${enqueued} / ${sent} |`,
      `| requests received by the sink | ${received.length} |`,
      `| distinct notification ids received | ${ids.size} |`,
      `| distinct dedupe keys received | ${keys.size} |`,
      `| outbox rows in status sent | ${sentRows} |`,
      `| enqueued + sent by a second tick 1 min later | ${again} |`,
      "",
      ok ? `**None duplicated, none lost.**` : `**MISMATCH: expected ${expected} everywhere and 0 on the second tick.**`,
      "",
    );
    if (!ok) throw new Error(lines.slice(-14).join("\n"));

    // (d) The same volume split over email and WhatsApp (issue 14), on tenants not used by (c).
    const mixed = await measureMixedReminders(db, tenants.slice(REMINDER_TENANTS, 2 * REMINDER_TENANTS), mail, {
      perTenant: REMINDERS_PER_TENANT,
      concurrency: CONSUMER_CONCURRENCY,
    });
    lines.push(mixed.markdown.replace(/^### /, "### (d) "));
    if (!mixed.ok) throw new Error(mixed.markdown);
    return lines.join("\n");
  } finally {
    const t0 = performance.now();
    await cleanup(db).catch((e) => console.error("[bench] cleanup failed", e));
    console.log(`[bench] scheduled: cleanup ${secs(performance.now() - t0)}`);
    await mail.close();
    await bench.stop();
  }
}
