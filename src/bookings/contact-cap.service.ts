/**
 * Slot hoarding, per contact: a public booking is refused (429) when the
 * email or the phone typed in the request already has the business's cap
 * (`settings.max_active_bookings_per_contact`, default 3) of upcoming
 * pending/confirmed bookings. Counted on the booking's own contact snapshot
 * (normalised `contact_email` / `contact_phone`), so it holds whichever customer record a booking is linked to.
 *
 * Exact under concurrency: the insert takes an advisory lock per contact
 * value (same round trip, sql-util.ts) and its WHERE counts after the lock,
 * in READ COMMITTED, so it sees every booking committed by the previous
 * holder; two parallel requests for one contact cannot both take the last
 * place.
 */
import type { Client } from "@neondatabase/serverless";
import { RateLimited } from "../domain/errors";
import { quoteSchema } from "../tenancy/naming";
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

/** How many upcoming bookings the contact in `$email`/`$phone` placeholders has. */
function upcomingCount(schemaName: string, email: string, phone: string): string {
  return `(SELECT count(*) FROM ${quoteSchema(schemaName)}.bookings x
            WHERE x.status IN ('pending', 'confirmed') AND x.starts_at > now()
              AND ((${email}::text IS NOT NULL AND x.contact_email = ${email}::text)
                OR (${phone}::text IS NOT NULL AND x.contact_phone = ${phone}::text)))`;
}

function capOf(schemaName: string): string {
  return `coalesce((SELECT st.max_active_bookings_per_contact FROM ${quoteSchema(schemaName)}.settings st WHERE st.id = 1), ${DEFAULT_CONTACT_CAP})`;
}

/** A condition for the insert's WHERE: true while the contact is under the cap (or the cap does not apply). */
export function underContactCapSql(schemaName: string, p: { email: string; phone: string; applies: string }): string {
  return `(NOT ${p.applies}::boolean OR ${upcomingCount(schemaName, p.email, p.phone)} < ${capOf(schemaName)})`;
}

/** After an insert selected nothing: was it the cap? (One more round trip, on that path only.) */
export async function contactCapReached(client: Client, tenant: TenantContext, contact: Contact): Promise<boolean> {
  const { rows } = await client.query(`SELECT ${upcomingCount(tenant.schemaName, "$1", "$2")} >= ${capOf(tenant.schemaName)} AS reached`, [
    contact.email,
    contact.phone,
  ]);
  return (rows[0] as { reached: boolean }).reached;
}

export function contactCapError(): RateLimited {
  return new RateLimited(
    "This email address or phone number already has the most upcoming bookings allowed here. Cancel one, or contact the business.",
    CONTACT_CAP_RETRY_AFTER_SECONDS,
    "contact_cap",
  );
}
