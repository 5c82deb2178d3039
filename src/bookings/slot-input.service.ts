/**
 * Everything the slot engine needs, loaded in ONE statement: settings, the
 * service, the active staff performing it with their weekly rules, overrides,
 * time off and bookings, the resources of the required type with their
 * bookings, and (for creation) a booking already holding the idempotency key.
 * Availability is read far more often than anything else, so it costs one
 * round trip after connecting; `computeSlots` then runs on the result.
 *
 * Works with a raw connected Neon `Client` so the benchmark can call it
 * outside HTTP.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "../db/client";
import { computeSlots, type BusyBlock, type ResourceInput, type Slot, type SlotQuery, type StaffInput } from "../availability";
import type { TenantContext } from "../domain/tenant";
import { quoteSchema } from "../tenancy/naming";
import { coveringWindow, iso } from "./time";

export interface LoadedSettings {
  slotIntervalMin: number;
  minNoticeMin: number;
  bookingWindowDays: number;
  cancellationCutoffMin: number;
  rescheduleCutoffMin: number;
  /** Online bookings start pending (absent in rows loaded before the column existed: false). */
  needsApproval?: boolean;
}

export interface LoadedService {
  id: string;
  name: string;
  durationMin: number;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  capacity: number;
  requiredResourceType: string | null;
  priceMinor: number;
  currency: string;
  isActive: boolean;
}

export interface LoadedStaff extends StaffInput {
  name: string;
  userId: string | null;
}

export interface LoadedResource extends ResourceInput {
  name: string;
}

export interface AvailabilityInput {
  settings: LoadedSettings;
  /** null when the id is unknown (inactive services are returned with isActive false). */
  service: LoadedService | null;
  /** Active staff performing the service (only `staffId` when one was asked for). */
  staff: LoadedStaff[];
  resources: LoadedResource[];
  /** The booking already created with the idempotency key, if any. */
  idempotent: { id: string; fingerprint: string | null } | null;
}

export interface LoadOptions {
  serviceId: string;
  staffId?: string | null;
  /** Inclusive local dates in the tenant zone. */
  from: string;
  to: string;
  idempotencyKey?: string | null;
  /** A booking to leave out of the busy blocks (the one being rescheduled). */
  excludeBookingId?: string | null;
}

function loadSql(schemaName: string): string {
  const s = quoteSchema(schemaName);
  // Busy blocks are epoch ms; `slotStart` lets the engine recognise seats of a group session.
  const busyOf = (column: "staff_id" | "resource_id", owner: string) => `
      (SELECT coalesce(json_agg(json_build_object(
          'start', (extract(epoch FROM b.blocked_from) * 1000)::bigint,
          'end', (extract(epoch FROM b.blocked_until) * 1000)::bigint,
          'serviceId', b.service_id,
          'seats', b.seats,
          'slotStart', (extract(epoch FROM b.starts_at) * 1000)::bigint)), '[]'::json)
         FROM ${s}.bookings b
        WHERE b.${column} = ${owner} AND b.status <> 'cancelled'
          AND b.period && tstzrange($3::timestamptz, $4::timestamptz, '[)')
          AND ($8::uuid IS NULL OR b.id <> $8::uuid))`;
  return `
WITH svc AS (
  SELECT id, name, duration_min, buffer_before_min, buffer_after_min, capacity,
         required_resource_type, price_minor, currency, is_active
    FROM ${s}.services WHERE id = $1::uuid
), st AS (
  SELECT f.id, f.display_name, f.user_id, f.time_zone
    FROM ${s}.service_staff ss JOIN ${s}.staff f ON f.id = ss.staff_id
   WHERE ss.service_id = $1::uuid AND f.is_active AND ($2::uuid IS NULL OR f.id = $2::uuid)
)
SELECT
  (SELECT json_build_object(
      'slotIntervalMin', slot_interval_min, 'minNoticeMin', min_notice_min,
      'bookingWindowDays', booking_window_days, 'cancellationCutoffMin', cancellation_cutoff_min,
      'rescheduleCutoffMin', reschedule_cutoff_min, 'needsApproval', online_bookings_need_approval)
     FROM ${s}.settings WHERE id = 1) AS settings,
  (SELECT json_build_object(
      'id', id, 'name', name, 'durationMin', duration_min, 'bufferBeforeMin', buffer_before_min,
      'bufferAfterMin', buffer_after_min, 'capacity', capacity, 'requiredResourceType', required_resource_type,
      'priceMinor', price_minor, 'currency', currency, 'isActive', is_active)
     FROM svc) AS service,
  (SELECT coalesce(json_agg(json_build_object(
      'staffId', st.id, 'name', st.display_name, 'userId', st.user_id, 'timeZone', st.time_zone,
      'weekly', (SELECT coalesce(json_agg(json_build_object(
                    'weekday', a.weekday,
                    'start', to_char(a.start_time, 'HH24:MI'),
                    'end', CASE WHEN a.end_time = '00:00' THEN '24:00' ELSE to_char(a.end_time, 'HH24:MI') END)), '[]'::json)
                   FROM ${s}.staff_availability a WHERE a.staff_id = st.id AND a.kind = 'weekly'),
      'overrides', (SELECT coalesce(json_agg(json_build_object('date', o.date, 'ranges', o.ranges)), '[]'::json)
                      FROM (SELECT a.date::text AS date,
                                   coalesce(json_agg(json_build_object(
                                     'start', to_char(a.start_time, 'HH24:MI'),
                                     'end', CASE WHEN a.end_time = '00:00' THEN '24:00' ELSE to_char(a.end_time, 'HH24:MI') END))
                                     FILTER (WHERE a.start_time IS NOT NULL), '[]'::json) AS ranges
                              FROM ${s}.staff_availability a
                             WHERE a.staff_id = st.id AND a.kind = 'override' AND a.date BETWEEN $5::date AND $6::date
                             GROUP BY a.date) o),
      'timeOff', (SELECT coalesce(json_agg(json_build_object(
                     'start', (extract(epoch FROM a.starts_at) * 1000)::bigint,
                     'end', (extract(epoch FROM a.ends_at) * 1000)::bigint)), '[]'::json)
                    FROM ${s}.staff_availability a
                   WHERE a.staff_id = st.id AND a.kind = 'time_off' AND a.starts_at < $4::timestamptz AND a.ends_at > $3::timestamptz),
      'bookings', ${busyOf("staff_id", "st.id")}
    ) ORDER BY st.id), '[]'::json) FROM st) AS staff,
  (SELECT coalesce(json_agg(json_build_object('resourceId', r.id, 'name', r.name, 'busy', ${busyOf("resource_id", "r.id")}) ORDER BY r.id), '[]'::json)
     FROM ${s}.resources r JOIN svc ON r.type = svc.required_resource_type
    WHERE r.is_active) AS resources,
  (SELECT json_build_object('id', id, 'fingerprint', idempotency_fingerprint)
     FROM ${s}.bookings WHERE $7::text IS NOT NULL AND idempotency_key = $7::text) AS idempotent`;
}

