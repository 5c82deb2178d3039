/**
 * What the three catalogue screens (services, categories, resources under
 * /admin/settings/services) share: the frame with the settings tabs and the
 * section links, the notice and error banners, and a labelled field whose
 * error is tied to it with aria-describedby.
 */
import type { Child } from "hono/jsx";
import type { ServicesMessages } from "./i18n/services";
import { AdminLayout } from "./layout";
import type { FieldErrors } from "./form-field";
import { SETTINGS_TABS_CSS, SettingsTabs } from "./settings-tabs";
import { tenantTables } from "../db/schema/tenant";
import type { TenantScope } from "../tenancy/scope";
import type { AdminContext, AdminRequest } from "./session";

export const CATALOGUE_PATH = "/admin/settings/services";
export type Section = "services" | "categories" | "resources";
export type { FieldErrors, Values } from "./form-field";
export { Field } from "./form-field";

const CSS = `
.sections{display:flex;gap:1rem;flex-wrap:wrap;list-style:none;margin:0 0 1rem;padding:0 0 .25rem;border-block-end:1px solid var(--line)}
.sections a{display:inline-block;padding:.4rem .1rem;color:#3d444d;text-decoration:none;font-weight:600;border-block-end:3px solid transparent}
.sections a[aria-current=page]{color:var(--a-d);border-block-end-color:var(--a)}
.stack{display:grid;gap:1rem;max-inline-size:56rem}
.items{list-style:none;margin:0;padding:0;display:grid;gap:.6rem}
.item{background:#fff;border:1px solid var(--line);border-radius:12px;padding:.75rem .9rem;display:flex;flex-wrap:wrap;gap:.5rem .75rem;align-items:center}
.item-main{flex:1 1 14rem;min-inline-size:0}
.item-main b{overflow-wrap:anywhere}
.meta{display:flex;flex-wrap:wrap;gap:.15rem .9rem;margin:.2rem 0 0;padding:0;list-style:none;color:var(--soft);font-size:.88rem}
.item-actions{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}
.item-actions form{margin:0}
.btn.small{min-height:2.4rem;padding:.3rem .7rem;font-size:.9rem}
.badge{display:inline-block;margin-inline-start:.5rem;padding:.05rem .55rem;border-radius:999px;font-size:.75rem;font-weight:700;vertical-align:middle}
.badge.on{background:#ecfdf3;color:#05603a}
.badge.off{background:#eef0f2;color:#3d444d}
.group-head{display:flex;align-items:baseline;gap:.5rem;margin:1.25rem 0 .5rem}
.group-head h2{margin:0}
.form{display:grid;gap:1rem;max-inline-size:52rem}
fieldset.card{margin:0;min-inline-size:0}
fieldset.card legend{font-weight:700;font-size:1.02rem;padding:0 .35rem}
.cols{display:grid;gap:0 1rem}
.checks{display:grid;gap:.35rem;border:0;margin:0 0 1rem;padding:0}
.checks legend{font-weight:600;font-size:.92rem;margin-block-end:.3rem;padding:0}
.check{display:flex;gap:.6rem;align-items:center;min-block-size:2.4rem}
.check input{inline-size:1.3rem;block-size:1.3rem;margin:0;flex:none}
.actions{display:flex;gap:.6rem;flex-wrap:wrap;align-items:center}
.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
.inline .field{flex:1 1 12rem;margin:0}
@media (min-width:640px){.cols{grid-template-columns:1fr 1fr}}
`.replace(/\n/g, "");

export function Notice({ kind, text }: { kind: "bad" | "ok"; text?: string | null }) {
  if (!text) return null;
  return (
    <p class={`alert ${kind}`} role={kind === "bad" ? "alert" : "status"}>
      {text}
    </p>
  );
}

export function CatalogueFrame(props: {
  req: AdminRequest;
  w: ServicesMessages;
  section: Section;
  title: string;
  notice?: string | null;
  problem?: string | null;
  actions?: Child;
  children: Child;
}) {
  const { req, w } = props;
  const links: { key: Section; href: string }[] = [
    { key: "services", href: CATALOGUE_PATH },
    { key: "categories", href: `${CATALOGUE_PATH}/categories` },
    { key: "resources", href: `${CATALOGUE_PATH}/resources` },
  ];
  return (
    <AdminLayout req={req} title={props.title} nav="settings" css={SETTINGS_TABS_CSS + CSS} actions={props.actions}>
      <SettingsTabs req={req} current="services" />
      <nav aria-label={w.sections.label}>
        <ul class="sections">
          {links.map((l) => (
            <li>
              <a href={l.href} aria-current={l.key === props.section ? "page" : undefined}>
                {w.sections[l.key]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <Notice kind="ok" text={props.notice} />
      <Notice kind="bad" text={props.problem} />
      {props.children}
    </AdminLayout>
  );
}

/** zod issue paths or a service's field problems → the first message per form field, in the screen's words. */
export function errorsFor(paths: string[], messages: Record<string, string>, rename: Record<string, string> = {}): FieldErrors {
  const out: FieldErrors = {};
  for (const path of paths) {
    const head = path.split(".")[0]!;
    const key = rename[head] ?? head;
    out[key] ??= messages[key] ?? messages[head] ?? "?";
  }
  return out;
}

export const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");
export const listOf = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === "string" && v ? [v] : []);

/** A whole number typed in a form: "" → undefined (the API's default), anything else not an integer → NaN (refused by the schema). */
export function wholeNumber(v: string): number | undefined {
  if (v === "") return undefined;
  return /^-?\d{1,9}$/.test(v) ? Number(v) : Number.NaN;
}

/** The tenant's tables on the request's HTTP handle (the shell's context is an AdminEnv one). */
export const catalogueScope = (c: AdminContext): TenantScope => {
  const tenant = c.get("admin").tenant;
  return { tenant, t: tenantTables(tenant.schemaName), db: c.get("database").http };
};

/**
 * Every row of a paginated service list (the screens show whole lists): pages
 * of the API's largest size until the total is reached, one statement for
 * any business with at most 100 rows.
 */
export async function allRows<R extends { total_count?: number }>(
  page: (query: { page: number; page_size: number; ordering?: string }) => Promise<{ rows: R[] }>,
  ordering?: string,
): Promise<R[]> {
  const out: R[] = [];
  for (let n = 1; ; n++) {
    const { rows } = await page({ page: n, page_size: 100, ordering });
    out.push(...rows);
    if (rows.length < 100 || out.length >= (rows[0]?.total_count ?? 0)) return out;
  }
}
