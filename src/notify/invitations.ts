/**
 * Invitation emails go through the tenant's outbox like every other message:
 * one statement, deduplicated per invitation, with the inviter's name looked up
 * in the same statement.
 */
import { type SQL, sql } from "drizzle-orm";
import { users } from "../db/schema/public";
import { tenantTables } from "../db/schema/tenant";
import { columnList, columnName } from "../db/sql";
import { asQueryable, type NotifyDb } from "./outbox";

export interface InvitationEmail {
  invitationId: string;
  email: string;
  role: string;
  acceptUrl: string;
  invitedBy: string | null;
  locale: string;
}

/** The one statement queuing the email (no-op when already queued), for a batch or a transaction. */
export function invitationEmailStatement(schemaName: string, input: InvitationEmail): SQL {
  const n = tenantTables(schemaName).notifications;
  return sql`INSERT INTO ${n} (${columnList(n.channel, n.kind, n.dedupeKey, n.recipient, n.locale, n.payload)})
     VALUES ('email', 'invitation', ${`invitation:${input.invitationId}`}, ${input.email}, ${input.locale}, jsonb_build_object(
       'role', ${input.role}::text,
       'accept_url', ${input.acceptUrl}::text,
       'inviter_name', coalesce((SELECT nullif(${users.displayName}, '') FROM ${users} WHERE ${users.id} = ${input.invitedBy}::uuid), '')))
     ON CONFLICT (${columnName(n.dedupeKey)}) DO NOTHING`;
}

export async function enqueueInvitationEmail(db: NotifyDb, schemaName: string, input: InvitationEmail): Promise<void> {
  await asQueryable(db).execute(invitationEmailStatement(schemaName, input));
}
