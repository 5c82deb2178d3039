/**
 * Pure email rendering: kind + locale + facts → subject, plain text and HTML.
 * Every interpolated value is HTML-escaped in the HTML part; subjects lose
 * line breaks (they become a header). Dates are shown in the tenant's zone,
 * formatted by Intl in the customer's language.
 */
import { asLocale, LOCALES, type EmailKind, type LocaleStrings } from "./strings";

export interface BookingEmailData {
  tenantName: string;
  timeZone: string;
  customerName: string;
  serviceName: string;
  staffName: string;
  startsAt: Date;
  endsAt: Date;
  /** Reschedules: the time the booking had before. */
  previousStartsAt?: Date | null;
  cancelReason?: string | null;
  manageUrl?: string | null;
}

export interface InvitationEmailData {
  tenantName: string;
  inviterName: string;
  role: string;
  acceptUrl: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  dir: "ltr" | "rtl";
  lang: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}

function fill(template: string, values: Record<string, string>, encode: (s: string) => string = (s) => s): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => encode(values[key] ?? ""));
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, " ").trim();

// Building an ICU formatter costs far more than using one: keep one per language and zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatWhen(date: Date, timeZone: string, strings: LocaleStrings): string {
  const key = `${strings.intl}|${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(strings.intl, { dateStyle: "full", timeStyle: "short", timeZone });
    if (formatters.size > 500) formatters.clear();
    formatters.set(key, formatter);
  }
  return formatter.format(date);
}

/** Only http(s) links are ever put in an href. */
const safeUrl = (url: string | null | undefined): string | null => (url && /^https?:\/\//i.test(url) ? url : null);

function layout(s: LocaleStrings, lang: string, subject: string, heading: string, bodyHtml: string): string {
  const align = s.dir === "rtl" ? "right" : "left";
  return `<!doctype html>
<html lang="${lang}" dir="${s.dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body dir="${s.dir}" style="margin:0;padding:24px;background:#f6f6f6;font-family:Arial,Helvetica,sans-serif;color:#222;text-align:${align}">
<div dir="${s.dir}" style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">
<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(heading)}</h1>
${bodyHtml}
</div>
</body>
</html>`;
}

export function renderBookingEmail(
  kind: Exclude<EmailKind, "invitation" | "password_reset">,
  locale: string,
  data: BookingEmailData,
): RenderedEmail {
  const lang = asLocale(locale);
  const s = LOCALES[lang];
  const k = s.kinds[kind];
  const when = formatWhen(data.startsAt, data.timeZone, s);
  const values: Record<string, string> = {
    tenant: data.tenantName,
    customer: data.customerName,
    service: data.serviceName,
    staff: data.staffName,
    when,
  };
  const subject = oneLine(fill(k.subject, values));
  const rows: [string, string][] = [
    [s.labels.service, data.serviceName],
    [s.labels.staff, data.staffName],
    [s.labels.when, when],
  ];
  if (kind === "booking_reschedule" && data.previousStartsAt)
    rows.push([s.labels.previously, formatWhen(data.previousStartsAt, data.timeZone, s)]);
  if (kind === "booking_cancellation" && data.cancelReason) rows.push([s.labels.reason, data.cancelReason]);
  const manage = kind === "booking_cancellation" ? null : safeUrl(data.manageUrl);

  const text = [
    fill(s.hello, values),
    "",
    fill(k.intro, values),
    "",
    ...rows.map(([label, value]) => `${label}: ${value}`),
    ...(manage ? ["", `${s.labels.manage}: ${manage}`] : []),
    "",
    "--",
    fill(s.footer, values),
  ].join("\n");

  const html = layout(
    s,
    lang,
    subject,
    k.heading,
    `<p>${fill(s.hello, values, escapeHtml)}</p>
<p>${fill(k.intro, values, escapeHtml)}</p>
<table role="presentation" style="border-collapse:collapse;margin:16px 0">
${rows.map(([label, value]) => `<tr><th style="padding:4px 12px;text-align:inherit;color:#666;font-weight:normal">${escapeHtml(label)}</th><td style="padding:4px 12px">${escapeHtml(value)}</td></tr>`).join("\n")}
</table>
${manage ? `<p><a href="${escapeHtml(manage)}" style="display:inline-block;background:#2d6cdf;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(s.labels.manage)}</a></p>` : ""}
<p style="color:#888;font-size:12px">${fill(s.footer, values, escapeHtml)}</p>`,
  );
  return { subject, text, html, dir: s.dir, lang };
}

export function renderInvitationEmail(locale: string, data: InvitationEmailData): RenderedEmail {
  const lang = asLocale(locale);
  const s = LOCALES[lang];
  const k = s.kinds.invitation;
  const values = { tenant: data.tenantName, inviter: data.inviterName, role: s.roles[data.role] ?? data.role };
  const subject = oneLine(fill(k.subject, values));
  const accept = safeUrl(data.acceptUrl);
  const text = [fill(k.intro, values), "", ...(accept ? [`${s.labels.accept}: ${accept}`] : [])].join("\n");
  const html = layout(
    s,
    lang,
    subject,
    k.heading,
    `<p>${fill(k.intro, values, escapeHtml)}</p>
${accept ? `<p><a href="${escapeHtml(accept)}" style="display:inline-block;background:#2d6cdf;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(s.labels.accept)}</a></p>` : ""}`,
  );
  return { subject, text, html, dir: s.dir, lang };
}

export interface PasswordResetEmailData {
  tenantName: string;
  resetUrl: string;
}

export function renderPasswordResetEmail(locale: string, data: PasswordResetEmailData): RenderedEmail {
  const lang = asLocale(locale);
  const s = LOCALES[lang];
  const k = s.kinds.password_reset;
  const values = { tenant: data.tenantName };
  const subject = oneLine(fill(k.subject, values));
  const link = safeUrl(data.resetUrl);
  const text = [fill(k.intro, values), "", ...(link ? [`${s.labels.reset}: ${link}`] : [])].join("\n");
  const html = layout(
    s,
    lang,
    subject,
    k.heading,
    `<p>${fill(k.intro, values, escapeHtml)}</p>
${link ? `<p><a href="${escapeHtml(link)}" style="display:inline-block;background:#2d6cdf;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(s.labels.reset)}</a></p>` : ""}`,
  );
  return { subject, text, html, dir: s.dir, lang };
}
