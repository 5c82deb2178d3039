ALTER TABLE "tenant_template"."bookings" ADD COLUMN "contact_email_key" text;--> statement-breakpoint
ALTER TABLE "tenant_template"."bookings" ADD COLUMN "contact_phone_key" text;--> statement-breakpoint
ALTER TABLE "tenant_template"."settings" ADD COLUMN "max_active_bookings_per_contact" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
CREATE INDEX "bookings_contact_email_key_idx" ON "tenant_template"."bookings" USING btree ("contact_email_key","starts_at") WHERE "tenant_template"."bookings"."status" in ('pending', 'confirmed');--> statement-breakpoint
CREATE INDEX "bookings_contact_phone_key_idx" ON "tenant_template"."bookings" USING btree ("contact_phone_key","starts_at") WHERE "tenant_template"."bookings"."status" in ('pending', 'confirmed');--> statement-breakpoint
ALTER TABLE "tenant_template"."settings" ADD CONSTRAINT "settings_contact_cap_range" CHECK ("tenant_template"."settings"."max_active_bookings_per_contact" between 1 and 100);--> statement-breakpoint
-- Hand-written: bookings made before this migration count towards the cap through their customer's contact.
UPDATE "tenant_template"."bookings" b SET "contact_email_key" = c."email", "contact_phone_key" = c."phone" FROM "tenant_template"."customers" c WHERE c."id" = b."customer_id" AND b."starts_at" > now() AND b."status" IN ('pending', 'confirmed');
