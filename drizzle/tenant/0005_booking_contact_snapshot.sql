ALTER TABLE "tenant_template"."bookings" ALTER COLUMN "customer_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "tenant_template"."bookings" ADD COLUMN "contact_name" text;--> statement-breakpoint
ALTER TABLE "tenant_template"."bookings" ADD COLUMN "contact_email" text;--> statement-breakpoint
ALTER TABLE "tenant_template"."bookings" ADD COLUMN "contact_phone" text;--> statement-breakpoint
ALTER TABLE "tenant_template"."bookings" ADD COLUMN "contact_locale" text;--> statement-breakpoint
ALTER TABLE "tenant_template"."customers" ADD COLUMN "created_by" uuid;--> statement-breakpoint
-- Hand-written: bookings made before the snapshot existed keep showing (and mailing) what their customer record holds.
UPDATE "tenant_template"."bookings" b
   SET contact_name = c.name, contact_email = c.email, contact_phone = c.phone, contact_locale = c.locale
  FROM "tenant_template"."customers" c
 WHERE c.id = b.customer_id AND b.contact_name IS NULL;
