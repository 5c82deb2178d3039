/**
 * Phones that asked for no more WhatsApp or SMS (`message_opt_outs`). A row is
 * all it takes: reminders and event messages are not written for the phone
 * (reminders.ts, events.ts) and rows already queued are `skipped` at claim
 * time ("recipient opted out", outbox.ts), so an opt-out bites on the very
 * next delivery run. Sources: `whatsapp_stop` (a STOP reply) and `link` (the
 * manage page's button).
 */
import { sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "../db/client";
import { tenantTables } from "../db/schema/tenant";
import { columnList, columnName } from "../db/sql";

export type OptOutSource = "whatsapp_stop" | "link";

/** Records the opt-out once; a phone already opted out keeps its first source. */
export async function optOutPhone(db: Queryable, schemaName: string, phone: string, source: OptOutSource): Promise<void> {
  const oo = tenantTables(schemaName).messageOptOuts;
  await db.execute(
    sql`INSERT INTO ${oo} (${columnList(oo.phone, oo.source)}) VALUES (${phone}, ${source})
        ON CONFLICT (${columnName(oo.phone)}) DO NOTHING`,
  );
}

/**
 * Lifts an opt-out the manage link made. A STOP sent from the phone itself is
 * left alone: holding a booking's link does not prove holding its phone.
 * Returns whether messages flow again.
 */
export async function optInPhone(db: Queryable, schemaName: string, phone: string): Promise<boolean> {
  const oo = tenantTables(schemaName).messageOptOuts;
  const [row] = await rowsOf<{ blocked: boolean }>(
    db,
    sql`WITH d AS (DELETE FROM ${oo} WHERE ${oo.phone} = ${phone} AND ${oo.source} = 'link' RETURNING 1)
        SELECT EXISTS (SELECT 1 FROM ${oo} WHERE ${oo.phone} = ${phone} AND ${oo.source} <> 'link') AS blocked`,
  );
  return !row?.blocked;
}
