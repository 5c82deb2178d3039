/**
 * Turns claimed outbox rows into real messages and sends them: emails through
 * the provider (rendered in the customer's locale, with an .ics), webhooks as
 * signed POSTs. A batch's results are recorded together, in one statement,
 * right after its sends; a crash in between leaves those rows in `sending`:
 * emails and webhooks are reclaimed and resent with the same idempotency key /
 * delivery id, phone messages become `unknown` for a person to check (outbox.ts).
 */
import { manageUrl, publicOrigin, signManageToken } from "../bookings/manage-token";
import { mapBounded } from "../db/migrations/plan";
import { renderAlert } from "./alerts";
import { buildIcs, toBase64 } from "./ics";
import {
  claimDue,
  recordOutcomes,
  skipReason,
  type Channel,
  type ClaimedNotification,
  type NotifyDb,
  type Outcome,
  asQueryable,
  isPhoneChannel,
} from "./outbox";
import { composePhoneMessage, type PhoneProvider, providerFor } from "./phone";
import { hashCode, type NewShortLink, shortCode, storeShortLinks } from "./short-links";
import { postJson, type DeliveryResult, type EmailMessage, type EmailProvider } from "./provider";
import { renderBookingEmail, renderInvitationEmail, renderPasswordResetEmail } from "./templates";
import { webhookUrlProblem } from "./webhook-target";
import { signatureHeader } from "./webhooks.sign";

export interface NotifyTenant {
  id: string;
  schemaName: string;
  name: string;
  timeZone: string;
  /** Primary domain: manage links and calendar UIDs. */
  domain: string;
  /** The business's own WhatsApp phone-number id; null/absent: the deployment's default sender, if any. */
  whatsappSender?: string | null;
}

export interface DeliverOptions {
  tenant: NotifyTenant;
  /** null: no email provider configured; email rows stay pending (visible in the API). */
  email: EmailProvider | null;
  /** null/absent: no key configured; those rows stay pending (visible in the API). */
  whatsapp?: PhoneProvider | null;
  sms?: PhoneProvider | null;
  /** Signs manage links (the app's JWT secret); without it emails carry no link. */
  manageSecret?: string;
  /** PUBLIC_URL_TEMPLATE: how the manage link's origin is built. */
  publicUrlTemplate?: string;
  /** APP_ENV: production refuses internal webhook targets (default production: the safe side). */
  appEnv?: string;
  fetch?: typeof fetch;
  now?: Date;
  batchSize?: number;
  concurrency?: number;
}

export interface DeliveryStats {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
  skipped: number;
}

const emptyStats = (): DeliveryStats => ({ claimed: 0, sent: 0, retrying: 0, failed: 0, skipped: 0 });

type BookingKind = "booking_confirmation" | "booking_cancellation" | "booking_reschedule" | "reminder";
const BOOKING_KINDS: readonly string[] = ["booking_confirmation", "booking_cancellation", "booking_reschedule", "reminder"];

