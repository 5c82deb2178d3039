/**
 * Notifications derived from booking events are never lost to a late commit:
 * an event (or a booking) whose transaction is still open while the notify job
 * runs is picked up, exactly once, by a later run. On Postgres the slow
 * transaction really is open on a second connection while the job runs;
 * PGlite has one connection (a second transaction would wait for the first),
 * so there the same rows are committed with the timestamps a slow transaction
 * would give them, after the job has already run past them.
 */
import type { Client } from "@neondatabase/serverless";
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { tenantMigrations } from "../src/db/migrations/bundle.generated";
import { NOTIFY_MIN_VERSION } from "../src/jobs/fan-out";
import { deliverDue } from "../src/notify/deliver";
import { deriveEventNotifications } from "../src/notify/events";
import { loadNotifyTenant } from "../src/notify/job";
import { HttpEmailProvider } from "../src/notify/provider";
import { enqueueDueReminders } from "../src/notify/reminders";
import { quoteSchema } from "../src/tenancy/naming";
import type { TestTenant } from "./harness";
import { isEmbedded, sql, useTenants, withDb } from "./harness";
import { addCustomer, emailsTo, outbox, seedWorld, TEST_SECRET, type World } from "./notify-helpers";

const tenants = useTenants();
const derive = (t: TestTenant) => withDb((c) => deriveEventNotifications(c, t.schemaName));
const remind = (t: TestTenant, now: Date) => withDb((c) => enqueueDueReminders(c, t.schemaName, now));
const deliver = (t: TestTenant) =>
  withDb(async (c) => {
    const tenant = (await loadNotifyTenant(c, t.id))!;
    const email = new HttpEmailProvider({ url: env.EMAIL_API_URL!, apiKey: "test", from: "BookMe Test <no-reply@bookme.test>" });
    return deliverDue(c, { tenant, email, manageSecret: TEST_SECRET, appEnv: env.APP_ENV });
  });

/** What the booking code writes in one transaction: the booking and its `created` event (stamped `eventAt`). */
async function writeBooking(c: Client, t: TestTenant, world: World, customerId: string, startsAt: Date, eventAt = "now()") {
  const s = quoteSchema(t.schemaName);
  const id = crypto.randomUUID();
  const end = new Date(startsAt.getTime() + 3_600_000).toISOString();
  await c.query(
    // Like src/bookings, the booking carries its contact snapshot (the customer's details here).
    `INSERT INTO ${s}.bookings (id, service_id, staff_id, customer_id, starts_at, ends_at, blocked_from, blocked_until, session_key, status, price_minor, currency,
        contact_name, contact_email, contact_phone, contact_locale)
     SELECT $1::uuid, $2, $3, c.id, $5, $6, $5, $6, $1::text, 'confirmed', 20000, 'MAD', c.name, c.email, c.phone, c.locale
       FROM ${s}.customers c WHERE c.id = $4`,
    [id, world.serviceId, world.staffId, customerId, startsAt.toISOString(), end],
  );
  await c.query(
    `INSERT INTO ${s}.booking_events (booking_id, actor_type, action, after, created_at)
     VALUES ($1, 'customer', 'created', '{"status":"confirmed"}'::jsonb, ${eventAt})`,
    [id],
  );
  return id;
}

/**
 * Runs `write` in a transaction that is still open while `meanwhile` runs on
 * another connection (Postgres), or (PGlite, one connection) commits it after
 * `meanwhile`, which is what a late commit looks like to the job.
 */
async function lateCommit<T>(write: (c: Client) => Promise<T>, meanwhile: () => Promise<void>): Promise<T> {
  if (isEmbedded()) {
    await meanwhile();
    return withDb(async (c) => {
      await c.query("BEGIN");
      const out = await write(c);
      await c.query("COMMIT");
      return out;
    });
  }
  let written!: () => void;
  const ready = new Promise<void>((resolve) => (written = resolve));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const slow = withDb(async (c) => {
    await c.query("BEGIN");
    const out = await write(c);
    written();
    await gate;
    await c.query("COMMIT");
    return out;
  });
  // A failing write must not leave the test waiting for a signal that never comes.
  await Promise.race([ready, slow.then(() => undefined)]);
  try {
    await meanwhile();
  } finally {
    release();
  }
  return slow;
}

