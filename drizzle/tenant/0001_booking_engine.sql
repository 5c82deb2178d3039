CREATE TABLE "tenant_template"."booking_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"booking_id" uuid NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"action" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "booking_events_actor_type" CHECK ("tenant_template"."booking_events"."actor_type" in ('customer', 'user', 'system'))
);
--> statement-breakpoint
CREATE TABLE "tenant_template"."bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"resource_id" uuid,
	"customer_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"blocked_from" timestamp with time zone NOT NULL,
	"blocked_until" timestamp with time zone NOT NULL,
	"period" "tstzrange" GENERATED ALWAYS AS (tstzrange(blocked_from, blocked_until, '[)')) STORED NOT NULL,
	"session_key" text NOT NULL,
	"seats" integer DEFAULT 1 NOT NULL,
	"status" text DEFAULT 'confirmed' NOT NULL,
	"price_minor" integer NOT NULL,
	"currency" text NOT NULL,
	"source" text DEFAULT 'public' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"cancel_reason" text,
	"idempotency_key" text,
	"idempotency_fingerprint" text,
	"manage_token_version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bookings_status_valid" CHECK ("tenant_template"."bookings"."status" in ('pending', 'confirmed', 'completed', 'cancelled', 'no_show')),
	CONSTRAINT "bookings_times_ordered" CHECK ("tenant_template"."bookings"."blocked_from" <= "tenant_template"."bookings"."starts_at" and "tenant_template"."bookings"."starts_at" < "tenant_template"."bookings"."ends_at" and "tenant_template"."bookings"."ends_at" <= "tenant_template"."bookings"."blocked_until"),
	CONSTRAINT "bookings_seats_positive" CHECK ("tenant_template"."bookings"."seats" >= 1),
	CONSTRAINT "bookings_price_nonneg" CHECK ("tenant_template"."bookings"."price_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "tenant_template"."customers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"locale" text DEFAULT 'fr' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customers_contact" CHECK ("tenant_template"."customers"."email" is not null or "tenant_template"."customers"."phone" is not null),
	CONSTRAINT "customers_email_normalised" CHECK ("tenant_template"."customers"."email" is null or "tenant_template"."customers"."email" = lower(btrim("tenant_template"."customers"."email"))),
	CONSTRAINT "customers_phone_e164" CHECK ("tenant_template"."customers"."phone" is null or "tenant_template"."customers"."phone" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "customers_locale" CHECK ("tenant_template"."customers"."locale" in ('fr', 'ar', 'en'))
);
--> statement-breakpoint
CREATE TABLE "tenant_template"."payment_transactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"booking_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"method" text NOT NULL,
	"amount_minor" integer NOT NULL,
	"currency" text NOT NULL,
	"reference" text DEFAULT '' NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_transactions_amount_positive" CHECK ("tenant_template"."payment_transactions"."amount_minor" > 0),
	CONSTRAINT "payment_transactions_kind" CHECK ("tenant_template"."payment_transactions"."kind" in ('deposit', 'payment', 'refund')),
	CONSTRAINT "payment_transactions_method" CHECK ("tenant_template"."payment_transactions"."method" in ('cash', 'card', 'transfer', 'online')),
	CONSTRAINT "payment_transactions_currency" CHECK ("tenant_template"."payment_transactions"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "tenant_template"."resources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"capacity" integer DEFAULT 1 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resources_capacity_valid" CHECK ("tenant_template"."resources"."capacity" between 1 and 500)
);
--> statement-breakpoint
CREATE TABLE "tenant_template"."service_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenant_template"."service_staff" (
	"service_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	CONSTRAINT "service_staff_service_id_staff_id_pk" PRIMARY KEY("service_id","staff_id")
);
--> statement-breakpoint
CREATE TABLE "tenant_template"."services" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"category_id" uuid,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"duration_min" integer NOT NULL,
	"price_minor" integer DEFAULT 0 NOT NULL,
	"currency" text DEFAULT 'MAD' NOT NULL,
	"buffer_before_min" integer DEFAULT 0 NOT NULL,
	"buffer_after_min" integer DEFAULT 0 NOT NULL,
	"capacity" integer DEFAULT 1 NOT NULL,
	"required_resource_type" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "services_duration_valid" CHECK ("tenant_template"."services"."duration_min" between 5 and 1440),
	CONSTRAINT "services_price_nonneg" CHECK ("tenant_template"."services"."price_minor" >= 0),
	CONSTRAINT "services_buffers_valid" CHECK ("tenant_template"."services"."buffer_before_min" between 0 and 240 and "tenant_template"."services"."buffer_after_min" between 0 and 240),
	CONSTRAINT "services_capacity_valid" CHECK ("tenant_template"."services"."capacity" between 1 and 500),
	CONSTRAINT "services_currency_valid" CHECK ("tenant_template"."services"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "tenant_template"."staff" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"display_name" text NOT NULL,
	"email" text,
	"phone" text,
	"time_zone" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenant_template"."staff_availability" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"weekday" smallint,
	"date" date,
	"start_time" time,
	"end_time" time,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_availability_shape" CHECK (("tenant_template"."staff_availability"."kind" = 'weekly' and "tenant_template"."staff_availability"."weekday" between 1 and 7 and "tenant_template"."staff_availability"."start_time" is not null and "tenant_template"."staff_availability"."end_time" is not null and "tenant_template"."staff_availability"."date" is null and "tenant_template"."staff_availability"."starts_at" is null)
         or ("tenant_template"."staff_availability"."kind" = 'override' and "tenant_template"."staff_availability"."date" is not null and "tenant_template"."staff_availability"."weekday" is null and "tenant_template"."staff_availability"."starts_at" is null
             and (("tenant_template"."staff_availability"."start_time" is null and "tenant_template"."staff_availability"."end_time" is null) or ("tenant_template"."staff_availability"."start_time" is not null and "tenant_template"."staff_availability"."end_time" is not null)))
         or ("tenant_template"."staff_availability"."kind" = 'time_off' and "tenant_template"."staff_availability"."starts_at" is not null and "tenant_template"."staff_availability"."ends_at" is not null and "tenant_template"."staff_availability"."ends_at" > "tenant_template"."staff_availability"."starts_at"
             and "tenant_template"."staff_availability"."weekday" is null and "tenant_template"."staff_availability"."date" is null and "tenant_template"."staff_availability"."start_time" is null)),
	CONSTRAINT "staff_availability_range" CHECK ("tenant_template"."staff_availability"."start_time" is null or "tenant_template"."staff_availability"."end_time" = '00:00' or "tenant_template"."staff_availability"."end_time" > "tenant_template"."staff_availability"."start_time")
);
--> statement-breakpoint
ALTER TABLE "tenant_template"."booking_events" ADD CONSTRAINT "booking_events_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "tenant_template"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_template"."bookings" ADD CONSTRAINT "bookings_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "tenant_template"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_template"."bookings" ADD CONSTRAINT "bookings_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "tenant_template"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_template"."bookings" ADD CONSTRAINT "bookings_resource_id_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "tenant_template"."resources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_template"."bookings" ADD CONSTRAINT "bookings_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "tenant_template"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_template"."payment_transactions" ADD CONSTRAINT "payment_transactions_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "tenant_template"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_template"."service_staff" ADD CONSTRAINT "service_staff_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "tenant_template"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_template"."service_staff" ADD CONSTRAINT "service_staff_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "tenant_template"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_template"."services" ADD CONSTRAINT "services_category_id_service_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "tenant_template"."service_categories"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_template"."staff_availability" ADD CONSTRAINT "staff_availability_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "tenant_template"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "booking_events_booking_idx" ON "tenant_template"."booking_events" USING btree ("booking_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_idempotency_key" ON "tenant_template"."bookings" USING btree ("idempotency_key") WHERE "tenant_template"."bookings"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "bookings_starts_at_idx" ON "tenant_template"."bookings" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "bookings_staff_starts_idx" ON "tenant_template"."bookings" USING btree ("staff_id","starts_at");--> statement-breakpoint
CREATE INDEX "bookings_customer_idx" ON "tenant_template"."bookings" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "bookings_session_idx" ON "tenant_template"."bookings" USING btree ("session_key");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_email_key" ON "tenant_template"."customers" USING btree ("email") WHERE "tenant_template"."customers"."email" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "customers_phone_key" ON "tenant_template"."customers" USING btree ("phone") WHERE "tenant_template"."customers"."phone" is not null;--> statement-breakpoint
CREATE INDEX "payment_transactions_booking_idx" ON "tenant_template"."payment_transactions" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "resources_type_idx" ON "tenant_template"."resources" USING btree ("type");--> statement-breakpoint
CREATE UNIQUE INDEX "service_categories_name_key" ON "tenant_template"."service_categories" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "service_staff_staff_idx" ON "tenant_template"."service_staff" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "services_category_idx" ON "tenant_template"."services" USING btree ("category_id");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_user_key" ON "tenant_template"."staff" USING btree ("user_id") WHERE "tenant_template"."staff"."user_id" is not null;--> statement-breakpoint
CREATE INDEX "staff_availability_staff_idx" ON "tenant_template"."staff_availability" USING btree ("staff_id","kind");