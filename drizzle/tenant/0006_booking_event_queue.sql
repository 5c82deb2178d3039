CREATE TABLE "tenant_template"."booking_event_queue" (
	"event_id" bigint PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tenant_template"."booking_event_queue" ADD CONSTRAINT "booking_event_queue_event_id_booking_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "tenant_template"."booking_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Hand-written: each booking event is queued for the notify job by the transaction that writes it.
CREATE FUNCTION "tenant_template"."queue_booking_event"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "tenant_template"."booking_event_queue" (event_id) VALUES (NEW.id);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "booking_events_queue" AFTER INSERT ON "tenant_template"."booking_events"
  FOR EACH ROW EXECUTE FUNCTION "tenant_template"."queue_booking_event"();
--> statement-breakpoint
-- Events of the last minutes before this migration, which the old time cursor may not have read yet
-- (the outbox dedupe keys make a second derivation harmless).
INSERT INTO "tenant_template"."booking_event_queue" (event_id)
  SELECT id FROM "tenant_template"."booking_events" WHERE created_at > now() - interval '10 minutes';