describe("late commits", () => {
  it("notifies only tenants whose schema has the event queue (they are migrated first)", () => {
    expect(NOTIFY_MIN_VERSION).toBeGreaterThan(0);
    expect(tenantMigrations[NOTIFY_MIN_VERSION - 1]!.statements.join("\n")).toMatch(
      /CREATE TABLE "tenant_template"\."booking_event_queue"/,
    );
    expect(tenantMigrations[NOTIFY_MIN_VERSION - 1]!.statements.join("\n")).toMatch(/CREATE TRIGGER "booking_events_queue" AFTER INSERT/);
  });

  it("derives the confirmation of an event committed after the job ran (its transaction began 10 minutes earlier) exactly once", async () => {
    const t = tenants.a;
    const world = await seedWorld(t);
    await derive(t); // nothing older pending
    const cust = await addCustomer(t, "en");
    const runsWhileOpen: unknown[] = [];
    const booking = await lateCommit(
      // Stamped like a transaction that started 10 minutes ago: past any time cursor's overlap.
      (c) => writeBooking(c, t, world, cust.id, new Date(Date.now() + 72 * 3_600_000), "now() - interval '10 minutes'"),
      async () => {
        runsWhileOpen.push(await derive(t));
        runsWhileOpen.push(await derive(t));
      },
    );
    // While the transaction was open (Postgres) or before it existed (PGlite) there was nothing to derive.
    expect(runsWhileOpen).toEqual([
      { emails: 0, webhooks: 0, reminders: 0 },
      { emails: 0, webhooks: 0, reminders: 0 },
    ]);
    if (!isEmbedded()) {
      // The committed event is older than the runs that could not see it.
      const [ev] = await sql<{ created_at: Date }>(
        `SELECT created_at FROM ${quoteSchema(t.schemaName)}.booking_events WHERE booking_id = $1`,
        [booking],
      );
      expect(ev!.created_at.getTime()).toBeLessThan(Date.now() - 9 * 60_000);
    }
    expect(await derive(t)).toMatchObject({ emails: 1 });
    expect(await derive(t)).toEqual({ emails: 0, webhooks: 0, reminders: 0 });
    expect(await deliver(t)).toMatchObject({ sent: 1 });
    expect(await deliver(t)).toMatchObject({ claimed: 0 });
    expect(await emailsTo(cust.email)).toHaveLength(1);
    expect(await outbox(t, `booking_id = $1`, [booking])).toHaveLength(1);
  });

  it("sends the reminder of a booking committed just after its reminder instant was scanned, exactly once", async () => {
    const t = tenants.b;
    const world = await seedWorld(t);
    const s = quoteSchema(t.schemaName);
    await sql(`UPDATE ${s}.settings SET reminder_offsets_min = '{120}'`);
    const [{ now }] = (await sql<{ now: Date }>(`SELECT now() AS now`)) as [{ now: Date }];
    const base = now.getTime();
    await remind(t, new Date(base)); // the reminders cursor is now
    await derive(t);
    const cust = await addCustomer(t, "fr");
    // Its 2 h reminder instant is 30 s from now; the tick 60 s from now scans past it while the booking is uncommitted.
    const startsAt = new Date(base + 120 * 60_000 + 30_000);
    const scanned: number[] = [];
    const booking = await lateCommit(
      (c) => writeBooking(c, t, world, cust.id, startsAt),
      async () => {
        scanned.push(await remind(t, new Date(base + 60_000)));
      },
    );
    expect(scanned).toEqual([0]);
    expect(await remind(t, new Date(base + 120_000))).toBe(0); // the window scan alone has moved past it for good
    expect(await derive(t)).toEqual({ emails: 1, webhooks: 0, reminders: 1 });
    expect(await derive(t)).toEqual({ emails: 0, webhooks: 0, reminders: 0 });
    expect(await remind(t, new Date(base + 180_000))).toBe(0);
    const reminders = await outbox(t, `kind = 'reminder' AND booking_id = $1`, [booking]);
    expect(reminders.map((r) => r.dedupe_key)).toEqual([`reminder:${booking}:120:${Math.floor(startsAt.getTime() / 1000)}`]);
  });

  it("catches up the reminder of an anonymous booking (no customer record) and sends it to the booking's own contact", async () => {
    const t = tenants.b;
    const world = await seedWorld(t);
    const s = quoteSchema(t.schemaName);
    await sql(`UPDATE ${s}.settings SET reminder_offsets_min = '{120}'`);
    const [{ now }] = (await sql<{ now: Date }>(`SELECT now() AS now`)) as [{ now: Date }];
    const base = now.getTime();
    await derive(t);
    await remind(t, new Date(base + 60_000)); // the scan is already past the instant below
    const startsAt = new Date(base + 120 * 60_000 + 30_000);
    const end = new Date(startsAt.getTime() + 3_600_000);
    const booking = crypto.randomUUID();
    const email = `anon.${booking.slice(0, 8)}@mail.test`;
    await withDb(async (c) => {
      await c.query("BEGIN");
      await c.query(
        `INSERT INTO ${s}.bookings (id, service_id, staff_id, customer_id, starts_at, ends_at, blocked_from, blocked_until, session_key, status,
            price_minor, currency, contact_name, contact_email, contact_locale)
         VALUES ($1::uuid, $2, $3, NULL, $4, $5, $4, $5, $7, 'confirmed', 20000, 'MAD', 'Anonyme', $6, 'en')`,
        [booking, world.serviceId, world.staffId, startsAt.toISOString(), end.toISOString(), email, booking],
      );
      await c.query(
        `INSERT INTO ${s}.booking_events (booking_id, actor_type, action, after) VALUES ($1, 'customer', 'created', '{"status":"confirmed"}')`,
        [booking],
      );
      await c.query("COMMIT");
    });
    expect(await derive(t)).toEqual({ emails: 1, webhooks: 0, reminders: 1 });
    const [reminder] = await sql<{ recipient: string; locale: string }>(
      `SELECT recipient, locale FROM ${s}.notifications WHERE kind = 'reminder' AND booking_id = $1`,
      [booking],
    );
    expect(reminder).toEqual({ recipient: email, locale: "en" });
  });
});
