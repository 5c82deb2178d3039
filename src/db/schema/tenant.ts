/**
 * Tables that live in every tenant's own schema. One factory builds them for a
 * schema name so every query is schema-qualified (never `search_path`, which
 * poolers in transaction mode and PGlite's shared backend would leak).
 *
 * Double booking is prevented by exclusion constraints on `bookings.period`
 * (custom migration `0002_booking_constraints`): the database, not the code,
 * is the last line of defence. No table references the public schema; user
 * ids are plain UUIDs.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  smallint,
  text,
  time,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { assertSchemaName } from "../schema-name";

/** drizzle-kit generates tenant migrations against this schema; the migrator renames it. */
export const TEMPLATE_SCHEMA = "tenant_template";

export const BOOKING_STATUSES = ["pending", "confirmed", "completed", "cancelled", "no_show"] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
export const AVAILABILITY_KINDS = ["weekly", "override", "time_off"] as const;
export const PAYMENT_KINDS = ["deposit", "payment", "refund"] as const;
export const PAYMENT_METHODS = ["cash", "card", "transfer", "online"] as const;
export const NOTIFICATION_CHANNELS = ["email", "whatsapp", "sms", "webhook"] as const;
/** How a business reaches customers who gave a phone number. */
export const PHONE_CHANNELS = ["whatsapp", "sms"] as const;
/** `unknown`: a phone message whose worker stopped between the provider call and recording it (sent or not: a person decides). */
export const NOTIFICATION_STATUSES = ["pending", "sending", "sent", "failed", "skipped", "unknown"] as const;

/** Read-only in code: written by Postgres as a generated column. */
const tstzrange = customType<{ data: string; driverData: string }>({
  dataType: () => "tstzrange",
});

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

