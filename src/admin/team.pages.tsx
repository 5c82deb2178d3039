/** The team screen (/admin/settings/team): members with their role and last activity, pending invitations, the invite form. Views only. */
import { MEMBERSHIP_ROLES, type MembershipRole } from "../db/schema/public";
import { formatDateTime } from "../web/format";
import { INTL_LOCALE, type Lang } from "../web/i18n";
import type { TeamMessages } from "./i18n/team";
import { AdminLayout, CsrfField } from "./layout";
import { SETTINGS_TABS_CSS, SettingsTabs } from "./settings-tabs";
import type { AdminRequest } from "./session";

export const TEAM_PATH = "/admin/settings/team";

const CSS = `
.team{display:grid;gap:1rem;max-width:60rem}
.team h2{margin:0 0 .35rem;font-size:1.1rem}
.roles{margin:.5rem 0 0;padding-inline-start:1.1rem;color:var(--soft);font-size:.88rem}
.people{list-style:none;margin:.75rem 0 0;padding:0}
.people>li{display:grid;gap:.5rem;padding:.75rem 0;border-block-start:1px solid var(--line);align-items:center}
.who-is b{display:block;overflow-wrap:anywhere}
.who-is>span{display:block;color:var(--soft);font-size:.9rem;overflow-wrap:anywhere}
.team h2.sub{margin-top:1.5rem}
.tag-you{display:inline-block;margin-inline-start:.35rem;font-size:.75rem;font-weight:600;color:var(--soft);background:#eef0f2;border-radius:999px;padding:0 .45rem}
.inline{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap;margin:0}
.inline select{font:inherit;min-height:2.6rem;padding:.4rem .6rem;border:1px solid #8c959f;border-radius:10px;background:#fff;color:inherit;min-inline-size:0;flex:1 1 9rem}
.seen small{display:block;color:var(--soft);font-size:.8rem}
.row-err{margin:0;grid-column:1/-1}
.invite{display:grid;gap:0 1rem;margin-top:.75rem}
.invite .actions{display:flex;align-items:end;margin:0 0 1rem}
.confirm{border-color:#f5b86b;background:#fffaeb}
.confirm p{margin:.25rem 0 .75rem}
.buttons{display:flex;gap:.5rem;flex-wrap:wrap}
@media (min-width:768px){
.people>li{grid-template-columns:minmax(12rem,2fr) minmax(17rem,1.5fr) minmax(9rem,1fr) auto}
.people.invites>li{grid-template-columns:minmax(12rem,2fr) minmax(12rem,1.5fr) auto}
.invite{grid-template-columns:2fr 1fr auto}
}
`.replace(/\n/g, "");

export interface MemberView {
  id: string;
  role: MembershipRole;
  user: { id: string; email: string; display_name: string };
  last_active_at: string | null;
}

export interface InvitationView {
  id: string;
  email: string;
  role: MembershipRole;
  created_at: string;
  expires_at: string;
}

export interface TeamView {
  notice?: string;
  /** Values and errors of the invite form. */
  invite?: { email: string; role: string };
  inviteErrors?: { email?: string; role?: string };
  /** A refusal shown on one member's row (e.g. the last-owner rule). */
  memberError?: { id: string; message: string };
  /** The member whose removal is being confirmed. */
  confirmRemove?: MemberView;
}

const nameOf = (m: MemberView) => m.user.display_name.trim() || m.user.email;

/** "Within the hour", "3 hours ago", "2 days ago", else the date: the value is only kept to the hour. */
function lastActive(lang: Lang, zone: string, w: TeamMessages, at: string, now: number): { text: string; full: string } {
  const ms = Date.parse(at);
  const full = formatDateTime(lang, zone, ms);
  const hours = Math.floor((now - ms) / 3_600_000);
  if (hours < 1) return { text: w.withinHour, full };
  const rtf = new Intl.RelativeTimeFormat(INTL_LOCALE[lang], { numeric: "auto" });
  if (hours < 24) return { text: rtf.format(-hours, "hour"), full };
  const days = Math.floor(hours / 24);
  if (days < 30) return { text: rtf.format(-days, "day"), full };
  return { text: full, full };
}

function RoleOptions({ m, selected }: { m: AdminRequest["m"]; selected: string }) {
  return (
    <>
      {MEMBERSHIP_ROLES.map((role) => (
        <option value={role} selected={role === selected}>
          {m.roles[role] ?? role}
        </option>
      ))}
    </>
  );
}

function Confirm({ req, w, target }: { req: AdminRequest; w: TeamMessages; target: MemberView }) {
  const self = target.user.id === req.session!.userId;
  return (
    <section class="card confirm" id="confirm" aria-labelledby="confirm-title">
      <h2 id="confirm-title">{w.confirmTitle(nameOf(target))}</h2>
      <p>{self ? w.confirmSelf : w.confirmText}</p>
      <form method="post" action={`${TEAM_PATH}/members/${target.id}/remove`} class="buttons">
        <CsrfField token={req.session!.csrf} />
        <input type="hidden" name="confirm" value="1" />
        <button class="btn danger" type="submit">
          {w.confirmButton}
        </button>
        <a class="btn ghost" href={TEAM_PATH}>
          {w.cancel}
        </a>
      </form>
    </section>
  );
}

