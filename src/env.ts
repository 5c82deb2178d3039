/**
 * Worker bindings and their validation. Checked once per isolate so a missing
 * secret is reported clearly on the first request instead of failing later in
 * some unrelated query.
 */
import { z } from "zod";

export interface Bindings {
  TENANT_CACHE: KVNamespace;
  JOBS: Queue<unknown>;
  DATABASE_URL?: string;
  /** Local development and tests only: `host:port` of the WebSocket→TCP proxy. */
  DB_PROXY?: string;
  /** Local development and tests only: URL of the Neon-style SQL-over-HTTP endpoint (`http://host:port/sql`). */
  DB_HTTP_ENDPOINT?: string;
  /** Benchmark baseline only: `websocket` runs one-shot statements over a per-request WebSocket, as before the HTTP path. */
  DB_QUERY_PATH?: string;
  /** Benchmark only: `on` enables the bare `select 1` routes of src/system/baseline.routes.ts. */
  BENCH_BASELINES?: string;
  JWT_SECRET?: string;
  /** The previous signing secret, kept for one access-token lifetime after a rotation. */
  JWT_PREVIOUS_SECRET?: string;
  APP_ENV?: string;
  PLATFORM_HOSTS?: string;
  MAX_BODY_BYTES?: string;
  /** How links to a tenant host are built (`{host}` is replaced): `https://{host}` in production. */
  PUBLIC_URL_TEMPLATE?: string;
  /** Resend-compatible email API (default https://api.resend.com/emails); the capture sink in dev and tests. */
  EMAIL_API_URL?: string;
  /** Secret: `wrangler secret put EMAIL_API_KEY`. Unset → emails stay pending in the outbox. */
  EMAIL_API_KEY?: string;
  /** Sender, e.g. `BookMe <no-reply@bookme.ma>`. */
  EMAIL_FROM?: string;
  /** WhatsApp Business Cloud API base (default https://graph.facebook.com/v21.0); the capture sink in dev. */
  WHATSAPP_API_URL?: string;
  /** Secret: the Cloud API access token of the platform's Meta app (one for every business). Unset → WhatsApp messages stay pending. */
  WHATSAPP_TOKEN?: string;
  /**
   * The deployment's DEFAULT sender: Meta's phone-number id (not the number), used by businesses without their own
   * (`tenants.whatsapp_phone_number_id`, set by the platform superuser). Unset: those businesses' WhatsApp stays pending.
   */
  WHATSAPP_PHONE_NUMBER_ID?: string;
  /** JSON `{kind: {locale: template name}}`; default name `bookme_<kind>` in the customer's language. */
  WHATSAPP_TEMPLATES?: string;
  /** Secret: the Meta app secret, verifying X-Hub-Signature-256 of inbound webhooks. */
  WHATSAPP_APP_SECRET?: string;
  /** Secret: the token Meta echoes in the webhook GET handshake. */
  WHATSAPP_VERIFY_TOKEN?: string;
  /** Twilio-compatible SMS API base (default https://api.twilio.com). */
  SMS_API_URL?: string;
  SMS_ACCOUNT_SID?: string;
  /** Secret. Unset → SMS stay pending in the outbox. */
  SMS_AUTH_TOKEN?: string;
  /** Sender number or id. */
  SMS_FROM?: string;
  /** Workers rate-limiting binding: public bookings per business and client address (wrangler.toml). */
  BOOKING_LIMITER?: RateLimit;
}

const EnvSchema = z.object({
  DATABASE_URL: z
    .string({ error: "DATABASE_URL is not set (wrangler secret put DATABASE_URL)" })
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// connection string"),
  DB_PROXY: z
    .string()
    .regex(/^(ws:\/\/)?[a-z0-9.-]+:\d+$/i, "DB_PROXY must be host:port")
    .optional(),
  DB_HTTP_ENDPOINT: z
    .string()
    .regex(/^http:\/\/[a-z0-9.-]+:\d+\/sql$/i, "DB_HTTP_ENDPOINT must look like http://host:port/sql")
    .optional(),
  DB_QUERY_PATH: z.enum(["http", "websocket"]).default("http"),
  JWT_SECRET: z
    .string({ error: "JWT_SECRET is not set (wrangler secret put JWT_SECRET)" })
    .min(32, "JWT_SECRET must be at least 32 characters"),
  APP_ENV: z.enum(["development", "test", "production"]).default("production"),
  PLATFORM_HOSTS: z.string().default("localhost"),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  PUBLIC_URL_TEMPLATE: z
    .string()
    .regex(/^https?:\/\/\{host\}(:\d+)?$/, "PUBLIC_URL_TEMPLATE must look like https://{host} or http://{host}:8787")
    .default("https://{host}"),
  EMAIL_API_URL: z.string().url("EMAIL_API_URL must be a URL").optional(),
  EMAIL_API_KEY: z.string().optional(),
  EMAIL_FROM: z.string().optional(),
  WHATSAPP_API_URL: z.string().url("WHATSAPP_API_URL must be a URL").optional(),
  WHATSAPP_TOKEN: z.string().optional(),
  WHATSAPP_PHONE_NUMBER_ID: z.string().optional(),
  WHATSAPP_TEMPLATES: z.string().optional(),
  WHATSAPP_APP_SECRET: z.string().optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().optional(),
  SMS_API_URL: z.string().url("SMS_API_URL must be a URL").optional(),
  SMS_ACCOUNT_SID: z.string().optional(),
  SMS_AUTH_TOKEN: z.string().optional(),
  SMS_FROM: z.string().optional(),
});

export type AppConfig = Omit<z.infer<typeof EnvSchema>, "PLATFORM_HOSTS"> & {
  platformHosts: ReadonlySet<string>;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid Worker configuration: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

const checked = new WeakMap<object, AppConfig>();

export function loadConfig(env: Bindings): AppConfig {
  const cached = checked.get(env);
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => i.message));
  }
  const { PLATFORM_HOSTS, ...rest } = parsed.data;
  const config: AppConfig = {
    ...rest,
    platformHosts: new Set(
      PLATFORM_HOSTS.split(",")
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
  };
  checked.set(env, config);
  return config;
}
