-- No double booking, enforced by Postgres however many requests race:
-- a staff member (and a resource) cannot hold two overlapping blocked periods
-- unless both rows are seats of the same group session (same session_key).
-- Cancelled bookings free their time. Needs btree_gist (shared migration 0001).
ALTER TABLE "tenant_template"."bookings" ADD CONSTRAINT "bookings_staff_no_overlap"
  EXCLUDE USING gist ("staff_id" WITH =, "period" WITH &&, "session_key" WITH <>)
  WHERE ("status" <> 'cancelled');
--> statement-breakpoint
ALTER TABLE "tenant_template"."bookings" ADD CONSTRAINT "bookings_resource_no_overlap"
  EXCLUDE USING gist ("resource_id" WITH =, "period" WITH &&, "session_key" WITH <>)
  WHERE ("status" <> 'cancelled' AND "resource_id" IS NOT NULL);
--> statement-breakpoint
-- booking_events is the audit trail: rows are added, never changed or removed.
CREATE FUNCTION "tenant_template"."refuse_event_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'booking_events is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "booking_events_append_only" BEFORE UPDATE OR DELETE ON "tenant_template"."booking_events"
  FOR EACH ROW EXECUTE FUNCTION "tenant_template"."refuse_event_change"();
