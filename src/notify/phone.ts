/**
 * WhatsApp and SMS delivery behind the same small interface as email: one
 * `send` that maps any outcome to a DeliveryResult (5xx, 408, 429 and network
 * failures retryable). Real shapes, so the local capture sink exercises the
 * production code path:
 *  - WhatsApp Business Cloud API: `POST {url}/{phone number id}/messages`, bearer
 *    token, a template message (name per kind and language from configuration,
 *    body parameters), `{messages:[{id}]}` back;
 *  - SMS, Twilio-compatible: `POST {url}/2010-04-01/Accounts/{sid}/Messages.json`,
 *    basic auth, form-encoded To/From/Body, `{sid}` back.
 * Neither API takes an idempotency key (Twilio's Messages resource has none; the
 * Cloud API has none, only `biz_opaque_callback_data`, echoed in status webhooks,
 * which carries the notification id here so a message can be traced), so a
 * phone message is never resent blindly after a crash: see outbox.ts `unknown`.
 *
 * WhatsApp senders: the app (token, app secret) is the platform's; each business
 * may have its own phone-number id (`tenants.whatsapp_phone_number_id`), else the
 * deployment's default `WHATSAPP_PHONE_NUMBER_ID`. `forSender` picks it per tenant.
 */
import { type DeliveryResult, isRetryableStatus } from "./provider";

export interface PhoneMessage {
  to: string;
  /** Template kind (booking_confirmation, reminder, …) and language, for WhatsApp. */
  kind: string;
  locale: string;
  /** Template body parameters, in order (WhatsApp). */
  params: string[];
  /** The whole text (SMS; WhatsApp too when `freeText`). */
  text: string;
  /** WhatsApp: a plain text message (a reply inside the 24 h window the customer's message opened), not a template. */
  freeText?: boolean;
  /** WhatsApp: echoed by Meta in the status webhooks of this message (we send the notification id). */
  trace?: string;
}

export interface PhoneProvider {
  readonly channel: "whatsapp" | "sms";
  send(message: PhoneMessage): Promise<DeliveryResult>;
  /**
   * The provider sending as one business: its own sender id when it has one,
   * else the deployment's default; null when there is neither (its messages
   * then stay pending). Absent: the provider has one sender for everyone (SMS).
   */
  forSender?(senderId: string | null): PhoneProvider | null;
}

/** The provider to use for a business (see `PhoneProvider.forSender`). */
export function providerFor(provider: PhoneProvider | null | undefined, senderId: string | null): PhoneProvider | null {
  if (!provider) return null;
  return provider.forSender ? provider.forSender(senderId) : provider;
}

const TIMEOUT_MS = 10_000;

