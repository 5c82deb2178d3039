ALTER TABLE "tenant_template"."bookings" ALTER COLUMN "customer_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "tenant_template"."bookings" ADD COLUMN "contact_name" text;--> statement-breakpoint
ALTER TABLE "tenant_template"."bookings" ADD COLUMN "contact_email" text;--> statement-breakpoint
ALTER TABLE "tenant_template"."bookings" ADD COLUMN "contact_phone" text;--> statement-breakpoint
ALTER TABLE "tenant_template"."bookings" ADD COLUMN "contact_locale" text;--> statement-breakpoint
ALTER TABLE "tenant_template"."customers" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "tenant_template"."settings" ADD COLUMN "max_active_bookings_per_contact" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
CREATE INDEX "bookings_contact_email_idx" ON "tenant_template"."bookings" USING btree ("contact_email","starts_at") WHERE "tenant_template"."bookings"."status" in ('pending', 'confirmed');--> statement-breakpoint
CREATE INDEX "bookings_contact_phone_idx" ON "tenant_template"."bookings" USING btree ("contact_phone","starts_at") WHERE "tenant_template"."bookings"."status" in ('pending', 'confirmed');--> statement-breakpoint
ALTER TABLE "tenant_template"."settings" ADD CONSTRAINT "settings_contact_cap_range" CHECK ("tenant_template"."settings"."max_active_bookings_per_contact" between 1 and 100);--> statement-breakpoint
-- Hand-written: bookings made before the snapshot existed keep showing (and mailing) what their customer
-- record holds, and their upcoming ones count towards the per-contact cap.
UPDATE "tenant_template"."bookings" b
   SET contact_name = c.name, contact_email = c.email, contact_phone = c.phone, contact_locale = c.locale
  FROM "tenant_template"."customers" c
 WHERE c.id = b.customer_id AND b.contact_name IS NULL;
