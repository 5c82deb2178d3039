/**
 * Development logins for the demo business: `npm run dev` makes sure it has an
 * owner and a staff member who can sign in to http://demo.localhost:8787/admin,
 * and prints both. The staff login is linked to the first demo stylist, so the
 * calendar shows that person's own column. Idempotent: users, memberships and
 * the link are created when missing, and the password is put back when it no
 * longer matches (the printed one always works). Refused when APP_ENV is
 * production: these passwords are public.
 */
import type { Client } from "@neondatabase/serverless";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { hashPassword, verifyPassword } from "../src/auth/passwords";
import { toDrizzle } from "../src/db/client";
import { type MembershipRole, tenantMemberships, users } from "../src/db/schema/public";
import { tenantTables } from "../src/db/schema/tenant";
import { DEMO_SLUG } from "../src/demo/seed";
import { findTenantBySlug } from "../src/tenancy/queries";

export interface DevLogin {
  role: MembershipRole;
  email: string;
  password: string;
  displayName: string;
}

export const DEV_LOGINS: DevLogin[] = [
  { role: "owner", email: "owner@demo.localhost", password: "Demo-Owner-2026", displayName: "Nadia Benali" },
  { role: "staff", email: "staff@demo.localhost", password: "Demo-Staff-2026", displayName: "Youssef Amrani" },
];

export async function ensureDevLogins(client: Client, appEnv: string | undefined = process.env.APP_ENV): Promise<DevLogin[]> {
  if (appEnv === "production") throw new Error("development logins are never created when APP_ENV=production");
  const db = toDrizzle(client);
  const tenant = await findTenantBySlug(db, DEMO_SLUG);
  if (!tenant) throw new Error(`no ${DEMO_SLUG} tenant: run the demo seed first`);
  const t = tenantTables(tenant.schemaName);
  for (const login of DEV_LOGINS) {
    const [existing] = await db.select({ id: users.id, hash: users.passwordHash }).from(users).where(eq(users.email, login.email));
    let userId = existing?.id;
    if (!existing) {
      const [row] = await db
        .insert(users)
        .values({ email: login.email, displayName: login.displayName, passwordHash: await hashPassword(login.password) })
        .returning({ id: users.id });
      userId = row!.id;
    } else if (!existing.hash || !(await verifyPassword(login.password, existing.hash))) {
      await db
        .update(users)
        .set({ passwordHash: await hashPassword(login.password), isActive: true, updatedAt: sql`now()` })
        .where(eq(users.id, existing.id));
    }
    await db
      .insert(tenantMemberships)
      .values({ tenantId: tenant.id, userId: userId!, role: login.role })
      .onConflictDoUpdate({ target: [tenantMemberships.userId, tenantMemberships.tenantId], set: { role: login.role } });
    if (login.role === "staff") {
      const [linked] = await db.select({ id: t.staff.id }).from(t.staff).where(eq(t.staff.userId, userId!));
      if (!linked) {
        const [first] = await db
          .select({ id: t.staff.id })
          .from(t.staff)
          .where(and(isNull(t.staff.userId), eq(t.staff.isActive, true)))
          .orderBy(asc(t.staff.createdAt), asc(t.staff.displayName))
          .limit(1);
        if (first) await db.update(t.staff).set({ userId: userId! }).where(eq(t.staff.id, first.id));
      }
    }
  }
  return DEV_LOGINS;
}
