ALTER TABLE "tenants" ADD COLUMN "whatsapp_phone_number_id" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "whatsapp_display_number" text;--> statement-breakpoint
CREATE UNIQUE INDEX "tenants_whatsapp_phone_number_id_key" ON "tenants" USING btree ("whatsapp_phone_number_id");--> statement-breakpoint
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_whatsapp_phone_number_id_valid" CHECK ("tenants"."whatsapp_phone_number_id" ~ '^[0-9]{5,32}$');--> statement-breakpoint
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_whatsapp_display_number_valid" CHECK ("tenants"."whatsapp_display_number" ~ '^\+[1-9][0-9]{6,14}$');