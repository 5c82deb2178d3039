CREATE TABLE "tenant_template"."alert_preferences" (
	"email" text PRIMARY KEY NOT NULL,
	"on_created" boolean DEFAULT true NOT NULL,
	"on_cancelled" boolean DEFAULT true NOT NULL,
	"on_rescheduled" boolean DEFAULT true NOT NULL,
	"daily_agenda" boolean DEFAULT true NOT NULL,
	"whatsapp_phone" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tenant_template"."settings" ADD COLUMN "agenda_time" time DEFAULT '07:30' NOT NULL;