/** Builds the email for a booking notification (pure apart from signing the manage link). */
export async function composeBookingEmail(
  row: ClaimedNotification,
  options: Pick<DeliverOptions, "tenant" | "manageSecret" | "publicUrlTemplate">,
  now: Date,
): Promise<EmailMessage> {
  const kind = row.kind as BookingKind;
  const startsAt = new Date(row.starts_at!);
  const endsAt = new Date(row.ends_at!);
  let link: string | null = null;
  if (kind !== "booking_cancellation" && options.manageSecret && row.booking_id && row.manage_token_version !== null) {
    const { token } = await signManageToken(options.manageSecret, {
      tenantId: options.tenant.id,
      bookingId: row.booking_id,
      version: row.manage_token_version,
      endsAtMs: endsAt.getTime(),
    });
    link = manageUrl(publicOrigin(options.tenant.domain, options.publicUrlTemplate), token);
  }
  const before = (row.payload.before ?? null) as { starts_at?: string } | null;
  const rendered = renderBookingEmail(kind, row.locale, {
    tenantName: options.tenant.name,
    timeZone: options.tenant.timeZone,
    customerName: row.customer_name ?? "",
    serviceName: row.service_name ?? "",
    staffName: row.staff_name ?? "",
    startsAt,
    endsAt,
    previousStartsAt: kind === "booking_reschedule" && before?.starts_at ? new Date(before.starts_at) : null,
    cancelReason: row.cancel_reason,
    manageUrl: link,
  });
  const cancel = kind === "booking_cancellation";
  const ics = buildIcs({
    method: cancel ? "CANCEL" : "REQUEST",
    uid: row.booking_id!,
    domain: options.tenant.domain,
    // A cancellation must outrank the last version the client saw.
    sequence: row.sequence + (cancel ? 1 : 0),
    start: startsAt,
    end: endsAt,
    stamp: now,
    summary: `${row.service_name ?? ""} – ${options.tenant.name}`,
    location: options.tenant.name,
    description: link ?? undefined,
    organizer: { name: options.tenant.name, email: `no-reply@${options.tenant.domain}` },
    attendee: { name: row.customer_name ?? "", email: row.recipient },
  });
  return {
    to: row.recipient,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    attachments: [
      {
        filename: cancel ? "cancel.ics" : "booking.ics",
        content: toBase64(ics),
        content_type: `text/calendar; charset=utf-8; method=${cancel ? "CANCEL" : "REQUEST"}`,
      },
    ],
    headers: { "X-BookMe-Notification": row.id },
    idempotencyKey: row.id,
  };
}

/**
 * Invitation emails: enqueue a row with kind `invitation`, the invitee's
 * address as recipient, and payload {inviter_name, role, accept_url}
 * (dedupe key e.g. `invitation:<invitation id>`).
 */
export function composeInvitationEmail(row: ClaimedNotification, tenant: NotifyTenant): EmailMessage {
  const p = row.payload as { inviter_name?: string; role?: string; accept_url?: string };
  const rendered = renderInvitationEmail(row.locale, {
    tenantName: tenant.name,
    inviterName: p.inviter_name ?? "",
    role: p.role ?? "staff",
    acceptUrl: p.accept_url ?? "",
  });
  return {
    to: row.recipient,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    headers: { "X-BookMe-Notification": row.id },
    idempotencyKey: row.id,
  };
}

/** Password reset emails (src/auth/password-reset.ts): payload {reset_url}. */
export function composePasswordResetEmail(row: ClaimedNotification, tenant: NotifyTenant): EmailMessage {
  const p = row.payload as { reset_url?: string };
  const rendered = renderPasswordResetEmail(row.locale, { tenantName: tenant.name, resetUrl: p.reset_url ?? "" });
  return {
    to: row.recipient,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    headers: { "X-BookMe-Notification": row.id },
    idempotencyKey: row.id,
  };
}

/** The exact body a webhook receiver gets (signed byte for byte). */
export function webhookBody(row: Pick<ClaimedNotification, "payload">): string {
  const p = row.payload;
  return JSON.stringify({ id: p.id, type: p.type, created_at: p.created_at, data: p.data });
}

export async function sendWebhook(
  row: ClaimedNotification,
  doFetch: typeof fetch = fetch,
  nowSec = Date.now() / 1000,
  appEnv = "production",
): Promise<DeliveryResult> {
  // Endpoints saved before the SSRF check (or written around the API) are refused here too, for good.
  const problem = webhookUrlProblem(row.webhook_url!, appEnv);
  if (problem) return { ok: false, httpStatus: null, providerMessageId: null, error: `refused target: ${problem}`, retryable: false };
  const body = webhookBody(row);
  const result = await postJson(
    row.webhook_url!,
    body,
    {
      "user-agent": "BookMe-Webhooks/1",
      "x-bookme-event": String(row.payload.type),
      "x-bookme-delivery": row.id,
      "x-bookme-signature": await signatureHeader(row.webhook_secret!, body, nowSec),
    },
    { fetch: doFetch },
  );
  const { body: _, ...outcome } = result;
  return outcome;
}

