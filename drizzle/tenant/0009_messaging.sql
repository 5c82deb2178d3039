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
CREATE TABLE "tenant_template"."inbound_messages" (
	"provider_message_id" text PRIMARY KEY NOT NULL,
	"from_phone" text NOT NULL,
	"body" text NOT NULL,
	"booking_id" uuid,
	"action" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenant_template"."message_opt_outs" (
	"phone" text PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenant_template"."short_links" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"booking_id" uuid NOT NULL,
	"manage_token_version" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tenant_template"."notifications" DROP CONSTRAINT "notifications_channel_valid";--> statement-breakpoint
ALTER TABLE "tenant_template"."settings" ADD COLUMN "phone_channel" text DEFAULT 'whatsapp' NOT NULL;--> statement-breakpoint
ALTER TABLE "tenant_template"."settings" ADD COLUMN "business_phone" text;--> statement-breakpoint
ALTER TABLE "tenant_template"."settings" ADD COLUMN "agenda_time" time DEFAULT '07:30' NOT NULL;--> statement-breakpoint
ALTER TABLE "tenant_template"."settings" ADD COLUMN "embed_origins" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "tenant_template"."inbound_messages" ADD CONSTRAINT "inbound_messages_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "tenant_template"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_template"."short_links" ADD CONSTRAINT "short_links_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "tenant_template"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "short_links_booking_idx" ON "tenant_template"."short_links" USING btree ("booking_id");--> statement-breakpoint
ALTER TABLE "tenant_template"."notifications" ADD CONSTRAINT "notifications_channel_valid" CHECK ("tenant_template"."notifications"."channel" in ('email', 'whatsapp', 'sms', 'webhook'));--> statement-breakpoint
ALTER TABLE "tenant_template"."settings" ADD CONSTRAINT "settings_phone_channel_valid" CHECK ("tenant_template"."settings"."phone_channel" in ('whatsapp', 'sms'));