function buildTenantTables(schemaName: string) {
  const schema = pgSchema(schemaName);

  /** Single-row booking policy of the tenant (time zone, locale, currency live on `public.tenants`). */
  const settings = schema.table(
    "settings",
    {
      id: integer("id").primaryKey().default(1),
      slotIntervalMin: integer("slot_interval_min").notNull().default(15),
      minNoticeMin: integer("min_notice_min").notNull().default(60),
      bookingWindowDays: integer("booking_window_days").notNull().default(60),
      cancellationCutoffMin: integer("cancellation_cutoff_min").notNull().default(120),
      rescheduleCutoffMin: integer("reschedule_cutoff_min").notNull().default(120),
      reminderOffsetsMin: integer("reminder_offsets_min").array().notNull().default(sql`'{1440,120}'::integer[]`),
      /** Public bookings refuse a contact (email or phone) that already has this many upcoming ones (slot hoarding). */
      maxActiveBookingsPerContact: integer("max_active_bookings_per_contact").notNull().default(3),
      /** Public (online) bookings start `pending` until staff confirm them. */
      onlineBookingsNeedApproval: boolean("online_bookings_need_approval").notNull().default(false),
      /** Customers with a phone get their booking messages on this channel (issue 14). */
      phoneChannel: text("phone_channel", { enum: PHONE_CHANNELS }).notNull().default("whatsapp"),
      /** Local time (tenant zone) of each staff member's daily agenda message. */
      agendaTime: time("agenda_time").notNull().default("07:30"),
      /** Origins (`https://site.example`) allowed to frame the booking pages (CSP frame-ancestors); empty = none. */
      embedOrigins: text("embed_origins").array().notNull().default(sql`'{}'::text[]`),
      updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    },
    (t) => [
      check("settings_singleton", sql`${t.id} = 1`),
      check("settings_slot_interval_positive", sql`${t.slotIntervalMin} between 5 and 240`),
      check("settings_min_notice_nonneg", sql`${t.minNoticeMin} >= 0`),
      check("settings_window_positive", sql`${t.bookingWindowDays} between 1 and 730`),
      check("settings_contact_cap_range", sql`${t.maxActiveBookingsPerContact} between 1 and 100`),
      check("settings_phone_channel_valid", sql`${t.phoneChannel} in ('whatsapp', 'sms')`),
    ],
  );

  const serviceCategories = schema.table(
    "service_categories",
    {
      id: uuid("id").primaryKey().defaultRandom(),
      name: text("name").notNull(),
      position: integer("position").notNull().default(0),
      createdAt: createdAt(),
      updatedAt: updatedAt(),
    },
    (t) => [uniqueIndex("service_categories_name_key").on(sql`lower(${t.name})`)],
  );

  const services = schema.table(
    "services",
    {
      id: uuid("id").primaryKey().defaultRandom(),
      categoryId: uuid("category_id").references(() => serviceCategories.id, { onDelete: "set null" }),
      name: text("name").notNull(),
      description: text("description").notNull().default(""),
      durationMin: integer("duration_min").notNull(),
      priceMinor: integer("price_minor").notNull().default(0),
      currency: text("currency").notNull().default("MAD"),
      bufferBeforeMin: integer("buffer_before_min").notNull().default(0),
      bufferAfterMin: integer("buffer_after_min").notNull().default(0),
      /** 1 = one customer at a time; more = a group session with that many seats. */
      capacity: integer("capacity").notNull().default(1),
      /** A resource of this type (e.g. `room`) must be free for the whole blocked period. */
      requiredResourceType: text("required_resource_type"),
      /** Display order inside its category (ties by name); moves renumber the category's services. */
      position: integer("position").notNull().default(0),
      isActive: boolean("is_active").notNull().default(true),
      createdAt: createdAt(),
      updatedAt: updatedAt(),
    },
    (t) => [
      check("services_duration_valid", sql`${t.durationMin} between 5 and 1440`),
      check("services_price_nonneg", sql`${t.priceMinor} >= 0`),
      check("services_buffers_valid", sql`${t.bufferBeforeMin} between 0 and 240 and ${t.bufferAfterMin} between 0 and 240`),
      check("services_capacity_valid", sql`${t.capacity} between 1 and 500`),
      check("services_currency_valid", sql`${t.currency} ~ '^[A-Z]{3}$'`),
      index("services_category_idx").on(t.categoryId),
    ],
  );

  const staff = schema.table(
    "staff",
    {
      id: uuid("id").primaryKey().defaultRandom(),
      /** `public.users.id` when this person logs in (no cross-schema foreign key by design). */
      userId: uuid("user_id"),
      displayName: text("display_name").notNull(),
      email: text("email"),
      phone: text("phone"),
      /** Overrides the tenant's zone for this person's weekly hours. */
      timeZone: text("time_zone"),
      isActive: boolean("is_active").notNull().default(true),
      createdAt: createdAt(),
      updatedAt: updatedAt(),
    },
    (t) => [uniqueIndex("staff_user_key").on(t.userId).where(sql`${t.userId} is not null`)],
  );

  const serviceStaff = schema.table(
    "service_staff",
    {
      serviceId: uuid("service_id")
        .notNull()
        .references(() => services.id, { onDelete: "cascade" }),
      staffId: uuid("staff_id")
        .notNull()
        .references(() => staff.id, { onDelete: "cascade" }),
    },
    (t) => [primaryKey({ columns: [t.serviceId, t.staffId] }), index("service_staff_staff_idx").on(t.staffId)],
  );

  /**
   * weekly: weekday + start/end wall times (several rows a day = breaks);
   * override: a date's own ranges replacing the weekly ones (start/end null = day off);
   * time_off: an absolute period (instants) when the person is unavailable.
   */
  const staffAvailability = schema.table(
    "staff_availability",
    {
      id: uuid("id").primaryKey().defaultRandom(),
      staffId: uuid("staff_id")
        .notNull()
        .references(() => staff.id, { onDelete: "cascade" }),
      kind: text("kind", { enum: AVAILABILITY_KINDS }).notNull(),
      weekday: smallint("weekday"),
      date: date("date", { mode: "string" }),
      startTime: time("start_time"),
      endTime: time("end_time"),
      startsAt: instant("starts_at"),
      endsAt: instant("ends_at"),
      note: text("note").notNull().default(""),
      createdAt: createdAt(),
    },
    (t) => [
      index("staff_availability_staff_idx").on(t.staffId, t.kind),
      check(
        "staff_availability_shape",
        sql`(${t.kind} = 'weekly' and ${t.weekday} between 1 and 7 and ${t.startTime} is not null and ${t.endTime} is not null and ${t.date} is null and ${t.startsAt} is null)
         or (${t.kind} = 'override' and ${t.date} is not null and ${t.weekday} is null and ${t.startsAt} is null
             and ((${t.startTime} is null and ${t.endTime} is null) or (${t.startTime} is not null and ${t.endTime} is not null)))
         or (${t.kind} = 'time_off' and ${t.startsAt} is not null and ${t.endsAt} is not null and ${t.endsAt} > ${t.startsAt}
             and ${t.weekday} is null and ${t.date} is null and ${t.startTime} is null)`,
      ),
      check("staff_availability_range", sql`${t.startTime} is null or ${t.endTime} = '00:00' or ${t.endTime} > ${t.startTime}`),
    ],
  );

  const resources = schema.table(
    "resources",
    {
      id: uuid("id").primaryKey().defaultRandom(),
      name: text("name").notNull(),
      type: text("type").notNull(),
      capacity: integer("capacity").notNull().default(1),
      isActive: boolean("is_active").notNull().default(true),
      createdAt: createdAt(),
      updatedAt: updatedAt(),
    },
    (t) => [check("resources_capacity_valid", sql`${t.capacity} between 1 and 500`), index("resources_type_idx").on(t.type)],
  );

  /** A business-wide closure (holiday): every staff member is off on the local dates starts_on..ends_on. */
  const closures = schema.table(
    "closures",
    {
      id: uuid("id").primaryKey().defaultRandom(),
      startsOn: date("starts_on", { mode: "string" }).notNull(),
      endsOn: date("ends_on", { mode: "string" }).notNull(),
      label: text("label").notNull().default(""),
      createdAt: createdAt(),
    },
    (t) => [check("closures_range", sql`${t.endsOn} >= ${t.startsOn}`), index("closures_ends_idx").on(t.endsOn)],
  );

  /**
   * Seasonal hours (e.g. Ramadan): weekly rules that replace the weekly hours of
   * the chosen staff (seasonal_hours_staff) on the local dates starts_on..ends_on.
   * `weekly` is [{weekday, start, end}] (validated by the API like staff weekly rules).
   */
  const seasonalHours = schema.table(
    "seasonal_hours",
    {
      id: uuid("id").primaryKey().defaultRandom(),
      label: text("label").notNull().default(""),
      startsOn: date("starts_on", { mode: "string" }).notNull(),
      endsOn: date("ends_on", { mode: "string" }).notNull(),
      weekly: jsonb("weekly").$type<{ weekday: number; start: string; end: string }[]>().notNull().default([]),
      createdAt: createdAt(),
      updatedAt: updatedAt(),
    },
    (t) => [check("seasonal_hours_range", sql`${t.endsOn} >= ${t.startsOn}`), index("seasonal_hours_ends_idx").on(t.endsOn)],
  );

  const seasonalHoursStaff = schema.table(
    "seasonal_hours_staff",
    {
      seasonId: uuid("season_id")
        .notNull()
        .references(() => seasonalHours.id, { onDelete: "cascade" }),
      staffId: uuid("staff_id")
        .notNull()
        .references(() => staff.id, { onDelete: "cascade" }),
    },
    (t) => [primaryKey({ columns: [t.seasonId, t.staffId] }), index("seasonal_hours_staff_staff_idx").on(t.staffId)],
  );

  const customers = schema.table(
    "customers",
    {
      id: uuid("id").primaryKey().defaultRandom(),
      name: text("name").notNull(),
      /** Stored trimmed and lower-cased. */
      email: text("email"),
      /** E.164, e.g. +212612345678. */
      phone: text("phone"),
      locale: text("locale").notNull().default("fr"),
      notes: text("notes").notNull().default(""),
      /** The user who added the record on the staff side (staff-role users see the customers they added or served). */
      createdBy: uuid("created_by"),
      createdAt: createdAt(),
      updatedAt: updatedAt(),
    },
    (t) => [
      uniqueIndex("customers_email_key").on(t.email).where(sql`${t.email} is not null`),
      uniqueIndex("customers_phone_key").on(t.phone).where(sql`${t.phone} is not null`),
      check("customers_contact", sql`${t.email} is not null or ${t.phone} is not null`),
      check("customers_email_normalised", sql`${t.email} is null or ${t.email} = lower(btrim(${t.email}))`),
      check("customers_phone_e164", sql`${t.phone} is null or ${t.phone} ~ '^\\+[1-9][0-9]{6,14}$'`),
      check("customers_locale", sql`${t.locale} in ('fr', 'ar', 'en')`),
    ],
  );

  const bookings = schema.table(
    "bookings",
    {
      id: uuid("id").primaryKey().defaultRandom(),
      serviceId: uuid("service_id")
        .notNull()
        .references(() => services.id),
      staffId: uuid("staff_id")
        .notNull()
        .references(() => staff.id),
      resourceId: uuid("resource_id").references(() => resources.id),
      /**
       * The customer record, when one can be linked without disclosing or
       * changing anything (see create-booking.ts); null = an anonymous booking
       * whose contact matched other records only in part, until staff merge it.
       */
      customerId: uuid("customer_id").references(() => customers.id),
      /**
       * Contact details exactly as given with this booking: what its pages,
       * emails and manage link show, and where its messages go. Never read
       * from (or written to) the customer record by the public side.
       */
      contactName: text("contact_name"),
      contactEmail: text("contact_email"),
      contactPhone: text("contact_phone"),
      contactLocale: text("contact_locale"),
      /** The appointment itself. */
      startsAt: instant("starts_at").notNull(),
      endsAt: instant("ends_at").notNull(),
      /** The appointment widened by the service's buffers: what staff and resource are blocked for. */
      blockedFrom: instant("blocked_from").notNull(),
      blockedUntil: instant("blocked_until").notNull(),
      period: tstzrange("period").notNull().generatedAlwaysAs(sql`tstzrange(blocked_from, blocked_until, '[)')`),
      /**
       * Bookings with the same key may overlap (seats of one group session:
       * `<service id>@<start epoch>`); every other overlap is excluded. For a
       * one-to-one service the key is the booking's own id.
       */
      sessionKey: text("session_key").notNull(),
      seats: integer("seats").notNull().default(1),
      status: text("status", { enum: BOOKING_STATUSES }).notNull().default("confirmed"),
      priceMinor: integer("price_minor").notNull(),
      currency: text("currency").notNull(),
      source: text("source").notNull().default("public"),
      notes: text("notes").notNull().default(""),
      cancelReason: text("cancel_reason"),
      idempotencyKey: text("idempotency_key"),
      /** Hash of the request that used the key: the same key with another body is refused. */
      idempotencyFingerprint: text("idempotency_fingerprint"),
      /** Bumped to revoke every manage link issued so far. */
      manageTokenVersion: integer("manage_token_version").notNull().default(1),
      /**
       * The normalised email and phone given when booking: what the per-contact
       * cap on upcoming public bookings counts (contact-cap.ts), whoever the
       * booking ends up linked to.
       */
      createdAt: createdAt(),
      updatedAt: updatedAt(),
    },
    (t) => [
      uniqueIndex("bookings_idempotency_key").on(t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`),
      index("bookings_starts_at_idx").on(t.startsAt),
      index("bookings_staff_starts_idx").on(t.staffId, t.startsAt),
      index("bookings_customer_idx").on(t.customerId),
      index("bookings_session_idx").on(t.sessionKey),
      index("bookings_contact_email_idx").on(t.contactEmail, t.startsAt).where(sql`${t.status} in ('pending', 'confirmed')`),
      index("bookings_contact_phone_idx").on(t.contactPhone, t.startsAt).where(sql`${t.status} in ('pending', 'confirmed')`),
      check("bookings_status_valid", sql`${t.status} in ('pending', 'confirmed', 'completed', 'cancelled', 'no_show')`),
      check(
        "bookings_times_ordered",
        sql`${t.blockedFrom} <= ${t.startsAt} and ${t.startsAt} < ${t.endsAt} and ${t.endsAt} <= ${t.blockedUntil}`,
      ),
      check("bookings_seats_positive", sql`${t.seats} >= 1`),
      check("bookings_price_nonneg", sql`${t.priceMinor} >= 0`),
    ],
  );

  /** Append-only (a trigger refuses UPDATE and DELETE): who changed what, when. */
  const bookingEvents = schema.table(
    "booking_events",
    {
      id: bigserial("id", { mode: "number" }).primaryKey(),
      bookingId: uuid("booking_id")
        .notNull()
        .references(() => bookings.id),
      /** `customer` (manage link), `user` (staff side), or `system` (jobs). */
      actorType: text("actor_type").notNull(),
      actorId: text("actor_id"),
      action: text("action").notNull(),
      before: jsonb("before").$type<Record<string, unknown> | null>(),
      after: jsonb("after").$type<Record<string, unknown> | null>(),
      createdAt: createdAt(),
    },
    (t) => [
      index("booking_events_booking_idx").on(t.bookingId, t.id),
      // Time-ordered reads of the audit trail (the notify job reads booking_event_queue instead).
      index("booking_events_created_idx").on(t.createdAt),
      check("booking_events_actor_type", sql`${t.actorType} in ('customer', 'user', 'system')`),
    ],
  );

  /**
   * Booking events the notify job has not turned into messages yet. A trigger
   * adds each event here in the transaction that writes it, so an event that
   * commits late becomes visible together with its queue row and the job,
   * which consumes this table instead of scanning by time, cannot skip it.
   */
  const bookingEventQueue = schema.table("booking_event_queue", {
    eventId: bigint("event_id", { mode: "number" })
      .primaryKey()
      .references(() => bookingEvents.id),
  });

  const paymentTransactions = schema.table(
    "payment_transactions",
    {
      id: uuid("id").primaryKey().defaultRandom(),
      bookingId: uuid("booking_id")
        .notNull()
        .references(() => bookings.id),
      kind: text("kind", { enum: PAYMENT_KINDS }).notNull(),
      method: text("method", { enum: PAYMENT_METHODS }).notNull(),
      /** Always positive; a refund's kind says it counts against the paid amount. */
      amountMinor: integer("amount_minor").notNull(),
      currency: text("currency").notNull(),
      reference: text("reference").notNull().default(""),
      recordedBy: uuid("recorded_by"),
      createdAt: createdAt(),
    },
    (t) => [
      index("payment_transactions_booking_idx").on(t.bookingId),
      check("payment_transactions_amount_positive", sql`${t.amountMinor} > 0`),
      check("payment_transactions_kind", sql`${t.kind} in ('deposit', 'payment', 'refund')`),
      check("payment_transactions_method", sql`${t.method} in ('cash', 'card', 'transfer', 'online')`),
      check("payment_transactions_currency", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    ],
  );

  /**
   * The outbox: every message the system sends is first a row here. The unique
   * `dedupe_key` (e.g. `reminder:<booking>:<offset>:<start epoch>`) makes
   * enqueueing twice a no-op; delivery claims rows by moving them to `sending`.
   */
  const notifications = schema.table(
    "notifications",
    {
      id: uuid("id").primaryKey().defaultRandom(),
      channel: text("channel", { enum: NOTIFICATION_CHANNELS }).notNull(),
      /** booking_confirmation, booking_cancellation, booking_reschedule, reminder, invitation, webhook:<event> */
      kind: text("kind").notNull(),
      dedupeKey: text("dedupe_key").notNull(),
      bookingId: uuid("booking_id").references(() => bookings.id),
      /** Email address, E.164 phone (whatsapp, sms), or the webhook endpoint id. */
      recipient: text("recipient").notNull(),
      locale: text("locale").notNull().default("fr"),
      payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
      status: text("status", { enum: NOTIFICATION_STATUSES }).notNull().default("pending"),
      attempts: integer("attempts").notNull().default(0),
      maxAttempts: integer("max_attempts").notNull().default(5),
      /** Not sent before this instant (reminders are due ahead of time; retries back off). */
      nextAttemptAt: instant("next_attempt_at").notNull().defaultNow(),
      lastError: text("last_error"),
      providerMessageId: text("provider_message_id"),
      sentAt: instant("sent_at"),
      createdAt: createdAt(),
      updatedAt: updatedAt(),
    },
    (t) => [
      uniqueIndex("notifications_dedupe_key").on(t.dedupeKey),
      index("notifications_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
      index("notifications_booking_idx").on(t.bookingId),
      check("notifications_status_valid", sql`${t.status} in ('pending', 'sending', 'sent', 'failed', 'skipped', 'unknown')`),
      check("notifications_channel_valid", sql`${t.channel} in ('email', 'whatsapp', 'sms', 'webhook')`),
    ],
  );

  /** One row per delivery attempt: what the provider answered, and when. */
  const notificationAttempts = schema.table(
    "notification_attempts",
    {
      id: bigserial("id", { mode: "number" }).primaryKey(),
      notificationId: uuid("notification_id")
        .notNull()
        .references(() => notifications.id, { onDelete: "cascade" }),
      attempt: integer("attempt").notNull(),
      ok: boolean("ok").notNull(),
      httpStatus: integer("http_status"),
      error: text("error"),
      providerMessageId: text("provider_message_id"),
      durationMs: integer("duration_ms"),
      createdAt: createdAt(),
    },
    (t) => [index("notification_attempts_notification_idx").on(t.notificationId, t.attempt)],
  );

  /** Tenant-registered HTTPS endpoints that receive signed booking events. */
  const webhookEndpoints = schema.table("webhook_endpoints", {
    id: uuid("id").primaryKey().defaultRandom(),
    url: text("url").notNull(),
    /** HMAC-SHA256 signing secret, shown to the tenant once at creation. */
    secret: text("secret").notNull(),
    events: text("events").array().notNull().default(sql`'{}'::text[]`),
    isActive: boolean("is_active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  });

  /**
   * Short manage links `/m/<code>` for SMS and WhatsApp: only the SHA-256 of
   * the code is stored. A link is valid while its booking keeps the manage
   * version and start it was issued for (any change revokes it).
   */
  const shortLinks = schema.table(
    "short_links",
    {
      codeHash: text("code_hash").primaryKey(),
      bookingId: uuid("booking_id")
        .notNull()
        .references(() => bookings.id, { onDelete: "cascade" }),
      manageTokenVersion: integer("manage_token_version").notNull(),
      startsAt: instant("starts_at").notNull(),
      createdAt: createdAt(),
    },
    (t) => [index("short_links_booking_idx").on(t.bookingId)],
  );

  /** Phones that replied STOP (or used an opt-out link): no WhatsApp or SMS goes to them any more. */
  const messageOptOuts = schema.table("message_opt_outs", {
    phone: text("phone").primaryKey(),
    source: text("source").notNull(),
    createdAt: createdAt(),
  });

  /**
   * Business alerts per person (owner/admin user or staff member), keyed by
   * their lower-cased email; no row = every alert by email, no WhatsApp.
   */
  const alertPreferences = schema.table("alert_preferences", {
    email: text("email").primaryKey(),
    onCreated: boolean("on_created").notNull().default(true),
    onCancelled: boolean("on_cancelled").notNull().default(true),
    onRescheduled: boolean("on_rescheduled").notNull().default(true),
    dailyAgenda: boolean("daily_agenda").notNull().default(true),
    /** E.164: alerts also go to WhatsApp. */
    whatsappPhone: text("whatsapp_phone"),
    updatedAt: updatedAt(),
  });

  /** Inbound WhatsApp messages, one row per provider message id: a redelivery is recognised and ignored. */
  const inboundMessages = schema.table("inbound_messages", {
    providerMessageId: text("provider_message_id").primaryKey(),
    fromPhone: text("from_phone").notNull(),
    body: text("body").notNull(),
    bookingId: uuid("booking_id").references(() => bookings.id),
    action: text("action").notNull(),
    createdAt: createdAt(),
  });

  /** Per-job watermarks, e.g. the instant up to which reminders have been enqueued. */
  const jobCursors = schema.table("job_cursors", {
    job: text("job").primaryKey(),
    until: instant("until").notNull(),
    updatedAt: updatedAt(),
  });

  return {
    schema,
    settings,
    serviceCategories,
    services,
    staff,
    serviceStaff,
    staffAvailability,
    closures,
    seasonalHours,
    seasonalHoursStaff,
    resources,
    customers,
    bookings,
    bookingEvents,
    bookingEventQueue,
    paymentTransactions,
    notifications,
    notificationAttempts,
    webhookEndpoints,
    jobCursors,
    shortLinks,
    messageOptOuts,
    inboundMessages,
    alertPreferences,
  };
}

export type TenantTables = ReturnType<typeof buildTenantTables>;

const cache = new Map<string, TenantTables>();

/** Tenant tables for one validated schema name, built once per isolate. */
export function tenantTables(schemaName: string): TenantTables {
  let tables = cache.get(schemaName);
  if (!tables) {
    tables = buildTenantTables(assertSchemaName(schemaName));
    cache.set(schemaName, tables);
  }
  return tables;
}

/** Tables of the migration template: list specs only need column names to shape a documented query string. */
export const docTables = tenantTables(TEMPLATE_SCHEMA);
