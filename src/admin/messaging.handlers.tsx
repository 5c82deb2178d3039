/**
 * Messaging screens, on the same services and schemas as the JSON API:
 *
 *   GET/POST /admin/settings/messaging   admin and above: customer channel, daily agenda time,
 *                                        sites allowed to embed booking (PATCH /api/settings),
 *                                        and the embed code built from the business's address
 *   GET/POST /admin/account/alerts       every member: my alerts and WhatsApp number
 *                                        (GET/PUT /api/auth/me/alerts)
 */
import { Hono } from "hono";
import { publicOrigin } from "../bookings/manage-token";
import { InvalidInput } from "../domain/errors";
import { AlertPreferencesWriteSchema } from "../notify/alert-preferences.routes";
import * as alerts from "../notify/alert-preferences.service";
import { SettingsUpdateSchema } from "../settings/settings.routes";
import * as settings from "../settings/settings.service";
import { normaliseHost } from "../tenancy/naming";
import { tenantScope } from "../tenancy/scope";
import { messagingMessages } from "./i18n/messaging";
import { adminHtml } from "./layout";
import { type FieldErrors, MessagingSettingsPage, MyAlertsPage, snippetsFor, type Values } from "./messaging.pages";
import { type AdminContext, type AdminEnv, formOf, requirePageRole } from "./session";

const words = (c: AdminContext) => messagingMessages(c.get("admin").lang);
const text = (v: unknown) => (typeof v === "string" ? v.trim() : "");
const scope = (c: AdminContext) => tenantScope(c as never);

/** The field each zod or service problem belongs to, localised; bad origins are named by their line. */
function errorsOf(c: AdminContext, problems: { field: string }[]): FieldErrors {
  const e = words(c).errors;
  const out: FieldErrors = {};
  const badLines: number[] = [];
  for (const { field } of problems) {
    const [key, index] = field.split(".");
    if (key === "embed_origins") {
      if (index !== undefined) badLines.push(Number(index) + 1);
      else out.embed_origins ??= e.tooMany;
    } else if (key === "phone_channel" || key === "agenda_time" || key === "whatsapp_phone") {
      out[key] ??= e[key];
    }
  }
  if (badLines.length) out.embed_origins = e.embed_origins(badLines.join(", "));
  return out;
}

// ---------------------------------------------------------------- /admin/settings/messaging

async function renderSettings(c: AdminContext, values: Values, errors: FieldErrors, status: 200 | 422 = 200) {
  const req = c.get("admin");
  const host = normaliseHost(c.req.header("host") ?? new URL(c.req.url).host);
  const snippets = snippetsFor(publicOrigin(host, c.get("config").PUBLIC_URL_TEMPLATE), words(c));
  return adminHtml(
    c,
    <MessagingSettingsPage
      req={req}
      w={words(c)}
      values={values}
      errors={errors}
      snippets={snippets}
      saved={c.req.query("saved") === "1"}
    />,
    status,
  );
}

async function settingsPage(c: AdminContext) {
  const { t, db } = await scope(c);
  const row = await settings.readSettings(db, t);
  return renderSettings(
    c,
    { phone_channel: row.phone_channel, agenda_time: row.agenda_time, embed_origins: row.embed_origins.join("\n") },
    {},
  );
}

async function settingsPost(c: AdminContext) {
  const form = await formOf(c);
  const values: Values = {
    phone_channel: text(form.phone_channel),
    agenda_time: text(form.agenda_time).slice(0, 5),
    embed_origins: text(form.embed_origins),
  };
  const parsed = SettingsUpdateSchema.safeParse({
    phone_channel: values.phone_channel,
    agenda_time: values.agenda_time,
    embed_origins: values.embed_origins.split(/\r?\n/).filter((line) => line.trim() !== ""),
  });
  if (!parsed.success)
    return renderSettings(
      c,
      values,
      errorsOf(
        c,
        parsed.error.issues.map((i) => ({ field: i.path.join(".") })),
      ),
      422,
    );
  const { t, db } = await scope(c);
  try {
    await settings.updateSettings(db, t, parsed.data, { allowLocalHttpOrigins: c.get("config").APP_ENV !== "production" });
  } catch (error) {
    if (error instanceof InvalidInput) return renderSettings(c, values, errorsOf(c, error.fields), 422);
    throw error;
  }
  return c.redirect("/admin/settings/messaging?saved=1", 303);
}

// ---------------------------------------------------------------- /admin/account/alerts

const FLAGS = ["on_created", "on_cancelled", "on_rescheduled", "daily_agenda"] as const;

async function renderAlerts(c: AdminContext, values: Values | null, errors: FieldErrors, status: 200 | 422 = 200) {
  const { t, db } = await scope(c);
  const mine = await alerts.readMyAlerts(db, t, c.get("principal")!.userId);
  const shown = values ?? {
    ...Object.fromEntries(FLAGS.map((f) => [f, mine[f] ? "1" : ""])),
    whatsapp_phone: mine.whatsapp_phone ?? "",
  };
  return adminHtml(
    c,
    <MyAlertsPage
      req={c.get("admin")}
      w={words(c)}
      email={mine.email}
      staffMember={mine.staff_member}
      values={shown}
      errors={errors}
      saved={c.req.query("saved") === "1"}
    />,
    status,
  );
}

async function alertsPost(c: AdminContext) {
  const form = await formOf(c);
  const values: Values = {
    ...Object.fromEntries(FLAGS.map((f) => [f, text(form[f]) ? "1" : ""])),
    whatsapp_phone: text(form.whatsapp_phone),
  };
  const parsed = AlertPreferencesWriteSchema.safeParse({
    ...Object.fromEntries(FLAGS.map((f) => [f, values[f] === "1"])),
    whatsapp_phone: values.whatsapp_phone,
  });
  if (!parsed.success)
    return renderAlerts(
      c,
      values,
      errorsOf(
        c,
        parsed.error.issues.map((i) => ({ field: i.path.join(".") })),
      ),
      422,
    );
  const { tenant, t, db } = await scope(c);
  try {
    await alerts.writeMyAlerts(db, t, tenant, c.get("principal")!.userId, parsed.data);
  } catch (error) {
    if (error instanceof InvalidInput) return renderAlerts(c, values, errorsOf(c, error.fields), 422);
    throw error;
  }
  return c.redirect("/admin/account/alerts?saved=1", 303);
}

export const messagingPages = new Hono<AdminEnv>();
messagingPages.get("/settings/messaging", requirePageRole("admin"), settingsPage);
messagingPages.post("/settings/messaging", requirePageRole("admin"), settingsPost);
messagingPages.get("/account/alerts", requirePageRole("staff"), (c) => renderAlerts(c, null, {}));
messagingPages.post("/account/alerts", requirePageRole("staff"), alertsPost);
