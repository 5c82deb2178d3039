/**
 * A business's look on its booking pages, from `public.tenant_config.settings`
 * (jsonb). Keys read:
 *   logoUrl       https URL of the logo (shown at most 48 px high)
 *   accentColor   "#rrggbb", buttons, links and highlights
 *   contactPhone  shown when online changes are closed (cut-off passed)
 * Anything missing or malformed falls back to the defaults; the accent is
 * adjusted so text on it and accent-coloured text on white keep WCAG AA
 * contrast whatever colour the business picked.
 *
 * Pages that already run a query read the settings in that same statement;
 * the others use a per-isolate copy at most a minute old.
 */
import { contrast } from "../domain/colour";

export { contrast };

export interface Branding {
  logoUrl: string | null;
  accent: string;
  /** Text colour on accent backgrounds (#fff or #111). */
  onAccent: string;
  /** The accent, darkened if needed, for text and borders on white. */
  accentText: string;
  contactPhone: string | null;
}

export const DEFAULT_ACCENT = "#0f766e";

function darken(hex: string, factor: number): string {
  const n = parseInt(hex.slice(1), 16);
  const part = (shift: number) =>
    Math.round(((n >> shift) & 255) * factor)
      .toString(16)
      .padStart(2, "0");
  return `#${part(16)}${part(8)}${part(0)}`;
}

export function brandingFrom(settings: unknown): Branding {
  const s = (settings && typeof settings === "object" ? settings : {}) as Record<string, unknown>;
  const accent = typeof s.accentColor === "string" && /^#[0-9a-f]{6}$/i.test(s.accentColor) ? s.accentColor.toLowerCase() : DEFAULT_ACCENT;
  let logoUrl: string | null = null;
  if (typeof s.logoUrl === "string") {
    try {
      const url = new URL(s.logoUrl);
      if (url.protocol === "https:" || url.protocol === "http:") logoUrl = url.toString();
    } catch {
      logoUrl = null;
    }
  }
  let accentText = accent;
  for (let i = 0; i < 20 && contrast(accentText, "#ffffff") < 4.6; i++) accentText = darken(accentText, 0.85);
  const onAccent = contrast(accent, "#ffffff") >= 4.5 ? "#ffffff" : "#111111";
  const contactPhone = typeof s.contactPhone === "string" && s.contactPhone.trim() ? s.contactPhone.trim().slice(0, 40) : null;
  return { logoUrl, accent, onAccent, accentText, contactPhone };
}

const TTL_MS = 60_000;
const cache = new Map<string, { branding: Branding; at: number }>();

export function rememberBranding(tenantId: string, branding: Branding): Branding {
  cache.set(tenantId, { branding, at: Date.now() });
  return branding;
}

export function cachedBranding(tenantId: string): Branding | null {
  const hit = cache.get(tenantId);
  return hit && Date.now() - hit.at < TTL_MS ? hit.branding : null;
}
