CREATE TABLE "tenant_template"."closures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "closures_range" CHECK ("tenant_template"."closures"."ends_on" >= "tenant_template"."closures"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "tenant_template"."seasonal_hours" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"weekly" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "seasonal_hours_range" CHECK ("tenant_template"."seasonal_hours"."ends_on" >= "tenant_template"."seasonal_hours"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "tenant_template"."seasonal_hours_staff" (
	"season_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	CONSTRAINT "seasonal_hours_staff_season_id_staff_id_pk" PRIMARY KEY("season_id","staff_id")
);
--> statement-breakpoint
ALTER TABLE "tenant_template"."seasonal_hours_staff" ADD CONSTRAINT "seasonal_hours_staff_season_id_seasonal_hours_id_fk" FOREIGN KEY ("season_id") REFERENCES "tenant_template"."seasonal_hours"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_template"."seasonal_hours_staff" ADD CONSTRAINT "seasonal_hours_staff_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "tenant_template"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "closures_ends_idx" ON "tenant_template"."closures" USING btree ("ends_on");--> statement-breakpoint
CREATE INDEX "seasonal_hours_ends_idx" ON "tenant_template"."seasonal_hours" USING btree ("ends_on");--> statement-breakpoint
CREATE INDEX "seasonal_hours_staff_staff_idx" ON "tenant_template"."seasonal_hours_staff" USING btree ("staff_id");