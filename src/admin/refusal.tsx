/** The 403 pages of the back office: a role too low for the page, or a form whose CSRF token is missing or wrong. */
import { AdminLayout, AuthLayout } from "./layout";
import { adminHtml } from "./layout";
import { type AdminContext, requestBasics } from "./session";

export function refusalResponse(c: AdminContext, kind: "forbidden" | "csrf"): Response {
  const req = c.get("admin") ?? { ...requestBasics(c), session: null };
  const words = kind === "csrf" ? req.m.csrf : req.m.forbidden;
  const body = (
    <>
      <p class="alert bad" role="alert">
        {words.text}
      </p>
      <p>
        <a class="btn ghost" href="/admin">
          {req.m.home}
        </a>
      </p>
    </>
  );
  const page = req.session ? (
    <AdminLayout req={req} title={words.title}>
      {body}
    </AdminLayout>
  ) : (
    <AuthLayout req={req} title={words.title}>
      <h1>{words.title}</h1>
      {body}
    </AuthLayout>
  );
  return adminHtml(c, page, 403);
}