const sqlCache = new Map<string, string>();

/**
 * Interim (owned by H2, who rewrites this load over `tenantTables`): our own
 * constant statement text with its `$n` placeholders turned into drizzle bind
 * parameters, so it runs on any `Queryable` (the request's HTTP handle).
 */
function withParams(text: string, params: readonly unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  return sql.join(parts.map((part, i) => (i % 2 === 1 ? sql`${params[Number(part) - 1]}` : sql.raw(part))));
}

interface RawStaff {
  staffId: string;
  name: string;
  userId: string | null;
  timeZone: string | null;
  weekly: StaffInput["weekly"];
  overrides: StaffInput["overrides"];
  timeOff: BusyBlock[];
  bookings: BusyBlock[];
}

const DEFAULT_SETTINGS: LoadedSettings = {
  slotIntervalMin: 15,
  minNoticeMin: 60,
  bookingWindowDays: 60,
  cancellationCutoffMin: 120,
  rescheduleCutoffMin: 120,
};

/** One round trip: every input of the slot engine for one service over local dates from..to. */
export async function loadAvailabilityInput(db: Queryable, tenant: TenantContext, opts: LoadOptions): Promise<AvailabilityInput> {
  let text = sqlCache.get(tenant.schemaName);
  if (!text) {
    text = loadSql(tenant.schemaName);
    sqlCache.set(tenant.schemaName, text);
  }
  const window = coveringWindow(opts.from, opts.to);
  // Overrides are local dates of the staff zone, which can differ from the tenant's by a day.
  const fromDate = iso(window.fromMs).slice(0, 10);
  const toDate = iso(window.toMs).slice(0, 10);
  const rows = await rowsOf(
    db,
    withParams(text, [
      opts.serviceId,
      opts.staffId ?? null,
      iso(window.fromMs),
      iso(window.toMs),
      fromDate,
      toDate,
      opts.idempotencyKey ?? null,
      opts.excludeBookingId ?? null,
    ]),
  );
  const row = rows[0] as {
    settings: LoadedSettings | null;
    service: LoadedService | null;
    staff: RawStaff[];
    resources: LoadedResource[];
    idempotent: AvailabilityInput["idempotent"];
  };
  return {
    settings: row.settings ?? DEFAULT_SETTINGS,
    service: row.service,
    staff: row.staff.map((f) => ({
      staffId: f.staffId,
      name: f.name,
      userId: f.userId,
      ...(f.timeZone ? { timeZone: f.timeZone } : {}),
      weekly: f.weekly,
      overrides: f.overrides,
      busy: [...f.timeOff, ...f.bookings],
    })),
    resources: row.resources,
    idempotent: row.idempotent,
  };
}

export interface SlotRequest {
  from: string;
  to: string;
  now: number;
  /** Staff-side bookings may ignore the minimum notice. */
  ignoreMinNotice?: boolean;
  anyStaff: boolean;
}

/** The engine's query for a loaded service. */
export function slotQuery(tenant: TenantContext, input: AvailabilityInput, req: SlotRequest): SlotQuery {
  const service = input.service!;
  return {
    serviceId: service.id,
    from: req.from,
    to: req.to,
    timeZone: tenant.timeZone,
    durationMin: service.durationMin,
    bufferBeforeMin: service.bufferBeforeMin,
    bufferAfterMin: service.bufferAfterMin,
    slotIntervalMin: input.settings.slotIntervalMin,
    minNoticeMin: req.ignoreMinNotice ? 0 : input.settings.minNoticeMin,
    bookingWindowDays: input.settings.bookingWindowDays,
    now: req.now,
    capacity: service.capacity,
    requiresResource: service.requiredResourceType !== null,
  };
}

/** Slots of a loaded service; "any staff" gives each start once (the engine's least-booked rule). */
export function slotsFor(tenant: TenantContext, input: AvailabilityInput, req: SlotRequest): Slot[] {
  return computeSlots(slotQuery(tenant, input, req), input.staff, input.resources, { anyStaff: req.anyStaff });
}
