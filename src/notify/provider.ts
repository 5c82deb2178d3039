/**
 * Email delivery behind one small interface, with one real implementation: a
 * client for Resend-compatible HTTP APIs (`POST {url}` with a bearer key, JSON
 * body, `{id}` back). The local capture sink (infra/mail-capture.ts) speaks the
 * same protocol, so dev and tests exercise exactly the production code path.
 */

export interface EmailAttachment {
  filename: string;
  /** Base64. */
  content: string;
  content_type?: string;
}

export interface EmailMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments?: EmailAttachment[];
  headers?: Record<string, string>;
  /** Sent as the `Idempotency-Key` request header: a resend after a crash is not delivered twice. */
  idempotencyKey?: string;
}

/** What one attempt produced; `retryable: false` means trying again cannot help (e.g. 422). */
export interface DeliveryResult {
  ok: boolean;
  httpStatus: number | null;
  providerMessageId: string | null;
  error: string | null;
  retryable: boolean;
}

export interface EmailProvider {
  send(message: EmailMessage): Promise<DeliveryResult>;
}

export interface HttpEmailConfig {
  url: string;
  apiKey: string;
  from: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export const DEFAULT_EMAIL_API_URL = "https://api.resend.com/emails";
const DEFAULT_TIMEOUT_MS = 10_000;

/** Client errors other than timeouts and rate limits will fail the same way next time. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** POSTs JSON, maps any outcome (HTTP error, timeout, network failure) to a DeliveryResult. */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<DeliveryResult & { body: unknown }> {
  const doFetch = options.fetch ?? fetch;
  try {
    const response = await doFetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (response.ok) {
      return { ok: true, httpStatus: response.status, providerMessageId: null, error: null, retryable: false, body: parsed };
    }
    return {
      ok: false,
      httpStatus: response.status,
      providerMessageId: null,
      error: `HTTP ${response.status}: ${text.slice(0, 300)}`,
      retryable: isRetryableStatus(response.status),
      body: parsed,
    };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, httpStatus: null, providerMessageId: null, error: message.slice(0, 500), retryable: true, body: null };
  }
}

export class HttpEmailProvider implements EmailProvider {
  constructor(private readonly config: HttpEmailConfig) {}

  async send(message: EmailMessage): Promise<DeliveryResult> {
    const body = JSON.stringify({
      from: this.config.from,
      to: [message.to],
      subject: message.subject,
      html: message.html,
      text: message.text,
      attachments: message.attachments ?? [],
      headers: message.headers ?? {},
    });
    const headers: Record<string, string> = { authorization: `Bearer ${this.config.apiKey}` };
    if (message.idempotencyKey) headers["idempotency-key"] = message.idempotencyKey;
    const result = await postJson(this.config.url, body, headers, this.config);
    const id = (result.body as { id?: unknown } | null)?.id;
    const { body: _, ...outcome } = result;
    if (outcome.ok && typeof id !== "string") {
      // 2xx without an id: the provider accepted something, but we cannot trace it.
      return { ...outcome, providerMessageId: null };
    }
    return { ...outcome, providerMessageId: typeof id === "string" ? id : null };
  }
}

/** The configured provider, or null when no key is set (messages then stay pending, visible in the API). */
export function emailProviderFromConfig(config: {
  EMAIL_API_URL?: string;
  EMAIL_API_KEY?: string;
  EMAIL_FROM?: string;
}): EmailProvider | null {
  if (!config.EMAIL_API_KEY) return null;
  return new HttpEmailProvider({
    url: config.EMAIL_API_URL || DEFAULT_EMAIL_API_URL,
    apiKey: config.EMAIL_API_KEY,
    from: config.EMAIL_FROM || "BookMe <no-reply@bookme.ma>",
  });
}
