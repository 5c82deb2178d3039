/**
 * The frame of every back-office page (AdminLayout: sidebar nav, user menu with
 * sign-out and language, landmarks), the frame of the pages before sign-in
 * (AuthLayout), and the hidden CSRF field every form carries (CsrfField).
 */
import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { Context } from "hono";
import { roleAtLeast } from "../auth/guards";
import type { MembershipRole } from "../db/schema/public";
import { LANGS, messages as webMessages } from "../web/i18n";
import type { AdminRequest } from "./session";
import { ADMIN_CSS, ADMIN_SCRIPT } from "./styles";

export type NavKey = "calendar" | "customers" | "takings" | "settings";

const ICONS: Record<NavKey | "menu" | "soon", string> = {
  calendar:
    '<path d="M7 3v3M17 3v3M4 9h16M5 5h14a1 1 0 0 1 1 1v13a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1Z"/><path d="M8 13h3v3H8z"/>',
  customers:
    '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 19.5c.8-3.4 3.4-5.5 6.5-5.5s5.7 2.1 6.5 5.5"/><path d="M16 4.8a3.3 3.3 0 0 1 0 6.4M18.5 14.4c1.5.8 2.6 2.5 3 5.1"/>',
  takings: '<rect x="3" y="6" width="18" height="13" rx="2"/><path d="M3 10h18M7 15h4"/>',
  settings:
    '<circle cx="12" cy="12" r="3"/><path d="M12 2.5v3M12 18.5v3M4.2 4.2l2.1 2.1M17.7 17.7l2.1 2.1M2.5 12h3M18.5 12h3M4.2 19.8l2.1-2.1M17.7 6.3l2.1-2.1"/>',
  menu: '<path d="M4 7h16M4 12h16M4 17h16"/>',
  soon: '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
};

export function Icon({ name }: { name: keyof typeof ICONS }) {
  return raw(
    `<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${ICONS[name]}</svg>`,
  );
}

/** The hidden field every back-office form carries; requireSession checks it on every write. */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

/** Nav entries; `soon` ones show a "coming soon" tag until their module lands; `minRole` hides them from lower roles. */
export const NAV: { key: NavKey; href: string; soon?: boolean; minRole?: MembershipRole }[] = [
  { key: "calendar", href: "/admin/calendar" },
  { key: "customers", href: "/admin/customers" },
  { key: "takings", href: "/admin/takings" },
  { key: "settings", href: "/admin/settings", minRole: "admin" },
];

function Head({ title, tenantName, css }: { title: string; tenantName: string; css?: string }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      <meta name="theme-color" content="#0f766e" />
      <title>{`${title} · ${tenantName}`}</title>
      <script>{raw('document.documentElement.setAttribute("data-js","")')}</script>
      <style>{raw(ADMIN_CSS + (css ?? ""))}</style>
    </head>
  );
}

