/** Rows and probes for notification tests: bookings written with SQL, the capture sink over HTTP. */
import { env } from "cloudflare:test";
import { signAccessToken } from "../src/auth/tokens";
import { quoteSchema } from "../src/tenancy/naming";
import type { TenantContext } from "../src/domain/tenant";
import { sql } from "./harness";

export const TEST_SECRET = "test-secret-test-secret-test-secret-0123456789";
export const captureUrl = () => env.EMAIL_API_URL!.replace(/\/emails$/, "");

export interface Captured {
  id: string;
  path: string;
  headers: Record<string, string>;
  raw: string;
  body: any;
}

export async function captured(filter: (m: Captured) => boolean = () => true): Promise<Captured[]> {
  const res = await fetch(`${captureUrl()}/messages`);
  return ((await res.json()) as Captured[]).filter(filter);
}

export const emailsTo = (address: string) => captured((m) => Array.isArray(m.body?.to) && m.body.to.includes(address));

export async function failNext(count: number, status = 500): Promise<void> {
  await fetch(`${captureUrl()}/control/fail?count=${count}&status=${status}`, { method: "POST" });
}

export async function resetCapture(): Promise<void> {
  await fetch(`${captureUrl()}/control/reset`, { method: "POST" });
}

export async function adminToken(tenant: TenantContext, role: "staff" | "admin" | "owner" = "admin"): Promise<string> {
  return (await signAccessToken({ current: TEST_SECRET }, { userId: crypto.randomUUID(), audience: tenant.id, role, isSuperuser: false }))
    .token;
}

export interface World {
  serviceId: string;
  staffId: string;
}

export async function seedWorld(tenant: TenantContext): Promise<World> {
  const s = quoteSchema(tenant.schemaName);
  const [svc] = await sql<{ id: string }>(
    `INSERT INTO ${s}.services (name, duration_min, price_minor) VALUES ('Coupe & brushing', 60, 20000) RETURNING id`,
  );
  const [st] = await sql<{ id: string }>(`INSERT INTO ${s}.staff (display_name) VALUES ('Badr') RETURNING id`);
  return { serviceId: svc!.id, staffId: st!.id };
}

export async function addCustomer(
  tenant: TenantContext,
  locale: "fr" | "ar" | "en" = "fr",
  email = `c${crypto.randomUUID().slice(0, 8)}@mail.test`,
): Promise<{ id: string; email: string }> {
  const [row] = await sql<{ id: string }>(
    `INSERT INTO ${quoteSchema(tenant.schemaName)}.customers (name, email, locale) VALUES ('Amina', $1, $2) RETURNING id`,
    [email, locale],
  );
  return { id: row!.id, email };
}

/** A one-to-one booking (session key = its id); each test picks distinct times (staff exclusion constraint). */
export async function addBooking(
  tenant: TenantContext,
  world: World,
  customerId: string,
  startsAt: Date,
  status: "pending" | "confirmed" | "cancelled" = "confirmed",
): Promise<string> {
  const id = crypto.randomUUID();
  const end = new Date(startsAt.getTime() + 60 * 60_000);
  await sql(
    // Like src/bookings, the booking carries its contact snapshot (here: the customer's details).
    `INSERT INTO ${quoteSchema(tenant.schemaName)}.bookings
       (id, service_id, staff_id, customer_id, starts_at, ends_at, blocked_from, blocked_until, session_key, status, price_minor, currency,
        contact_name, contact_email, contact_phone, contact_locale)
     SELECT $1, $2, $3, $4, $5, $6, $5, $6, $8, $7, 20000, 'MAD', c.name, c.email, c.phone, c.locale
       FROM ${quoteSchema(tenant.schemaName)}.customers c WHERE c.id = $4`,
    [id, world.serviceId, world.staffId, customerId, startsAt.toISOString(), end.toISOString(), status, id],
  );
  return id;
}

/** What src/bookings does on every change: one append-only event row. */
export async function addEvent(tenant: TenantContext, bookingId: string, action: string, before: unknown, after: unknown): Promise<number> {
  const [row] = await sql<{ id: string }>(
    `INSERT INTO ${quoteSchema(tenant.schemaName)}.booking_events (booking_id, actor_type, action, before, after)
     VALUES ($1, 'user', $2, $3::jsonb, $4::jsonb) RETURNING id`,
    [bookingId, action, before === null ? null : JSON.stringify(before), after === null ? null : JSON.stringify(after)],
  );
  return Number(row!.id);
}

export async function moveBooking(tenant: TenantContext, bookingId: string, startsAt: Date): Promise<void> {
  const end = new Date(startsAt.getTime() + 60 * 60_000);
  await sql(
    `UPDATE ${quoteSchema(tenant.schemaName)}.bookings
        SET starts_at = $2, ends_at = $3, blocked_from = $2, blocked_until = $3, manage_token_version = manage_token_version + 1
      WHERE id = $1`,
    [bookingId, startsAt.toISOString(), end.toISOString()],
  );
}

export async function setStatus(tenant: TenantContext, bookingId: string, status: string): Promise<void> {
  await sql(`UPDATE ${quoteSchema(tenant.schemaName)}.bookings SET status = $2 WHERE id = $1`, [bookingId, status]);
}

export async function outbox(tenant: TenantContext, where = "true", params: unknown[] = []) {
  return sql<{
    id: string;
    kind: string;
    status: string;
    attempts: number;
    dedupe_key: string;
    booking_id: string;
    last_error: string | null;
    provider_message_id: string | null;
    channel: string;
    locale: string;
  }>(`SELECT * FROM ${quoteSchema(tenant.schemaName)}.notifications WHERE ${where} ORDER BY created_at, dedupe_key`, params);
}

export const minutes = (n: number) => n * 60_000;

export function decodeIcs(message: Captured): string {
  const b64 = message.body.attachments[0].content as string;
  const bin = atob(b64);
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}
