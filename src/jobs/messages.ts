/** What travels on the jobs queue: one message per tenant and kind of work (plus one for platform housekeeping). */
export type JobKind = "migrate" | "notify" | "maintenance";

export interface TenantJobRef {
  tenantId: string;
  slug: string;
  schemaName: string;
}

export interface MigrateTenantMessage extends TenantJobRef {
  kind: "migrate";
}

/** Derive event messages, enqueue due reminders, deliver the tenant's due outbox rows. */
export interface NotifyTenantMessage extends TenantJobRef {
  kind: "notify";
}

/** Platform housekeeping (expired sessions, old rate-limit rows, finished invitations): one message per tick. */
export interface MaintenanceMessage {
  kind: "maintenance";
}

export type JobMessage = MigrateTenantMessage | NotifyTenantMessage | MaintenanceMessage;

/** Which cron expression (as written in wrangler.toml) runs which jobs. */
export const CRON_JOBS: Record<string, readonly JobKind[]> = {
  "* * * * *": ["notify"],
  "*/30 * * * *": ["migrate", "maintenance"],
};

/** Queue retry delays: 30 s, 60 s, 120 s … capped at 15 min. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(15 * 60, 30 * 2 ** Math.max(0, attempts - 1));
}
