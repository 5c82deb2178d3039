/**
 * The embeddable booking page (issue 14). A business lists the origins allowed
 * to frame its pages (`settings.embed_origins`); a page requested as a frame
 * (`Sec-Fetch-Dest: iframe`) by a browser is then served with
 * `frame-ancestors 'self' <those origins>` instead of `'none'`, without
 * `X-Frame-Options: DENY`, and with a small script posting its height to the
 * parent (the embed script resizes the frame). Every other request — plain
 * links, top-level visits — keeps the blanket refusal and costs no query.
 *
 *   <script src="https://{host}/embed.js" data-mode="inline"></script>   an inline frame
 *   <script src="https://{host}/embed.js" data-label="Réserver"></script>  a Book button (new tab)
 */
import { sql } from "drizzle-orm";
import type { Context, Next } from "hono";
import { rowsOf } from "../db/client";
import { tenantTables } from "../db/schema/tenant";
import { FRAME_ANCESTORS_HEADER } from "../http/security-headers";
import { EMBED_ORIGIN_PATTERN } from "../settings/embed-origins";
import type { AppEnv } from "../http/types";

const RESIZE_SCRIPT = `<script>(function(){function h(){parent.postMessage({type:"bookme:height",height:document.documentElement.scrollHeight},"*")}addEventListener("load",h);if(window.ResizeObserver)new ResizeObserver(h).observe(document.documentElement);})();</script>`;

export async function embedFrames(c: Context<AppEnv>, next: Next) {
  await next();
  const dest = c.req.header("sec-fetch-dest");
  if (dest !== "iframe" && dest !== "frame") return;
  const tenant = c.get("tenant");
  if (!tenant || c.req.path.startsWith("/api/") || c.req.path.startsWith("/admin")) return;
  if (!(c.res.headers.get("content-type") ?? "").startsWith("text/html")) return;
  const st = tenantTables(tenant.schemaName).settings;
  const [row] = await rowsOf<{ origins: string[] | null }>(
    c.get("database").http,
    sql`SELECT ${st.embedOrigins} AS origins FROM ${st} WHERE ${st.id} = 1`,
  );
  // Read on every framed request (not cached with the tenant in KV): a change in the settings applies to the next load.
  // Checked again here, as the value goes into a header whatever wrote the row.
  const origins = (row?.origins ?? []).map((o) => o.toLowerCase()).filter((o) => EMBED_ORIGIN_PATTERN.test(o));
  if (!origins.length) return;
  const body = (await c.res.text()).replace(/<\/body>/i, `${RESIZE_SCRIPT}</body>`);
  c.res = new Response(body, c.res);
  c.res.headers.delete("x-frame-options");
  c.res.headers.set(FRAME_ANCESTORS_HEADER, origins.join(" "));
}

const EMBED_JS = `(function(){
  var s = document.currentScript; if (!s) return;
  var origin = new URL(s.src).origin;
  var url = origin + (s.getAttribute("data-path") || "/");
  if (s.getAttribute("data-mode") === "inline") {
    var f = document.createElement("iframe");
    f.src = url; f.title = s.getAttribute("data-title") || "Booking";
    f.style.cssText = "width:100%;border:0;min-height:480px;display:block";
    window.addEventListener("message", function (e) {
      if (e.origin === origin && e.source === f.contentWindow && e.data && e.data.type === "bookme:height") {
        f.style.height = Math.ceil(Number(e.data.height) || 480) + "px";
      }
    });
    s.parentNode.insertBefore(f, s.nextSibling);
  } else {
    var a = document.createElement("a");
    a.href = url; a.target = "_blank"; a.rel = "noopener"; a.className = "bookme-button";
    a.textContent = s.getAttribute("data-label") || "Book";
    a.style.cssText = "display:inline-block;padding:.6em 1.2em;border-radius:6px;background:#1f6feb;color:#fff;text-decoration:none;font:600 16px system-ui,sans-serif";
    s.parentNode.insertBefore(a, s.nextSibling);
  }
})();
`;

export function embedScript(c: Context<AppEnv>) {
  c.header("cache-control", "public, max-age=300");
  return c.body(EMBED_JS, 200, { "content-type": "text/javascript; charset=utf-8" });
}
