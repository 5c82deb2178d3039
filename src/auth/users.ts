/**
 * Users in the public schema. Emails are stored trimmed and lower-cased (a
 * CHECK constraint insists), so lookups are plain equality and "A@x.ma " and
 * "a@x.ma" are the same account.
 */
import { iso } from "../http/json";
import type { Client } from "@neondatabase/serverless";
import { z } from "@hono/zod-openapi";
import { emailProblem, normaliseEmail } from "../domain/contact";
import { assertStrongPassword, hashPassword } from "./passwords";

type Queryable = Pick<Client, "query">;

/**
 * An email field for request bodies, checked by the same rules as customer
 * and staff emails (trimmed, lower-cased). The problem becomes a zod issue
 * rather than a thrown error so the 422 names the body key it came from.
 */
export const EmailSchema = z
  .string()
  .transform((value, ctx) => {
    const problem = emailProblem(value);
    if (problem) {
      ctx.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    }
    return normaliseEmail(value);
  })
  .openapi({ type: "string", format: "email", maxLength: 254, example: "owner@salon.ma" });

export const UserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    display_name: z.string(),
    locale: z.string(),
    is_superuser: z.boolean(),
    created_at: z.string(),
  })
  .openapi("User");

/** Columns that are safe to return; the password hash is never among them. */
export const USER_COLUMNS = `u.id, u.email, u.display_name AS "displayName", u.locale,
  u.is_superuser AS "isSuperuser", u.created_at AS "createdAt"`;

export interface UserRow {
  id: string;
  email: string;
  displayName: string;
  locale: string;
  isSuperuser: boolean;
  createdAt: string | Date;
}

export function presentUser(row: UserRow): z.infer<typeof UserSchema> {
  return {
    id: row.id,
    email: row.email,
    display_name: row.displayName,
    locale: row.locale,
    is_superuser: row.isSuperuser,
    created_at: iso(row.createdAt)!,
  };
}

/**
 * Creates a superuser, or upgrades an existing user to superuser and sets the
 * password. Called by the CLI's `createsuperuser`; one statement.
 */
export async function createSuperuser(
  client: Queryable,
  input: { email: string; password: string; displayName?: string },
): Promise<{ id: string; email: string }> {
  const email = normaliseEmail(input.email);
  assertStrongPassword(input.password, email);
  const displayName = (input.displayName ?? "").trim().slice(0, 120);
  const hash = await hashPassword(input.password);
  const { rows } = await client.query(
    `INSERT INTO "public"."users" (email, display_name, password_hash, is_superuser, is_active)
     VALUES ($1, $2, $3, true, true)
     ON CONFLICT (lower(email)) DO UPDATE
       SET password_hash = EXCLUDED.password_hash, is_superuser = true, is_active = true,
           display_name = CASE WHEN $2 = '' THEN "users".display_name ELSE $2 END, updated_at = now()
     RETURNING id, email`,
    [email, displayName, hash],
  );
  return rows[0] as { id: string; email: string };
}
