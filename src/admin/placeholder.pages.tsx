/**
 * Placeholders for the screens other modules build (calendar, customers,
 * takings, settings): each answers with the shell and a "coming soon" card, so
 * the nav works end to end. A module that lands replaces its entry in
 * admin.index.ts (see README-shell.md); this file goes when none is left.
 */
import { Hono } from "hono";
import { AdminLayout, Icon, type NavKey } from "./layout";
import { adminHtml } from "./layout";
import type { MembershipRole } from "../db/schema/public";
import { type AdminEnv, requirePageRole } from "./session";

/** `roles`: the lowest role each placeholder admits (default staff). */
export function placeholderPages(keys: NavKey[], roles: Partial<Record<NavKey, MembershipRole>> = {}): Hono<AdminEnv> {
  const pages = new Hono<AdminEnv>();
  for (const key of keys) {
    pages.get(`/${key}`, requirePageRole(roles[key] ?? "staff"), (c) => {
      const req = c.get("admin");
      return adminHtml(
        c,
        <AdminLayout req={req} title={req.m.nav[key]} nav={key}>
          <section class="card empty" aria-labelledby="soon-title">
            <Icon name="soon" />
            <b id="soon-title">{req.m.soon}</b>
            <span>{req.m.soonText}</span>
          </section>
        </AdminLayout>,
      );
    });
  }
  return pages;
}
