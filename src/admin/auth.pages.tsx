/** The pages before sign-in: sign in, forgotten password, new password, invitation. Views only. */
import type { AdminMessages } from "./i18n";
import { AuthLayout, CsrfField } from "./layout";
import type { AdminRequest } from "./session";

type Req = Omit<AdminRequest, "session">;

function Alert({ kind, text }: { kind: "bad" | "ok" | "info"; text?: string | null }) {
  if (!text) return null;
  return (
    <p class={`alert ${kind}`} role={kind === "bad" ? "alert" : "status"}>
      {text}
    </p>
  );
}

function Field(props: {
  id: string;
  label: string;
  type?: string;
  value?: string;
  autocomplete?: string;
  hint?: string;
  error?: string | null;
  required?: boolean;
  readonly?: boolean;
  m: AdminMessages;
}) {
  const describedBy = [props.hint ? `${props.id}-hint` : null, props.error ? `${props.id}-err` : null].filter(Boolean).join(" ");
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? "text"}
        value={props.value}
        autocomplete={props.autocomplete}
        required={props.required}
        readonly={props.readonly}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy || undefined}
        dir={props.type === "email" ? "ltr" : undefined}
      />
      {props.hint ? (
        <span class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      ) : null}
      {props.error ? (
        <span class="err" id={`${props.id}-err`}>
          {props.error}
        </span>
      ) : null}
    </div>
  );
}

export function LoginPage(props: { req: Req; csrf: string; next: string; email?: string; error?: string | null; notice?: string | null }) {
  const { req } = props;
  const { m } = req;
  return (
    <AuthLayout req={req} title={m.signIn.title}>
      <h1>{m.signIn.title}</h1>
      <p class="lead">
        {m.signIn.lead} {req.tenant.name}
      </p>
      <Alert kind="info" text={props.notice} />
      <Alert kind="bad" text={props.error} />
      <form method="post" action="/admin/login" novalidate>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="next" value={props.next} />
        <Field id="email" label={m.signIn.email} type="email" value={props.email} autocomplete="username" required m={m} />
        <Field id="password" label={m.signIn.password} type="password" autocomplete="current-password" required m={m} />
        <button type="submit" class="btn block">
          {m.signIn.submit}
        </button>
      </form>
      <p class="note">
        <a href="/admin/password/forgot">{m.signIn.forgot}</a>
      </p>
    </AuthLayout>
  );
}

export function ForgotPage(props: { req: Req; csrf: string; email?: string; sent?: boolean; error?: string | null }) {
  const { req } = props;
  const { m } = req;
  return (
    <AuthLayout req={req} title={m.forgot.title}>
      <h1>{m.forgot.title}</h1>
      {props.sent ? (
        <Alert kind="ok" text={m.forgot.sent} />
      ) : (
        <>
          <p class="lead">{m.forgot.lead}</p>
          <Alert kind="bad" text={props.error} />
          <form method="post" action="/admin/password/forgot" novalidate>
            <CsrfField token={props.csrf} />
            <Field id="email" label={m.signIn.email} type="email" value={props.email} autocomplete="username" required m={m} />
            <button type="submit" class="btn block">
              {m.forgot.submit}
            </button>
          </form>
        </>
      )}
      <p class="note">
        <a href="/admin/login">{m.forgot.back}</a>
      </p>
    </AuthLayout>
  );
}

export function ResetPage(props: { req: Req; csrf: string; token: string | null; error?: string | null; passwordError?: string | null }) {
  const { req } = props;
  const { m } = req;
  return (
    <AuthLayout req={req} title={m.reset.title}>
      <h1>{m.reset.title}</h1>
      {props.token === null ? (
        <>
          <Alert kind="bad" text={m.reset.invalid} />
          <p>
            <a class="btn ghost block" href="/admin/password/forgot">
              {m.reset.again}
            </a>
          </p>
        </>
      ) : (
        <>
          <p class="lead">{m.reset.lead}</p>
          <Alert kind="bad" text={props.error} />
          <form method="post" action="/admin/password/reset" novalidate>
            <CsrfField token={props.csrf} />
            <input type="hidden" name="token" value={props.token} />
            <Field
              id="password"
              label={m.reset.password}
              type="password"
              autocomplete="new-password"
              hint={m.passwordRule}
              error={props.passwordError}
              required
              m={m}
            />
            <Field id="confirm" label={m.reset.confirm} type="password" autocomplete="new-password" required m={m} />
            <button type="submit" class="btn block">
              {m.reset.submit}
            </button>
          </form>
        </>
      )}
    </AuthLayout>
  );
}

export function InvitationPage(props: {
  req: Req;
  csrf: string;
  invitation: { token: string; email: string; hasAccount: boolean } | null;
  name?: string;
  error?: string | null;
  passwordError?: string | null;
}) {
  const { req, invitation } = props;
  const { m } = req;
  return (
    <AuthLayout req={req} title={m.invitation.title}>
      <h1>{m.invitation.title}</h1>
      {invitation === null ? (
        <Alert kind="bad" text={m.invitation.invalid} />
      ) : (
        <>
          <p class="lead">{m.invitation.lead(req.tenant.name)}</p>
          <Alert kind="bad" text={props.error} />
          <form method="post" action="/admin/invitation" novalidate>
            <CsrfField token={props.csrf} />
            <input type="hidden" name="token" value={invitation.token} />
            <Field id="email" label={m.invitation.email} type="email" value={invitation.email} autocomplete="username" readonly m={m} />
            {invitation.hasAccount ? (
              <>
                <p class="note">{m.invitation.existingPassword}</p>
                <Field
                  id="password"
                  label={m.signIn.password}
                  type="password"
                  autocomplete="current-password"
                  error={props.passwordError}
                  required
                  m={m}
                />
              </>
            ) : (
              <>
                <Field id="name" label={m.invitation.name} value={props.name} autocomplete="name" m={m} />
                <Field
                  id="password"
                  label={m.invitation.newPassword}
                  type="password"
                  autocomplete="new-password"
                  hint={m.passwordRule}
                  error={props.passwordError}
                  required
                  m={m}
                />
              </>
            )}
            <button type="submit" class="btn block">
              {m.invitation.submit}
            </button>
          </form>
        </>
      )}
    </AuthLayout>
  );
}
