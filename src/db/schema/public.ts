/**
 * Shared (public schema) tables: who the users are, which tenants exist, which
 * hosts route to them, and where each tenant's schema stands in its migrations.
 * Tenant schemas never reference these with foreign keys; they store user ids.
 */
import { sql } from "drizzle-orm";
import { bigserial, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { TENANT_STATUSES } from "../../domain/tenant";

export { TENANT_STATUSES, type TenantStatus } from "../../domain/tenant";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

export const MEMBERSHIP_ROLES = ["owner", "admin", "staff"] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    displayName: text("display_name").notNull().default(""),
    locale: text("locale").notNull().default("fr"),
    /** `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`; null until an invitation is accepted. */
    passwordHash: text("password_hash"),
    isSuperuser: boolean("is_superuser").notNull().default(false),
    isActive: boolean("is_active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_email_lower_key").on(sql`lower(${t.email})`),
    check("users_email_normalised", sql`${t.email} = lower(btrim(${t.email}))`),
  ],
);

export const tenants = pgTable(
  "tenants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull().unique(),
    schemaName: text("schema_name").notNull().unique(),
    name: text("name").notNull(),
    status: text("status", { enum: TENANT_STATUSES }).notNull().default("active"),
    contactEmail: text("contact_email").notNull(),
    timeZone: text("time_zone").notNull().default("Africa/Casablanca"),
    locale: text("locale").notNull().default("fr"),
    currency: text("currency").notNull().default("MAD"),
    /** ISO 3166-1 alpha-2: the country a phone number typed in national form belongs to. */
    country: text("country").notNull().default("MA"),
    /**
     * The business's own WhatsApp sender: Meta's phone-number id (routes inbound
     * messages to this tenant, sends its outbound ones) and the number people see.
     * Null: the deployment's default sender, if any.
     */
    whatsappPhoneNumberId: text("whatsapp_phone_number_id"),
    whatsappDisplayNumber: text("whatsapp_display_number"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("tenants_country_valid", sql`${t.country} ~ '^[A-Z]{2}$'`),
    uniqueIndex("tenants_whatsapp_phone_number_id_key").on(t.whatsappPhoneNumberId),
    check("tenants_whatsapp_phone_number_id_valid", sql`${t.whatsappPhoneNumberId} ~ '^[0-9]{5,32}$'`),
    check("tenants_whatsapp_display_number_valid", sql`${t.whatsappDisplayNumber} ~ '^\\+[1-9][0-9]{6,14}$'`),
    check("tenants_status_valid", sql`${t.status} in ('active', 'suspended', 'archived')`),
    check("tenants_schema_name_valid", sql`${t.schemaName} ~ '^tenant_[a-z][a-z0-9_]{1,40}$'`),
  ],
);

export const tenantMemberships = pgTable(
  "tenant_memberships",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    role: text("role", { enum: MEMBERSHIP_ROLES }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /**
     * The member's last sign-in or session renewal on this business (the team
     * screen's "last active"); written by the same statements, at most once an
     * hour, so it is accurate to the hour.
     */
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("tenant_memberships_user_tenant_key").on(t.userId, t.tenantId),
    index("tenant_memberships_tenant_idx").on(t.tenantId),
    check("tenant_memberships_role_valid", sql`${t.role} in ('owner', 'admin', 'staff')`),
  ],
);

export const tenantDomains = pgTable(
  "tenant_domains",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    domain: text("domain").notNull().unique(),
    isPrimary: boolean("is_primary").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    // At most one primary per tenant here; "at least one" is kept by the code
    // that creates tenants and edits domains (all in one transaction).
    uniqueIndex("tenant_domains_one_primary").on(t.tenantId).where(sql`${t.isPrimary}`),
    index("tenant_domains_tenant_idx").on(t.tenantId),
    check("tenant_domains_lower", sql`${t.domain} = lower(${t.domain})`),
  ],
);

export const tenantConfig = pgTable("tenant_config", {
  tenantId: uuid("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  /** Branding and public-page settings: logo URL, accent colour, … */
  settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
  updatedAt: updatedAt(),
});

export const tenantLifecycle = pgTable(
  "tenant_lifecycle",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    actor: text("actor").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("tenant_lifecycle_tenant_idx").on(t.tenantId, t.createdAt)],
);

/** One row per tenant: answers "who is behind?" in one query for any number of tenants. */
export const tenantMigrationState = pgTable(
  "tenant_migration_state",
  {
    tenantId: uuid("tenant_id")
      .primaryKey()
      .references(() => tenants.id, { onDelete: "cascade" }),
    version: integer("version").notNull().default(0),
    lastTag: text("last_tag"),
    lastError: text("last_error"),
    failedAttempts: integer("failed_attempts").notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [index("tenant_migration_state_version_idx").on(t.version)],
);

/**
 * Refresh tokens: only the SHA-256 of the token is stored. Every refresh
 * rotates (the old row gets `rotated_at`, a new row joins the same family);
 * presenting a rotated token again revokes the whole family. A token is bound
 * to the audience it was issued for (a tenant id or `platform`).
 */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    familyId: uuid("family_id").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    audience: text("audience").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    rotatedAt: timestamp("rotated_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("refresh_tokens_family_idx").on(t.familyId), index("refresh_tokens_user_idx").on(t.userId, t.audience)],
);

/** Fixed-window counters (sign-in attempts per client address, per address and account, per device); one row per key. */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  hits: integer("hits").notNull(),
});

/**
 * Per-account sign-in slow-down across addresses: consecutive attempts from
 * clients without a device token for the account, and the instant before
 * which the next one is refused. A success deletes the row.
 */
export const loginThrottle = pgTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  notBefore: timestamp("not_before", { withTimezone: true }).notNull(),
});

/** Invitations to join a tenant. The link carries a signed token whose id is this row's id. */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: text("role", { enum: MEMBERSHIP_ROLES }).notNull(),
    invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: uuid("accepted_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    index("invitations_tenant_idx").on(t.tenantId, t.createdAt),
    check("invitations_role_valid", sql`${t.role} in ('owner', 'admin', 'staff')`),
    check("invitations_email_normalised", sql`${t.email} = lower(btrim(${t.email}))`),
  ],
);
