/**
 * Merging customers: the staff-side answer to anonymous bookings that could
 * not be linked safely (see src/bookings/create-booking.ts). Moves every
 * booking of the source customer, and/or the listed bookings (e.g. unlinked
 * ones), to the surviving customer, appends a `customer_merged` event per
 * moved booking, and deletes the source record, in ONE statement (all or
 * nothing). The survivor's own fields are not changed; the bookings keep
 * their contact snapshots.
 */
import type { Client } from "@neondatabase/serverless";
import { pgErrorCode } from "../db/errors";
import { ApiError } from "../http/problem";
import { quoteSchema } from "../tenancy/naming";

export interface MergeInput {
  targetId: string;
  sourceId: string | null;
  bookingIds: string[];
  actorUserId: string;
}

export interface MergeResult {
  movedBookingIds: string[];
  mergedCustomerId: string | null;
}

const invalid = (field: string, message: string) => new ApiError("validation_failed", message, { errors: [{ field, message }] });

export async function mergeCustomers(client: Client, schemaName: string, input: MergeInput): Promise<MergeResult> {
  if (input.sourceId === input.targetId) throw invalid("source_id", "A customer cannot be merged into itself.");
  if (!input.sourceId && input.bookingIds.length === 0) throw invalid("source_id", "Give source_id, booking_ids or both.");
  const bookingIds = [...new Set(input.bookingIds.map((id) => id.toLowerCase()))];
  const s = quoteSchema(schemaName);
  let row: { target: boolean; source: boolean; listed: number; moved: string[]; deleted: string | null };
  try {
    const { rows } = await client.query(
      `WITH target AS (SELECT id FROM ${s}.customers WHERE id = $1::uuid FOR UPDATE),
       src AS (SELECT id FROM ${s}.customers WHERE id = $2::uuid FOR UPDATE),
       listed AS (SELECT count(*)::int AS n FROM ${s}.bookings WHERE id = ANY($3::uuid[])),
       ok AS (
         SELECT EXISTS (SELECT 1 FROM target) AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM src))
                AND (SELECT n FROM listed) = cardinality($3::uuid[]) AS ok
       ), moving AS (
         SELECT b.id, b.customer_id FROM ${s}.bookings b
          WHERE (SELECT ok FROM ok) AND b.customer_id IS DISTINCT FROM $1::uuid
            AND (b.customer_id = $2::uuid OR b.id = ANY($3::uuid[]))
          FOR UPDATE
       ), upd AS (
         UPDATE ${s}.bookings b SET customer_id = $1::uuid, updated_at = now() FROM moving m WHERE b.id = m.id RETURNING b.id
       ), ev AS (
         INSERT INTO ${s}.booking_events (booking_id, actor_type, actor_id, action, before, after)
         SELECT m.id, 'user', $4::text, 'customer_merged',
                jsonb_build_object('customer_id', m.customer_id),
                jsonb_build_object('customer_id', $1::uuid)
           FROM moving m
       ), del AS (
         -- The foreign key is checked at the end of the statement, after the bookings moved.
         DELETE FROM ${s}.customers c WHERE c.id = $2::uuid AND (SELECT ok FROM ok) RETURNING c.id
       )
       SELECT EXISTS (SELECT 1 FROM target) AS target, EXISTS (SELECT 1 FROM src) AS source, (SELECT n FROM listed) AS listed,
              (SELECT coalesce(array_agg(id::text ORDER BY id), '{}') FROM upd) AS moved, (SELECT id::text FROM del) AS deleted`,
      [input.targetId, input.sourceId, bookingIds, input.actorUserId],
    );
    row = rows[0] as typeof row;
  } catch (error) {
    // A booking linked to the source after this statement's snapshot still points at it.
    if (pgErrorCode(error) === "23503") throw new ApiError("conflict", "The source customer got a new booking meanwhile; try again.");
    // Two merges of the same pair in opposite directions: Postgres aborted one of them, nothing was written.
    if (pgErrorCode(error) === "40P01") throw new ApiError("conflict", "Another merge of these customers ran at the same time; try again.");
    throw error;
  }
  if (!row.target) throw new ApiError("not_found", "No customer with this id here.");
  if (input.sourceId && !row.source) throw new ApiError("not_found", "No customer with this source_id here.");
  if (row.listed !== bookingIds.length) throw new ApiError("not_found", "Some booking_ids are not bookings of this business.");
  return { movedBookingIds: row.moved, mergedCustomerId: row.deleted };
}
