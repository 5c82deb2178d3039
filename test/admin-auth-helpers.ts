/**
 * Back-office (/admin) test helpers: a tiny cookie jar, sign-in through the
 * real login form (pre-session CSRF included) and form posts carrying the
 * session's CSRF token. Used by test/admin-*.test.ts.
 */
import { freshAddress, PASSWORD } from "./auth-fixtures";
import { call } from "./harness";

export const HTML = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };

/** Every Set-Cookie line of a response (workerd has getSetCookie; its types do not list it). */
export function setCookies(res: Response): string[] {
  return (res.headers as unknown as { getSetCookie(): string[] }).getSetCookie();
}

export class Jar {
  readonly cookies = new Map<string, string>();
  /** The client address this browser sends (each jar its own, so sign-in limits do not mix). */
  readonly address = freshAddress();

  take(res: Response): Response {
    for (const line of setCookies(res)) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  clone(): Jar {
    const copy = new Jar();
    for (const [k, v] of this.cookies) copy.cookies.set(k, v);
    return copy;
  }
}

/** The value of the first hidden `_csrf` field of a page. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error(`no _csrf field in page: ${html.slice(0, 300)}`);
  return match[1];
}

export async function get(host: string, path: string, jar?: Jar, headers: Record<string, string> = {}): Promise<Response> {
  const res = await call(host, path, {
    redirect: "manual",
    headers: {
      ...HTML,
      ...(jar?.cookies.size ? { cookie: jar.header() } : {}),
      "cf-connecting-ip": jar?.address ?? freshAddress(),
      ...headers,
    },
  });
  return jar ? jar.take(res) : res;
}

export async function postForm(
  host: string,
  path: string,
  jar: Jar | undefined,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  const res = await call(host, path, {
    method: "POST",
    redirect: "manual",
    headers: {
      ...HTML,
      "content-type": "application/x-www-form-urlencoded",
      ...(jar?.cookies.size ? { cookie: jar.header() } : {}),
      "cf-connecting-ip": jar?.address ?? freshAddress(),
      ...headers,
    },
    body: new URLSearchParams(fields).toString(),
  });
  return jar ? jar.take(res) : res;
}

/** Signs in through the login form; returns the jar (session cookie set) and the answer of the POST. */
export async function signInAdmin(host: string, email: string, password = PASSWORD, next?: string) {
  const jar = new Jar();
  const page = await get(host, `/admin/login${next ? `?next=${encodeURIComponent(next)}` : ""}`, jar);
  const csrf = csrfOf(await page.text());
  const res = await postForm(host, "/admin/login", jar, { _csrf: csrf, email, password, next: next ?? "/admin" });
  return { jar, res };
}

/** A signed-in jar and the session's CSRF token (read from a page's sign-out form). */
export async function adminSession(host: string, email: string, password = PASSWORD) {
  const { jar, res } = await signInAdmin(host, email, password);
  if (res.status !== 303 || !jar.cookies.has("bm_admin")) throw new Error(`admin sign-in failed: ${res.status} ${await res.text()}`);
  const page = await get(host, "/admin/calendar", jar);
  const csrf = csrfOf(await page.text());
  return { jar, csrf };
}