export function TeamPage(
  props: { req: AdminRequest; w: TeamMessages; members: MemberView[]; total: number; invitations: InvitationView[] } & TeamView,
) {
  const { req, w, members, invitations } = props;
  const csrf = req.session!.csrf;
  const zone = req.tenant.timeZone;
  const now = Date.now();
  const invite = props.invite ?? { email: "", role: "staff" };
  const errors = props.inviteErrors ?? {};
  const emailDescribedBy = ["invite-email-hint", errors.email ? "invite-email-err" : null].filter(Boolean).join(" ");
  return (
    <AdminLayout req={req} title={w.title} nav="settings" css={SETTINGS_TABS_CSS + CSS}>
      <SettingsTabs req={req} current="team" />
      <div class="team">
        {props.notice ? (
          <p class="alert ok" role="status">
            {props.notice}
          </p>
        ) : null}
        {props.memberError ? (
          <p class="alert bad" role="alert">
            {props.memberError.message}
          </p>
        ) : errors.email || errors.role ? (
          <p class="alert bad" role="alert">
            {w.fixErrors}
          </p>
        ) : null}
        {props.confirmRemove ? <Confirm req={req} w={w} target={props.confirmRemove} /> : null}

        <section class="card" aria-labelledby="members-title">
          <h2 id="members-title">{w.members}</h2>
          <p class="note">{w.membersHint}</p>
          <ul class="roles">
            {MEMBERSHIP_ROLES.map((role) => (
              <li>{w.roleHelp[role]}</li>
            ))}
          </ul>
          <ul class="people">
            {members.map((member) => {
              const name = nameOf(member);
              const self = member.user.id === req.session!.userId;
              const error = props.memberError?.id === member.id ? props.memberError.message : null;
              const seen = member.last_active_at ? lastActive(req.lang, zone, w, member.last_active_at, now) : null;
              return (
                <li id={`m-${member.id}`}>
                  <div class="who-is">
                    <b dir="auto">
                      {name}
                      {self ? <span class="tag-you">{w.you}</span> : null}
                    </b>
                    <span>
                      <bdi>{member.user.email}</bdi>
                    </span>
                  </div>
                  <form method="post" action={`${TEAM_PATH}/members/${member.id}/role`} class="inline">
                    <CsrfField token={csrf} />
                    <label class="sr" for={`role-${member.id}`}>
                      {w.roleOf(name)}
                    </label>
                    <select
                      id={`role-${member.id}`}
                      name="role"
                      aria-invalid={error ? "true" : undefined}
                      aria-describedby={error ? `err-${member.id}` : undefined}
                    >
                      <RoleOptions m={req.m} selected={member.role} />
                    </select>
                    <button class="btn ghost" type="submit">
                      {w.applyRole}
                    </button>
                  </form>
                  <div class="seen">
                    <small>{w.lastActive}</small>
                    {seen ? (
                      <time datetime={member.last_active_at!} title={seen.full}>
                        {seen.text}
                      </time>
                    ) : (
                      <span>{w.never}</span>
                    )}
                  </div>
                  <a class="btn ghost" href={`${TEAM_PATH}?remove=${member.id}#confirm`} aria-label={w.removeOf(name)}>
                    {w.remove}
                  </a>
                  {error ? (
                    <p class="err row-err" id={`err-${member.id}`}>
                      {error}
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
          {props.total > members.length ? <p class="note">{`${members.length} / ${props.total}`}</p> : null}
          <p class="note">{w.lastActiveHint}</p>
        </section>

        <section class="card" aria-labelledby="invitations-title">
          <h2 id="invitations-title">{w.invitations}</h2>
          <p class="note">{w.invitationsHint}</p>
          {invitations.length ? (
            <ul class="people invites">
              {invitations.map((inv) => (
                <li>
                  <div class="who-is">
                    <b>
                      <bdi>{inv.email}</bdi>
                    </b>
                    <span>{req.m.roles[inv.role] ?? inv.role}</span>
                  </div>
                  <div class="seen">
                    <small>{w.expires}</small>
                    <time datetime={inv.expires_at}>{formatDateTime(req.lang, zone, Date.parse(inv.expires_at))}</time>
                  </div>
                  <div class="buttons">
                    <form method="post" action={`${TEAM_PATH}/invitations/${inv.id}/resend`} class="inline">
                      <CsrfField token={csrf} />
                      <button class="btn ghost" type="submit" aria-label={w.resendOf(inv.email)}>
                        {w.resend}
                      </button>
                    </form>
                    <form method="post" action={`${TEAM_PATH}/invitations/${inv.id}/revoke`} class="inline">
                      <CsrfField token={csrf} />
                      <button class="btn ghost" type="submit" aria-label={w.revokeOf(inv.email)}>
                        {w.revoke}
                      </button>
                    </form>
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <p class="note">{w.noInvitations}</p>
          )}
          <h2 id="invite-title" class="sub">
            {w.invite}
          </h2>
          <form method="post" action={`${TEAM_PATH}/invitations`} class="invite" aria-labelledby="invite-title" novalidate>
            <CsrfField token={csrf} />
            <div class="field">
              <label for="invite-email">{w.email}</label>
              <input
                id="invite-email"
                name="email"
                type="email"
                dir="ltr"
                autocomplete="off"
                required
                maxlength={254}
                value={invite.email}
                aria-invalid={errors.email ? "true" : undefined}
                aria-describedby={emailDescribedBy}
              />
              <span class="hint" id="invite-email-hint">
                {w.inviteHint}
              </span>
              {errors.email ? (
                <span class="err" id="invite-email-err">
                  {errors.email}
                </span>
              ) : null}
            </div>
            <div class="field">
              <label for="invite-role">{w.role}</label>
              <select
                id="invite-role"
                name="role"
                aria-invalid={errors.role ? "true" : undefined}
                aria-describedby={errors.role ? "invite-role-err" : undefined}
              >
                <RoleOptions m={req.m} selected={invite.role} />
              </select>
              {errors.role ? (
                <span class="err" id="invite-role-err">
                  {errors.role}
                </span>
              ) : null}
            </div>
            <div class="actions">
              <button class="btn" type="submit">
                {w.send}
              </button>
            </div>
          </form>
        </section>
      </div>
    </AdminLayout>
  );
}
