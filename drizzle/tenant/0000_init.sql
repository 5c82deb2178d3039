CREATE SCHEMA "tenant_template";
--> statement-breakpoint
CREATE TABLE "tenant_template"."settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"slot_interval_min" integer DEFAULT 15 NOT NULL,
	"min_notice_min" integer DEFAULT 60 NOT NULL,
	"booking_window_days" integer DEFAULT 60 NOT NULL,
	"cancellation_cutoff_min" integer DEFAULT 120 NOT NULL,
	"reschedule_cutoff_min" integer DEFAULT 120 NOT NULL,
	"reminder_offsets_min" integer[] DEFAULT '{1440,120}'::integer[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settings_singleton" CHECK ("tenant_template"."settings"."id" = 1),
	CONSTRAINT "settings_slot_interval_positive" CHECK ("tenant_template"."settings"."slot_interval_min" between 5 and 240),
	CONSTRAINT "settings_min_notice_nonneg" CHECK ("tenant_template"."settings"."min_notice_min" >= 0),
	CONSTRAINT "settings_window_positive" CHECK ("tenant_template"."settings"."booking_window_days" between 1 and 730)
);