async function post(
  url: string,
  init: { headers: Record<string, string>; body: string },
  doFetch: typeof fetch,
  idOf: (body: unknown) => unknown,
): Promise<DeliveryResult> {
  try {
    const response = await doFetch(url, {
      method: "POST",
      headers: init.headers,
      body: init.body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (!response.ok) {
      return {
        ok: false,
        httpStatus: response.status,
        providerMessageId: null,
        error: `HTTP ${response.status}: ${text.slice(0, 300)}`,
        retryable: isRetryableStatus(response.status),
      };
    }
    const id = idOf(parsed);
    return { ok: true, httpStatus: response.status, providerMessageId: typeof id === "string" ? id : null, error: null, retryable: false };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, httpStatus: null, providerMessageId: null, error: message.slice(0, 500), retryable: true };
  }
}

/** Template names: `{kind: {locale: name}}`; a missing entry falls back to `bookme_<kind>` in that language. */
export type TemplateNames = Record<string, Record<string, string>>;

export interface WhatsAppConfig {
  url: string;
  token: string;
  /** The sender; on the deployment-wide provider, the default (absent: businesses without their own sender wait). */
  phoneNumberId?: string;
  templates?: TemplateNames;
  fetch?: typeof fetch;
}

export const DEFAULT_WHATSAPP_API_URL = "https://graph.facebook.com/v21.0";

export function whatsAppTemplate(templates: TemplateNames | undefined, kind: string, locale: string): string {
  return templates?.[kind]?.[locale] ?? templates?.[kind]?.fr ?? `bookme_${kind}`;
}

export class WhatsAppProvider implements PhoneProvider {
  readonly channel = "whatsapp" as const;
  constructor(private readonly config: WhatsAppConfig) {}

  forSender(senderId: string | null): WhatsAppProvider | null {
    const phoneNumberId = senderId ?? this.config.phoneNumberId;
    return phoneNumberId ? new WhatsAppProvider({ ...this.config, phoneNumberId }) : null;
  }

  send(message: PhoneMessage): Promise<DeliveryResult> {
    const phoneNumberId = this.config.phoneNumberId;
    if (!phoneNumberId) {
      return Promise.resolve({
        ok: false,
        httpStatus: null,
        providerMessageId: null,
        error: "no WhatsApp sender for this business",
        retryable: true,
      });
    }
    const to = message.to.replace(/^\+/, "");
    const trace = message.trace ? { biz_opaque_callback_data: message.trace } : {};
    const body = JSON.stringify(
      message.freeText
        ? { messaging_product: "whatsapp", recipient_type: "individual", to, type: "text", text: { body: message.text }, ...trace }
        : {
            messaging_product: "whatsapp",
            recipient_type: "individual",
            to,
            ...trace,
            type: "template",
            template: {
              name: whatsAppTemplate(this.config.templates, message.kind, message.locale),
              language: { code: message.locale },
              components: [{ type: "body", parameters: message.params.map((text) => ({ type: "text", text })) }],
            },
          },
    );
    return post(
      `${this.config.url.replace(/\/$/, "")}/${encodeURIComponent(phoneNumberId)}/messages`,
      { headers: { "content-type": "application/json", authorization: `Bearer ${this.config.token}` }, body },
      this.config.fetch ?? fetch,
      (b) => (b as { messages?: { id?: unknown }[] } | null)?.messages?.[0]?.id,
    );
  }
}

export interface SmsConfig {
  url: string;
  accountSid: string;
  authToken: string;
  from: string;
  fetch?: typeof fetch;
}

export const DEFAULT_SMS_API_URL = "https://api.twilio.com";

export class SmsProvider implements PhoneProvider {
  readonly channel = "sms" as const;
  constructor(private readonly config: SmsConfig) {}

  send(message: PhoneMessage): Promise<DeliveryResult> {
    const body = new URLSearchParams({ To: message.to, From: this.config.from, Body: message.text }).toString();
    return post(
      `${this.config.url.replace(/\/$/, "")}/2010-04-01/Accounts/${encodeURIComponent(this.config.accountSid)}/Messages.json`,
      {
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${btoa(`${this.config.accountSid}:${this.config.authToken}`)}`,
        },
        body,
      },
      this.config.fetch ?? fetch,
      (b) => (b as { sid?: unknown } | null)?.sid,
    );
  }
}

/** The configured providers (null when the secret is missing: those messages stay pending, visible). */
export function phoneProvidersFromConfig(config: {
  WHATSAPP_API_URL?: string;
  WHATSAPP_TOKEN?: string;
  WHATSAPP_PHONE_NUMBER_ID?: string;
  WHATSAPP_TEMPLATES?: string;
  SMS_API_URL?: string;
  SMS_ACCOUNT_SID?: string;
  SMS_AUTH_TOKEN?: string;
  SMS_FROM?: string;
}): { whatsapp: PhoneProvider | null; sms: PhoneProvider | null } {
  let templates: TemplateNames | undefined;
  try {
    templates = config.WHATSAPP_TEMPLATES ? (JSON.parse(config.WHATSAPP_TEMPLATES) as TemplateNames) : undefined;
  } catch {
    templates = undefined;
  }
  return {
    // The token alone enables WhatsApp: businesses with their own sender use it; the default sender is optional.
    whatsapp: config.WHATSAPP_TOKEN
      ? new WhatsAppProvider({
          url: config.WHATSAPP_API_URL || DEFAULT_WHATSAPP_API_URL,
          token: config.WHATSAPP_TOKEN,
          phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID || undefined,
          templates,
        })
      : null,
    sms:
      config.SMS_ACCOUNT_SID && config.SMS_AUTH_TOKEN && config.SMS_FROM
        ? new SmsProvider({
            url: config.SMS_API_URL || DEFAULT_SMS_API_URL,
            accountSid: config.SMS_ACCOUNT_SID,
            authToken: config.SMS_AUTH_TOKEN,
            from: config.SMS_FROM,
          })
        : null,
  };
}

const WORDING: Record<string, Record<string, string>> = {
  fr: {
    booking_confirmation: "{tenant} : rendez-vous confirmé, {service} le {when}.",
    reminder: "{tenant} : rappel, {service} le {when}.",
    booking_reschedule: "{tenant} : rendez-vous déplacé, {service} le {when}.",
    booking_cancellation: "{tenant} : rendez-vous du {when} annulé.",
    manage: "Gérer : {link}",
    stop: "Répondez STOP pour ne plus recevoir de messages.",
  },
  en: {
    booking_confirmation: "{tenant}: booking confirmed, {service} on {when}.",
    reminder: "{tenant}: reminder, {service} on {when}.",
    booking_reschedule: "{tenant}: booking moved, {service} on {when}.",
    booking_cancellation: "{tenant}: booking on {when} cancelled.",
    manage: "Manage: {link}",
    stop: "Reply STOP to opt out.",
  },
  ar: {
    booking_confirmation: "{tenant}: تم تأكيد موعدك، {service} يوم {when}.",
    reminder: "{tenant}: تذكير بموعدك، {service} يوم {when}.",
    booking_reschedule: "{tenant}: تم تغيير موعدك، {service} يوم {when}.",
    booking_cancellation: "{tenant}: تم إلغاء موعدك يوم {when}.",
    manage: "إدارة الموعد: {link}",
    stop: "أرسل STOP لإيقاف الرسائل.",
  },
};

const fill = (s: string, v: Record<string, string>) => s.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? "");

/** Parameters (tenant, service, when, link) and SMS text of a booking message, in the customer's language and the business's zone. */
export function composePhoneMessage(input: {
  to: string;
  kind: string;
  locale: string;
  tenantName: string;
  timeZone: string;
  serviceName: string;
  startsAt: Date;
  link: string | null;
}): PhoneMessage {
  const locale = WORDING[input.locale] ? input.locale : "fr";
  const words = WORDING[locale]!;
  const when = new Intl.DateTimeFormat(locale === "ar" ? "ar-MA" : locale === "en" ? "en-GB" : "fr-FR", {
    timeZone: input.timeZone,
    dateStyle: "medium",
    timeStyle: "short",
  }).format(input.startsAt);
  const values = { tenant: input.tenantName, service: input.serviceName, when, link: input.link ?? "" };
  const lines = [fill(words[input.kind] ?? words.booking_confirmation!, values)];
  if (input.link) lines.push(fill(words.manage!, values));
  lines.push(words.stop!);
  return {
    to: input.to,
    kind: input.kind,
    locale,
    params: [input.tenantName, input.serviceName, when, input.link ?? ""],
    text: lines.join("\n"),
  };
}
