/**
 * Slot hoarding, per contact: a public booking is refused (429) when the
 * email or the phone typed in the request already has the business's cap
 * (`settings.max_active_bookings_per_contact`, default 3) of upcoming
 * pending/confirmed bookings. Counted on the booking's own contact snapshot
 * (normalised `contact_email` / `contact_phone`), so it holds whichever customer record a booking is linked to.
 *
 * Exact under concurrency: the insert takes an advisory lock per contact
 * value (same round trip: `underLocks`, src/db/sql.ts) and its WHERE counts after the lock,
 * in READ COMMITTED, so it sees every booking committed by the previous
 * holder; two parallel requests for one contact cannot both take the last
 * place.
 */
import { type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Queryable, rowsOf } from "../db/client";
import type { TenantTables } from "../db/schema/tenant";
import { RateLimited } from "../domain/errors";
import type { TenantContext } from "../domain/tenant";

export const DEFAULT_CONTACT_CAP = 3;
/**
 * Retry-After of a refusal. Deliberately not derived from the contact's
 * bookings: anyone can type someone's phone number, and the answer must not
 * tell when that person's next appointment is.
 */
export const CONTACT_CAP_RETRY_AFTER_SECONDS = 3600;

export interface Contact {
  email: string | null;
  phone: string | null;
}

/** Lock keys serialising bookings of one contact value (email and phone each). */
export function contactLocks(tenant: TenantContext, contact: Contact): string[] {
  const locks: string[] = [];
  if (contact.email) locks.push(`${tenant.schemaName}:contact:${contact.email}`);
  if (contact.phone) locks.push(`${tenant.schemaName}:contact:${contact.phone}`);
  return locks;
}

/** How many upcoming bookings the contact has (its email or its phone). */
function upcomingCount(t: TenantTables, contact: Contact): SQL {
  const x = alias(t.bookings, "x");
  return sql`(SELECT count(*) FROM ${t.bookings} x
            WHERE ${x.status} IN ('pending', 'confirmed') AND ${x.startsAt} > now()
              AND ((${contact.email}::text IS NOT NULL AND ${x.contactEmail} = ${contact.email}::text)
                OR (${contact.phone}::text IS NOT NULL AND ${x.contactPhone} = ${contact.phone}::text)))`;
}

function capOf(t: TenantTables): SQL {
  const st = alias(t.settings, "st");
  return sql`coalesce((SELECT ${st.maxActiveBookingsPerContact} FROM ${t.settings} st WHERE ${st.id} = 1), ${DEFAULT_CONTACT_CAP}::int)`;
}

/** A condition for the insert's WHERE: true while the contact is under the cap. */
export function underContactCap(t: TenantTables, contact: Contact): SQL {
  return sql`${upcomingCount(t, contact)} < ${capOf(t)}`;
}

/** After an insert selected nothing: was it the cap? (One more round trip, on that path only.) */
export async function contactCapReached(db: Queryable, t: TenantTables, contact: Contact): Promise<boolean> {
  const [row] = await rowsOf<{ reached: boolean }>(db, sql`SELECT ${upcomingCount(t, contact)} >= ${capOf(t)} AS reached`);
  return row!.reached;
}

export function contactCapError(): RateLimited {
  return new RateLimited(
    "This email address or phone number already has the most upcoming bookings allowed here. Cancel one, or contact the business.",
    CONTACT_CAP_RETRY_AFTER_SECONDS,
    "contact_cap",
  );
}