/** The language switcher (user menu, sign-in footer, the platform console header). */
export function Langs({ req, label }: { req: Pick<AdminRequest, "lang" | "hrefFor">; label: string }) {
  return (
    <nav aria-label={label}>
      <ul class="langs">
        {LANGS.map((lang) => (
          <li>
            <a href={req.hrefFor(lang)} lang={lang} hreflang={lang} aria-current={lang === req.lang ? "true" : undefined}>
              {webMessages(lang).langName}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

const initial = (text: string) => text.trim().charAt(0).toUpperCase() || "?";

export interface AdminLayoutProps {
  req: AdminRequest;
  title: string;
  /** Which nav entry is current (defaults to the one whose href starts the path). */
  nav?: NavKey;
  /** Shown in the user menu when the page knows it (else the role). */
  userName?: string;
  /** Buttons or links at the end of the page header. */
  actions?: Child;
  /** Extra CSS of the page module (inlined after the shell's). */
  css?: string;
  /** Extra inline script of the page module (runs after the shell's). */
  script?: string;
  children: Child;
}

export function AdminLayout(props: AdminLayoutProps) {
  const { req } = props;
  const { m, tenant } = req;
  const session = req.session;
  const current = props.nav ?? NAV.find((n) => req.path === n.href || req.path.startsWith(`${n.href}/`))?.key;
  const roleName = session ? (m.roles[session.role] ?? session.role) : "";
  const who = props.userName?.trim() || roleName;
  return (
    <html lang={req.lang} dir={m.dir}>
      <Head title={props.title} tenantName={tenant.name} css={props.css} />
      <body>
        <a class="skip" href="#main">
          {m.skip}
        </a>
        <div class="shell">
          <header class="side" id="side">
            <div class="side-top">
              <a class="brand" href="/admin">
                <span class="mono" aria-hidden="true">
                  {initial(tenant.name)}
                </span>
                <span>
                  <b>{tenant.name}</b>
                  <small>{m.backOffice}</small>
                </span>
              </a>
              <button type="button" class="menu-btn" id="menu-btn" aria-expanded="false" aria-controls="side-nav" hidden>
                <Icon name="menu" />
                {m.menu}
              </button>
            </div>
            <nav aria-label={m.mainNav} id="side-nav">
              <ul class="nav">
                {NAV.filter((item) => !item.minRole || (session && roleAtLeast(session.role, item.minRole))).map((item) => (
                  <li>
                    <a href={item.href} aria-current={item.key === current ? "page" : undefined}>
                      <Icon name={item.key} />
                      <span>{m.nav[item.key]}</span>
                      {item.soon ? <span class="tag">{m.soonTag}</span> : null}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            {session ? (
              <details class="user">
                <summary>
                  <span class="avatar" aria-hidden="true">
                    {initial(who)}
                  </span>
                  <span class="who">
                    <small>{m.signedInAs}</small>
                    <b>{who}</b>
                  </span>
                </summary>
                <div class="user-panel">
                  {props.userName ? <span class="note">{roleName}</span> : null}
                  <a href="/admin/account/alerts">{m.myAlerts}</a>
                  <Langs req={req} label={m.languages} />
                  <form method="post" action="/admin/logout">
                    <CsrfField token={session.csrf} />
                    <button type="submit" class="btn ghost block">
                      {m.signOut}
                    </button>
                  </form>
                </div>
              </details>
            ) : null}
          </header>
          <div class="content">
            <div class="page-head">
              <h1>{props.title}</h1>
              {props.actions ?? null}
            </div>
            <main id="main" tabindex={-1}>
              {props.children}
            </main>
          </div>
        </div>
        <script>{raw(ADMIN_SCRIPT + (props.script ?? ""))}</script>
      </body>
    </html>
  );
}

/** The frame of sign-in, forgotten password, reset and invitation pages. */
export function AuthLayout(props: { req: Omit<AdminRequest, "session">; title: string; children: Child }) {
  const { req } = props;
  const { m, tenant } = req;
  return (
    <html lang={req.lang} dir={m.dir}>
      <Head title={props.title} tenantName={tenant.name} />
      <body>
        <a class="skip" href="#main">
          {m.skip}
        </a>
        <div class="auth">
          <div class="auth-box">
            <header class="auth-brand">
              <span class="mono" aria-hidden="true">
                {initial(tenant.name)}
              </span>
              <span>
                <b>{tenant.name}</b>
                <small>{m.backOffice}</small>
              </span>
            </header>
            <main id="main" tabindex={-1} class="card">
              {props.children}
            </main>
            <footer class="auth-foot">
              <Langs req={req} label={m.languages} />
              <span class="note">{m.poweredBy}</span>
            </footer>
          </div>
        </div>
        <script>{raw(ADMIN_SCRIPT)}</script>
      </body>
    </html>
  );
}

/**
 * Sends a page: no caching, no framing. The referrer policy is same-origin so
 * form posts carry a real `Origin` (no-referrer would send `Origin: null`);
 * pages whose URL holds a token (reset, invitation) pass `secretUrl`.
 */
export function adminHtml(
  c: Context,
  body: unknown,
  status: 200 | 400 | 403 | 404 | 409 | 422 | 429 = 200,
  opts: { secretUrl?: boolean } = {},
) {
  c.header("cache-control", "no-store");
  c.header("referrer-policy", opts.secretUrl ? "no-referrer" : "same-origin");
  c.header("x-frame-options", "DENY");
  return c.html(`<!DOCTYPE html>${String(body)}`, status);
}
