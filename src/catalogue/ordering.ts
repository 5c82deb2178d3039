/**
 * "Move up / move down" for rows ordered by (position, name, id): categories
 * among themselves, services inside their category. One statement swaps the
 * row with its neighbour and renumbers its group 0..n-1, so positions that
 * were equal (every row created before ordering existed has 0) or sparse still
 * give a real move, and two rows never end up sharing a place.
 */
import { type Column, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { columnName } from "../db/sql";

export type Direction = "up" | "down";

interface Ordered {
  table: PgTable;
  id: Column;
  position: Column;
  name: Column;
  /** Rows are only ordered against others with the same value (null included); none = one list. */
  group?: Column;
}

/**
 * The UPDATE moving `id` one place; changes nothing when the row is already
 * first (up) or last (down), or does not exist (the caller reads it back).
 */
export function moveStatement(o: Ordered, id: string, direction: Direction): SQL {
  const step = direction === "up" ? -1 : 1;
  const groupOfTarget = o.group ? sql`(SELECT ${o.group} FROM ${o.table} WHERE ${o.id} = ${id}::uuid)` : undefined;
  const sameGroup = o.group ? sql`WHERE ${o.group} IS NOT DISTINCT FROM ${groupOfTarget}` : sql``;
  const idName = columnName(o.id);
  const positionName = columnName(o.position);
  return sql`WITH ordered AS (
      SELECT ${o.id} AS row_id, row_number() OVER (ORDER BY ${o.position}, ${o.name}, ${o.id}) - 1 AS rn
      FROM ${o.table} ${sameGroup}
    ),
    target AS (SELECT rn FROM ordered WHERE row_id = ${id}::uuid),
    renumbered AS (
      SELECT ordered.row_id,
             CASE WHEN ordered.row_id = ${id}::uuid THEN target.rn + ${step}::int
                  WHEN ordered.rn = target.rn + ${step}::int THEN target.rn
                  ELSE ordered.rn END AS new_position
      FROM ordered, target
      WHERE EXISTS (SELECT 1 FROM ordered neighbour WHERE neighbour.rn = target.rn + ${step}::int)
    )
    UPDATE ${o.table} SET ${positionName} = renumbered.new_position
    FROM renumbered
    WHERE ${o.table}.${idName} = renumbered.row_id AND ${o.table}.${positionName} IS DISTINCT FROM renumbered.new_position`;
}

/** The position a new row takes without one: after the last of its group. */
export function nextPosition(o: Omit<Ordered, "name" | "id">, groupValue?: string | null): SQL<number> {
  const where = o.group ? sql`WHERE ${o.group} IS NOT DISTINCT FROM ${groupValue ?? null}::uuid` : sql``;
  return sql<number>`(SELECT coalesce(max(${o.position}) + 1, 0) FROM ${o.table} ${where})`;
}
