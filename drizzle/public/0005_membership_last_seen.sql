ALTER TABLE "tenant_memberships" ADD COLUMN "last_seen_at" timestamp with time zone;--> statement-breakpoint
-- Start from what the refresh tokens still remember (each sign-in or renewal issued one).
UPDATE "tenant_memberships" m SET "last_seen_at" = (
  SELECT max(rt."created_at") FROM "refresh_tokens" rt WHERE rt."user_id" = m."user_id" AND rt."audience" = m."tenant_id"::text
);