function alertInput(row: ClaimedNotification, options: DeliverOptions): Parameters<typeof renderAlert>[0] {
  return {
    kind: row.kind,
    locale: row.locale,
    tenantName: options.tenant.name,
    timeZone: options.tenant.timeZone,
    customerName: row.customer_name ?? "",
    serviceName: row.service_name ?? "",
    staffName: row.staff_name ?? "",
    startsAt: row.starts_at ? new Date(row.starts_at) : null,
    payload: row.payload,
  };
}

/** Short links of the claimed phone messages, keyed by notification id (stored before anything is sent). */
async function prepareShortLinks(
  db: ReturnType<typeof asQueryable>,
  rows: ClaimedNotification[],
  options: DeliverOptions,
): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  if (!options.manageSecret) return links;
  const stored: NewShortLink[] = [];
  const origin = publicOrigin(options.tenant.domain, options.publicUrlTemplate);
  for (const row of rows) {
    if (!isPhoneChannel(row.channel) || row.opted_out || row.kind === "booking_cancellation" || !BOOKING_KINDS.includes(row.kind)) continue;
    if (!row.booking_id || row.manage_token_version === null || !row.starts_at) continue;
    const code = await shortCode(options.manageSecret, row.id);
    links.set(row.id, `${origin}/m/${code}`);
    stored.push({
      codeHash: await hashCode(code),
      bookingId: row.booking_id,
      manageTokenVersion: row.manage_token_version,
      startsAt: row.starts_at,
    });
  }
  await storeShortLinks(db, options.tenant.schemaName, stored);
  return links;
}

async function sendPhone(
  row: ClaimedNotification,
  provider: PhoneProvider,
  options: DeliverOptions,
  link: string | null,
): Promise<DeliveryResult> {
  if (row.kind === "agenda" || row.kind.startsWith("alert_")) {
    const rendered = renderAlert(alertInput(row, options));
    return provider.send({
      to: row.recipient,
      kind: row.kind,
      locale: row.locale,
      params: rendered.params,
      text: rendered.text,
      trace: row.id,
    });
  }
  if (row.kind === "reply" || row.kind === "opt_out_ack") {
    // An answer to an inbound message (src/messaging): its text is in the payload.
    const text = String(row.payload.text ?? "");
    return provider.send({ to: row.recipient, kind: row.kind, locale: row.locale, params: [text], text, freeText: true, trace: row.id });
  }
  if (!BOOKING_KINDS.includes(row.kind)) {
    return { ok: false, httpStatus: null, providerMessageId: null, error: `no template for ${row.kind}`, retryable: false };
  }
  return provider.send({
    trace: row.id,
    ...composePhoneMessage({
      to: row.recipient,
      kind: row.kind,
      locale: row.locale,
      tenantName: options.tenant.name,
      timeZone: options.tenant.timeZone,
      serviceName: row.service_name ?? "",
      startsAt: new Date(row.starts_at!),
      link,
    }),
  });
}

