/**
 * Users in the public schema. Emails are stored trimmed and lower-cased (a
 * CHECK constraint insists), so lookups are plain equality and "A@x.ma " and
 * "a@x.ma" are the same account.
 */
import type { Client } from "@neondatabase/serverless";
import { z } from "@hono/zod-openapi";
import { ApiError } from "../http/problem";
import { assertStrongPassword, hashPassword } from "./passwords";

type Queryable = Pick<Client, "query">;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** An email field: trimmed and lower-cased before it is checked. */
export const EmailSchema = z
  .string()
  .max(254)
  .transform(normaliseEmail)
  .pipe(z.email({ message: "not a valid email address" }))
  .openapi({ type: "string", format: "email", example: "owner@salon.ma" });

export const UserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    displayName: z.string(),
    locale: z.string(),
    isSuperuser: z.boolean(),
    createdAt: z.string(),
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
    displayName: row.displayName,
    locale: row.locale,
    isSuperuser: row.isSuperuser,
    createdAt: new Date(row.createdAt).toISOString(),
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
  const parsedEmail = EmailSchema.safeParse(input.email);
  if (!parsedEmail.success) {
    throw new ApiError("validation_failed", "The email address is not valid.", {
      errors: [{ field: "email", message: "not a valid email address" }],
    });
  }
  const email = parsedEmail.data;
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
