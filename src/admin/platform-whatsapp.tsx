/**
 * The platform console's "WhatsApp sender" card on a business's page, and its
 * form post: the business's own Meta phone-number id and display number
 * (platform.service `setWhatsAppSender`, the API's zod schema). Kept apart
 * from platform.pages.tsx so that screen only mounts it; words in
 * i18n/platform-whatsapp.{fr,ar,en}.ts.
 */
import type { Context } from "hono";
import { Conflict } from "../domain/errors";
import type { Lang } from "../web/i18n";
import type { AppEnv } from "../http/types";
import { SetWhatsAppSenderBody } from "../platform/platform.routes";
import * as platform from "../platform/platform.service";
import { platformWhatsAppMessages } from "./i18n/platform-whatsapp";

/** What the form re-renders with after a refusal: the values typed and an error per field. */
export interface WhatsAppFormState {
  values: { phone_number_id: string; display_number: string };
  errors: Partial<Record<"phone_number_id" | "display_number", string>>;
}

export function WhatsAppSenderCard(props: {
  lang?: Lang;
  csrf: string;
  tenantId: string;
  sender: { phone_number_id: string | null; display_number: string | null };
  state?: WhatsAppFormState;
  saved?: boolean;
}) {
  const m = platformWhatsAppMessages(props.lang ?? "en");
  const values = props.state?.values ?? {
    phone_number_id: props.sender.phone_number_id ?? "",
    display_number: props.sender.display_number ?? "",
  };
  const errors = props.state?.errors ?? {};
  const field = (name: "phone_number_id" | "display_number", label: string, inputmode: "numeric" | "tel") => (
    <div class="field">
      <label for={`wa-${name}`}>{label}</label>
      <input
        id={`wa-${name}`}
        name={name}
        dir="ltr"
        inputmode={inputmode}
        maxlength={32}
        value={values[name]}
        aria-invalid={errors[name] ? "true" : undefined}
        aria-describedby={errors[name] ? `wa-${name}-err` : undefined}
      />
      {errors[name] ? (
        <p class="err" id={`wa-${name}-err`}>
          {errors[name]}
        </p>
      ) : null}
    </div>
  );
  return (
    <section class="card" id="whatsapp" aria-labelledby="whatsapp-title">
      <h2 id="whatsapp-title">{m.title}</h2>
      {props.saved ? (
        <p class="alert ok" role="status">
          {m.saved}
        </p>
      ) : null}
      {Object.keys(errors).length ? (
        <p class="alert bad" role="alert">
          {m.fixErrors}
        </p>
      ) : null}
      <p class="hint">{m.hint}</p>
      <p>
        {m.current}:{" "}
        <b id="whatsapp-sender" dir="ltr">
          {props.sender.phone_number_id
            ? `${props.sender.phone_number_id}${props.sender.display_number ? ` (${props.sender.display_number})` : ""}`
            : m.none}
        </b>
      </p>
      <form method="post" action={`/admin/businesses/${props.tenantId}/whatsapp`} class="row">
        <input type="hidden" name="_csrf" value={props.csrf} />
        {field("phone_number_id", m.phoneNumberId, "numeric")}
        {field("display_number", m.displayNumber, "tel")}
        <button class="btn" type="submit">
          {m.save}
        </button>
      </form>
    </section>
  );
}

/** Saves the posted sender (empty id = back to the default); the state to re-render with when refused. */
export async function saveWhatsAppSender(
  c: Context<AppEnv>,
  tenantId: string,
  actor: string,
  lang: Lang = "en",
): Promise<{ ok: true } | { ok: false; state: WhatsAppFormState }> {
  const m = platformWhatsAppMessages(lang);
  const form = (await c.req.parseBody()) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === "string" ? v.replace(/\s+/g, "").slice(0, 64) : "");
  const values = { phone_number_id: text(form.phone_number_id), display_number: text(form.display_number) };
  const parsed = SetWhatsAppSenderBody.safeParse({
    phone_number_id: values.phone_number_id || null,
    display_number: values.display_number || null,
  });
  if (!parsed.success) {
    const errors: WhatsAppFormState["errors"] = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] === "display_number" ? "display_number" : "phone_number_id";
      errors[field] ??= field === "phone_number_id" ? m.badId : values.phone_number_id ? m.badNumber : m.numberNeedsId;
    }
    return { ok: false, state: { values, errors } };
  }
  try {
    await platform.setWhatsAppSender(c.get("database").http, tenantId, parsed.data, actor);
  } catch (error) {
    if (error instanceof Conflict) return { ok: false, state: { values, errors: { phone_number_id: m.taken } } };
    throw error;
  }
  return { ok: true };
}
