ALTER TABLE "tenants" ADD COLUMN "country" text DEFAULT 'MA' NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_country_valid" CHECK ("tenants"."country" ~ '^[A-Z]{2}$');