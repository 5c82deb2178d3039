/**
 * Short manage links `https://{host}/m/<code>` for SMS and WhatsApp (a signed
 * manage token is ~300 characters). The code is 96 bits of HMAC-SHA256 over the
 * notification id with the app secret: unguessable without the secret, and the
 * same on a retry of the same message, so a resend never mints a second link.
 * Only the SHA-256 of the code is stored, with the booking's manage version and
 * start: a reschedule, a cancellation or any other change that bumps the version
 * revokes the link.
 */
import { sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Queryable, rowsOf } from "../db/client";
import { tenantTables } from "../db/schema/tenant";
import { columnList, columnName } from "../db/sql";

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The code of one message's link: 16 url-safe characters (96 bits). */
export async function shortCode(secret: string, notificationId: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(`short-link:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(notificationId)));
  return base64url(mac.slice(0, 12));
}

export async function hashCode(code: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(code)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export const SHORT_CODE_PATTERN = /^[A-Za-z0-9_-]{16}$/;

export interface NewShortLink {
  codeHash: string;
  bookingId: string;
  manageTokenVersion: number;
  startsAt: Date;
}

/** Stores links in one statement (a retried message's link exists already: ignored). */
export async function storeShortLinks(db: Queryable, schemaName: string, links: NewShortLink[]): Promise<void> {
  if (!links.length) return;
  const s = tenantTables(schemaName).shortLinks;
  const data = links.map((l) => ({
    code_hash: l.codeHash,
    booking_id: l.bookingId,
    manage_token_version: l.manageTokenVersion,
    starts_at: l.startsAt.toISOString(),
  }));
  await db.execute(
    sql`INSERT INTO ${s} (${columnList(s.codeHash, s.bookingId, s.manageTokenVersion, s.startsAt)})
     SELECT code_hash, booking_id, manage_token_version, starts_at
       FROM jsonb_to_recordset(${JSON.stringify(data)}::jsonb) AS x(code_hash text, booking_id uuid, manage_token_version int, starts_at timestamptz)
     ON CONFLICT (${columnName(s.codeHash)}) DO NOTHING`,
  );
}

export interface ShortLinkGrant {
  bookingId: string;
  version: number;
  endsAtMs: number;
}

/** The booking a code still grants, or null (unknown code, or the booking changed since the link was sent). */
export async function resolveShortLink(db: Queryable, schemaName: string, code: string): Promise<ShortLinkGrant | null> {
  if (!SHORT_CODE_PATTERN.test(code)) return null;
  const t = tenantTables(schemaName);
  const s = alias(t.shortLinks, "s");
  const b = alias(t.bookings, "b");
  const [row] = await rowsOf<{ booking_id: string; version: number; ends_ms: number }>(
    db,
    sql`SELECT ${b.id} AS booking_id, ${b.manageTokenVersion} AS version, (extract(epoch FROM ${b.endsAt}) * 1000)::float8 AS ends_ms
       FROM ${t.shortLinks} ${s} JOIN ${t.bookings} ${b} ON ${b.id} = ${s.bookingId}
      WHERE ${s.codeHash} = ${await hashCode(code)}
        AND ${b.manageTokenVersion} = ${s.manageTokenVersion} AND ${b.startsAt} = ${s.startsAt}`,
  );
  return row ? { bookingId: row.booking_id, version: Number(row.version), endsAtMs: Number(row.ends_ms) } : null;
}
