/**
 * /admin/settings/team (owner only): who may sign in to this business's back
 * office. The same services and schemas as /api/memberships and
 * /api/invitations (src/team); the rules stay there (last owner, tenant scope).
 *
 * Owner only, like its tab: the screen decides who gets in, so admins are
 * refused it (they keep the API, which lets them manage non-owners).
 *
 *   GET  /admin/settings/team                        members, pending invitations, invite form
 *                                                    (?remove=<membership id> asks to confirm a removal)
 *   POST /admin/settings/team/invitations            invite by email with a role (the email goes through the outbox)
 *   POST /admin/settings/team/invitations/:id/resend a new link replaces the old one
 *   POST /admin/settings/team/invitations/:id/revoke
 *   POST /admin/settings/team/members/:id/role       change a role
 *   POST /admin/settings/team/members/:id/remove     remove a member (needs confirm=1)
 */
import { Hono } from "hono";
import { clearSessionCookie } from "../auth/sessions";
import { signingKeys } from "../auth/signing-keys";
import { Conflict, NotFound } from "../domain/errors";
import { IdParams } from "../http/schemas";
import { toListQuery } from "../http/list-query";
import * as invitations from "../team/invitations.service";
import { CreateInvitationBody, membershipListSpec, UpdateMembershipBody } from "../team/memberships.routes";
import * as members from "../team/memberships.service";
import { teamMessages } from "./i18n/team";
import { adminHtml } from "./layout";
import { type AdminContext, type AdminEnv, cookieOptions, formOf, requirePageRole, sessionOf } from "./session";
import { TEAM_PATH, TeamPage, type TeamView } from "./team.pages";

/** More than a salon's team; a bigger one sees the first ones and the count. */
const MEMBERS_SHOWN = 100;
const NOTICES = ["invited", "resent", "revoked", "role", "removed"] as const;

const words = (c: AdminContext) => teamMessages(c.get("admin").lang);
const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");
const db = (c: AdminContext) => c.get("database").http;
const keys = (c: AdminContext) => signingKeys(c as never);
const origin = (c: AdminContext) => new URL(c.req.url).origin;

/** The id in the path; anything that is not one answers like an unknown id. */
function idOf(c: AdminContext): string {
  const parsed = IdParams.safeParse({ id: c.req.param("id") });
  if (!parsed.success) throw new NotFound("No such member or invitation in this business.");
  return parsed.data.id;
}

async function render(c: AdminContext, view: TeamView = {}, status: 200 | 404 | 409 | 422 = 200) {
  const tenantId = c.get("admin").tenant.id;
  const list = toListQuery(membershipListSpec, { page_size: MEMBERS_SHOWN }, [members.memberScope(tenantId, null)]);
  const [rows, pending] = await Promise.all([members.listMembers(db(c), list), invitations.listPending(db(c), tenantId)]);
  return adminHtml(
    c,
    <TeamPage
      req={c.get("admin")}
      w={words(c)}
      members={rows.map(members.presentMember)}
      total={rows[0]?.total_count ?? 0}
      invitations={pending}
      {...view}
    />,
    status,
  );
}

async function teamPage(c: AdminContext) {
  const done = c.req.query("done");
  const notice = NOTICES.find((n) => n === done);
  const remove = c.req.query("remove");
  const view: TeamView = { notice: notice ? words(c).done[notice] : undefined };
  if (remove) {
    const parsed = IdParams.safeParse({ id: remove });
    if (!parsed.success) throw new NotFound("No such member in this business.");
    view.confirmRemove = await members.getMember(db(c), c.get("admin").tenant.id, parsed.data.id, null);
  }
  return render(c, view);
}

async function invitePost(c: AdminContext) {
  const form = await formOf(c);
  const values = { email: text(form.email), role: text(form.role) };
  const w = words(c);
  const parsed = CreateInvitationBody.safeParse(values);
  if (!parsed.success) {
    const fields = new Set(parsed.error.issues.map((i) => String(i.path[0])));
    const inviteErrors = { email: fields.has("email") ? w.errors.email : undefined, role: fields.has("role") ? w.errors.role : undefined };
    return render(c, { invite: values, inviteErrors }, 422);
  }
  const session = sessionOf(c);
  try {
    await invitations.invite(db(c), keys(c), c.get("admin").tenant, origin(c), {
      ...parsed.data,
      invitedBy: session.userId,
      inviterRole: session.role,
    });
  } catch (e) {
    if (e instanceof Conflict) return render(c, { invite: values, inviteErrors: { email: w.errors.alreadyMember } }, 409);
    throw e;
  }
  return c.redirect(`${TEAM_PATH}?done=invited`, 303);
}

async function resendPost(c: AdminContext) {
  const session = sessionOf(c);
  await invitations.resend(db(c), keys(c), c.get("admin").tenant, origin(c), idOf(c), { userId: session.userId, role: session.role });
  return c.redirect(`${TEAM_PATH}?done=resent`, 303);
}

async function revokePost(c: AdminContext) {
  await invitations.revoke(db(c), c.get("admin").tenant.id, idOf(c));
  return c.redirect(`${TEAM_PATH}?done=revoked`, 303);
}

async function rolePost(c: AdminContext) {
  const id = idOf(c);
  const form = await formOf(c);
  const w = words(c);
  const parsed = UpdateMembershipBody.safeParse({ role: text(form.role) });
  if (!parsed.success) return render(c, { memberError: { id, message: w.errors.role } }, 422);
  const session = sessionOf(c);
  let changed: Awaited<ReturnType<typeof members.changeRole>>;
  try {
    changed = await members.changeRole(db(c), c.get("admin").tenant.id, session.role, id, parsed.data.role);
  } catch (e) {
    if (e instanceof Conflict) return render(c, { memberError: { id, message: w.lastOwner } }, 409);
    throw e;
  }
  // An owner who made themselves admin or staff may no longer open this screen.
  if (changed.user.id === session.userId && changed.role !== "owner") return c.redirect("/admin/calendar", 303);
  return c.redirect(`${TEAM_PATH}?done=role`, 303);
}

async function removePost(c: AdminContext) {
  const id = idOf(c);
  const form = await formOf(c);
  const tenantId = c.get("admin").tenant.id;
  const target = await members.getMember(db(c), tenantId, id, null);
  // Never in one click: the form of the confirm step carries confirm=1.
  if (text(form.confirm) !== "1") return render(c, { confirmRemove: target });
  const session = sessionOf(c);
  try {
    await members.removeMember(db(c), tenantId, session.role, id);
  } catch (e) {
    if (e instanceof Conflict) return render(c, { memberError: { id, message: words(c).lastOwner } }, 409);
    throw e;
  }
  if (target.user.id === session.userId) {
    // Their tokens for this business were revoked with the membership: end the browser session too.
    c.header("set-cookie", clearSessionCookie(cookieOptions(c)), { append: true });
    return c.redirect("/admin/login", 303);
  }
  return c.redirect(`${TEAM_PATH}?done=removed`, 303);
}

export const teamPages = new Hono<AdminEnv>();
teamPages.get("/settings/team", requirePageRole("owner"), teamPage);
teamPages.post("/settings/team/invitations", requirePageRole("owner"), invitePost);
teamPages.post("/settings/team/invitations/:id/resend", requirePageRole("owner"), resendPost);
teamPages.post("/settings/team/invitations/:id/revoke", requirePageRole("owner"), revokePost);
teamPages.post("/settings/team/members/:id/role", requirePageRole("owner"), rolePost);
teamPages.post("/settings/team/members/:id/remove", requirePageRole("owner"), removePost);
