/**
 * Back-office people for the browser tests: a user with a password and a role
 * in some of the e2e businesses, written straight to the database (what the
 * test is about is the screens, not the sign-up), removed again afterwards,
 * and the sign-in form filled as a person would.
 */
import { eq, inArray } from "drizzle-orm";
import type { Page } from "playwright-core";
import { hashPassword } from "../../src/auth/passwords";
import { toDrizzle, withClient } from "../../src/db/client";
import { type MembershipRole, tenantMemberships, tenants as tenantsTable, users } from "../../src/db/schema/public";
import { e2e } from "./helpers";

export interface Person {
  email: string;
  name: string;
}

/** Creates each person with `password` and their role in the business with slug `slug`. */
export async function addPeople(slug: string, password: string, people: [Person, MembershipRole][]): Promise<void> {
  const hash = await hashPassword(password);
  await withClient(e2e().db, async (c) => {
    const d = toDrizzle(c);
    const [tenant] = await d.select({ id: tenantsTable.id }).from(tenantsTable).where(eq(tenantsTable.slug, slug));
    for (const [person, role] of people) {
      const [user] = await d
        .insert(users)
        .values({ email: person.email, displayName: person.name, passwordHash: hash })
        .returning({ id: users.id });
      await d.insert(tenantMemberships).values({ tenantId: tenant!.id, userId: user!.id, role });
    }
  });
}

/** Deletes the people a file created (their memberships and sessions go with them). */
export async function removePeople(emails: string[]): Promise<void> {
  await withClient(e2e().db, async (c) => {
    await toDrizzle(c).delete(users).where(inArray(users.email, emails));
  }).catch(() => {});
}

/** Fills the sign-in form the page shows (any of the three languages) and waits to land on `landing`. */
export async function signInWith(page: Page, credentials: { email: string; password: string }, landing: RegExp): Promise<void> {
  await page.fill("input[name=email]", credentials.email);
  await page.fill("input[name=password]", credentials.password);
  await page.getByRole("button", { name: /Se connecter|Sign in|دخول/ }).click();
  await page.waitForURL(landing);
}