async function sendOne(row: ClaimedNotification, options: DeliverOptions, now: Date, link: string | null): Promise<DeliveryResult> {
  if (row.channel === "webhook") return sendWebhook(row, options.fetch, undefined, options.appEnv);
  if (isPhoneChannel(row.channel)) {
    const provider = options[row.channel];
    if (!provider)
      return { ok: false, httpStatus: null, providerMessageId: null, error: `no ${row.channel} provider configured`, retryable: true };
    return sendPhone(row, provider, options, link);
  }
  if (!options.email)
    return { ok: false, httpStatus: null, providerMessageId: null, error: "no email provider configured", retryable: true };
  if (row.kind === "agenda" || row.kind.startsWith("alert_")) {
    const rendered = renderAlert(alertInput(row, options));
    return options.email.send({
      to: row.recipient,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      headers: { "X-BookMe-Notification": row.id },
      idempotencyKey: row.id,
    });
  }
  if (row.kind === "invitation") return options.email.send(composeInvitationEmail(row, options.tenant));
  if (row.kind === "password_reset") return options.email.send(composePasswordResetEmail(row, options.tenant));
  if (!BOOKING_KINDS.includes(row.kind)) {
    return { ok: false, httpStatus: null, providerMessageId: null, error: `no template for ${row.kind}`, retryable: false };
  }
  return options.email.send(await composeBookingEmail(row, options, now));
}

async function attempt(row: ClaimedNotification, options: DeliverOptions, now: Date, link: string | null = null): Promise<Outcome> {
  const reason = skipReason(row, now);
  if (reason) return { id: row.id, skip: reason };
  const started = Date.now();
  let result: DeliveryResult;
  try {
    result = await sendOne(row, options, now, link);
  } catch (error) {
    // A bug composing one message must not take the batch down: record it and retry later.
    result = { ok: false, httpStatus: null, providerMessageId: null, error: String(error).slice(0, 500), retryable: true };
  }
  return { id: row.id, attempts: row.attempts, maxAttempts: row.max_attempts, result, durationMs: Date.now() - started };
}

/** One batch: claim due rows, send each (bounded concurrency), record each outcome. */
export async function deliverDue(handle: NotifyDb, deployment: DeliverOptions): Promise<DeliveryStats> {
  const db = asQueryable(handle);
  // WhatsApp goes out from the business's own number, else the deployment's default; with neither its rows are not
  // claimed (pending, visible), and never diverted to SMS: the business chose its channel.
  const options = { ...deployment, whatsapp: providerFor(deployment.whatsapp, deployment.tenant.whatsappSender ?? null) };
  const now = options.now ?? new Date();
  const channels: Channel[] = ["webhook"];
  if (options.email) channels.push("email");
  if (options.whatsapp) channels.push("whatsapp");
  if (options.sms) channels.push("sms");
  const rows = await claimDue(db, options.tenant.schemaName, { now, limit: options.batchSize ?? 50, channels });
  const links = await prepareShortLinks(db, rows, options);
  const stats = emptyStats();
  stats.claimed = rows.length;
  // One booking's messages go out in order (confirmation before cancellation); different bookings in parallel.
  const groups = new Map<string, ClaimedNotification[]>();
  for (const row of rows) {
    const key = row.booking_id ?? row.id;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const outcomes: Outcome[] = [];
  await mapBounded([...groups.values()], options.concurrency ?? 4, async (group) => {
    for (const row of group) outcomes.push(await attempt(row, options, now, links.get(row.id) ?? null));
  });
  // One statement records the whole batch (a crash before it leaves the rows in `sending`, reclaimed later).
  const statuses = await recordOutcomes(db, options.tenant.schemaName, outcomes, now);
  stats.skipped = outcomes.length - statuses.length;
  for (const status of statuses) {
    if (status === "sent") stats.sent++;
    else if (status === "pending") stats.retrying++;
    else stats.failed++;
  }
  return stats;
}

/** Batches until nothing is due or the time budget is spent (the rest waits for the next tick). */
export async function drainOutbox(handle: NotifyDb, options: DeliverOptions & { budgetMs?: number }): Promise<DeliveryStats> {
  const db = asQueryable(handle);
  const total = emptyStats();
  const deadline = Date.now() + (options.budgetMs ?? 20_000);
  for (;;) {
    const batch = await deliverDue(db, options);
    for (const key of Object.keys(total) as (keyof DeliveryStats)[]) total[key] += batch[key];
    if (batch.claimed < (options.batchSize ?? 50) || Date.now() > deadline) return total;
  }
}
