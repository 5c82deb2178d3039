/**
 * Invitation emails go through the tenant's outbox like every other message:
 * one statement, deduplicated per invitation, with the inviter's name looked up
 * in the same statement.
 */
import type { Client } from "@neondatabase/serverless";
import { quoteSchema } from "../tenancy/naming";

export interface InvitationEmail {
  invitationId: string;
  email: string;
  role: string;
  acceptUrl: string;
  invitedBy: string | null;
  locale: string;
}

export async function enqueueInvitationEmail(client: Pick<Client, "query">, schemaName: string, input: InvitationEmail): Promise<void> {
  await client.query(
    `INSERT INTO ${quoteSchema(schemaName)}."notifications" (channel, kind, dedupe_key, recipient, locale, payload)
     VALUES ('email', 'invitation', $1, $2, $3, jsonb_build_object(
       'role', $4::text,
       'accept_url', $5::text,
       'inviter_name', coalesce((SELECT nullif(display_name, '') FROM "public"."users" WHERE id = $6::uuid), '')))
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [`invitation:${input.invitationId}`, input.email, input.locale, input.role, input.acceptUrl, input.invitedBy],
  );
}
