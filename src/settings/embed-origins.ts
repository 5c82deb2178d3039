/**
 * The sites allowed to frame the booking pages (`settings.embed_origins`).
 * Each value ends up verbatim in a `Content-Security-Policy: frame-ancestors`
 * header (src/web/embed.ts), so it must be a bare origin: scheme, host and an
 * optional port, nothing that could widen the rule (a path, a wildcard, a
 * `*` scheme source, a second token after a space). Plain http is accepted only
 * for the developer's own machine outside production, where the booking page
 * itself is served over http.
 */
import { InvalidInput } from "../domain/errors";

/** `scheme://host[:port]` in lower case, the shape embed.ts puts in the header. */
export const EMBED_ORIGIN_PATTERN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/;
export const MAX_EMBED_ORIGINS = 10;

const LOCAL_HOST = /^(localhost|127\.0\.0\.1|[a-z0-9-]+(\.[a-z0-9-]+)*\.localhost)$/;

/** The origin `input` stands for, or why it cannot be one. */
export function embedOriginOf(input: string, allowLocalHttp: boolean): { origin: string } | { problem: string } {
  const text = input.trim();
  if (text.includes("*")) return { problem: "Wildcards are not allowed: list each site's origin." };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: "Enter a site's origin such as https://www.example.ma." };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { problem: "Use an https:// origin." };
  if (url.username || url.password || url.search || url.hash || url.pathname !== "/" || /[?#]/.test(text)) {
    return { problem: "Only the origin: scheme, host and port, no path (https://www.example.ma)." };
  }
  // `https://site.ma/` is the same origin; anything longer after the host was a path.
  if (!/^https?:\/\/[^/]+\/?$/i.test(text)) return { problem: "Only the origin: scheme, host and port, no path (https://www.example.ma)." };
  if (url.protocol === "http:" && !(allowLocalHttp && LOCAL_HOST.test(url.hostname))) {
    return { problem: "Use https:// (plain http only for localhost, outside production)." };
  }
  const origin = url.origin.toLowerCase();
  if (!EMBED_ORIGIN_PATTERN.test(origin)) return { problem: "Enter a site's origin such as https://www.example.ma." };
  return { origin };
}

/** The normalised, de-duplicated list; one 422 naming every bad entry (`embed_origins.<i>`). */
export function normaliseEmbedOrigins(inputs: readonly string[], allowLocalHttp: boolean): string[] {
  const out: string[] = [];
  const problems: { field: string; message: string }[] = [];
  inputs.forEach((input, i) => {
    const result = embedOriginOf(input, allowLocalHttp);
    if ("problem" in result) problems.push({ field: `embed_origins.${i}`, message: result.problem });
    else if (!out.includes(result.origin)) out.push(result.origin);
  });
  if (out.length > MAX_EMBED_ORIGINS) problems.push({ field: "embed_origins", message: `At most ${MAX_EMBED_ORIGINS} sites.` });
  if (problems.length) throw new InvalidInput(problems);
  return out;
}
