/**
 * The tab bar every /admin/settings/* screen shows, so the owner moves between
 * setup sections without going back to a menu. One list here keeps the order
 * and the role rule of each tab in one place; a screen passes its own key.
 */
import { roleAtLeast } from "../auth/guards";
import type { MembershipRole } from "../db/schema/public";
import type { AdminRequest } from "./session";

export type SettingsTab = "profile" | "policy" | "services" | "staff" | "hours" | "team" | "messaging" | "integrations";

/** Profile and team are the owner's (they change who the business is and who gets in); the rest is admin and above. */
export const SETTINGS_TABS: { key: SettingsTab; minRole: MembershipRole }[] = [
  { key: "profile", minRole: "owner" },
  { key: "policy", minRole: "admin" },
  { key: "services", minRole: "admin" },
  { key: "staff", minRole: "admin" },
  { key: "hours", minRole: "admin" },
  { key: "team", minRole: "owner" },
  { key: "messaging", minRole: "admin" },
  { key: "integrations", minRole: "admin" },
];

export const SETTINGS_TABS_CSS = `
.tabs{display:flex;gap:.35rem;flex-wrap:wrap;list-style:none;margin:0 0 1rem;padding:0}
.tabs a{display:flex;align-items:center;padding:.45rem .9rem;border-radius:999px;border:1px solid var(--line);background:#fff;color:#3d444d;text-decoration:none;font-weight:600;min-height:2.6rem}
.tabs a[aria-current=page]{background:var(--a);border-color:var(--a);color:var(--on-a)}
`;

export function SettingsTabs({ req, current }: { req: AdminRequest; current: SettingsTab }) {
  const words = req.m.settingsTabs;
  const role = req.session?.role;
  const tabs = SETTINGS_TABS.filter((t) => role && roleAtLeast(role, t.minRole));
  return (
    <nav aria-label={words.label}>
      <ul class="tabs">
        {tabs.map(({ key }) => (
          <li>
            <a href={`/admin/settings/${key}`} aria-current={key === current ? "page" : undefined}>
              {words[key]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
