/**
 * Users in the public schema. Emails are stored trimmed and lower-cased (a
 * CHECK constraint insists), so lookups are plain equality and "A@x.ma " and
 * "a@x.ma" are the same account.
 */
import { iso } from "../http/json";
import type { Client } from "@neondatabase/serverless";
import { z } from "@hono/zod-openapi";
import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import { type Queryable, queryableOf, rowsOf } from "../db/client";
import { users } from "../db/schema/public";
import { columnList, columnName } from "../db/sql";
import { emailProblem, normaliseEmail } from "../domain/contact";
import { assertStrongPassword, hashPassword } from "./passwords";

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
export function userColumns(u: Record<"id" | "email" | "displayName" | "locale" | "isSuperuser" | "createdAt", AnyColumn>): SQL {
  return sql`${u.id} AS id, ${u.email} AS email, ${u.displayName} AS "displayName", ${u.locale} AS locale,
  ${u.isSuperuser} AS "isSuperuser", ${u.createdAt} AS "createdAt"`;
}

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
  handle: Queryable | Client,
  input: { email: string; password: string; displayName?: string },
): Promise<{ id: string; email: string }> {
  const email = normaliseEmail(input.email);
  assertStrongPassword(input.password, email);
  const displayName = (input.displayName ?? "").trim().slice(0, 120);
  const hash = await hashPassword(input.password);
  const rows = await rowsOf<{ id: string; email: string }>(
    queryableOf(handle),
    sql`INSERT INTO ${users} (${columnList(users.email, users.displayName, users.passwordHash, users.isSuperuser, users.isActive)})
     VALUES (${email}, ${displayName}, ${hash}, true, true)
     ON CONFLICT (lower(${columnName(users.email)})) DO UPDATE
       SET ${columnName(users.passwordHash)} = EXCLUDED.${columnName(users.passwordHash)}, ${columnName(users.isSuperuser)} = true,
           ${columnName(users.isActive)} = true,
           ${columnName(users.displayName)} = CASE WHEN ${displayName}::text = '' THEN ${users.displayName} ELSE ${displayName}::text END,
           ${columnName(users.updatedAt)} = now()
     RETURNING ${users.id} AS id, ${users.email} AS email`,
  );
  return rows[0]!;
}
