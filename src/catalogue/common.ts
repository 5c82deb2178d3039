/** Shapes only the catalogue's routes and handlers share. */
import { z } from "@hono/zod-openapi";
import type { PgTable, SelectedFields } from "drizzle-orm/pg-core";
import type { Executor } from "../db/client";
import { iso } from "../http/json";
import { type ListQuery, totalCount } from "../http/list-query";

/** Resource types are short slugs so a service's `required_resource_type` matches a resource's `type` exactly. */
export const resourceTypeField = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "Use lower-case letters, digits, - or _ (at most 40), e.g. room.")
  .openapi({ example: "room" });

/** A catalogue row with its two timestamps as ISO 8601 UTC, as every catalogue response shows them. */
export const presentTimes = <R extends { created_at: Date; updated_at: Date }>(row: R) => ({
  ...row,
  created_at: iso(row.created_at)!,
  updated_at: iso(row.updated_at)!,
});

/** One page of `table` as `toListQuery` asked for, each row with the `total_count` that `listPage` reads. */
export function pageRows<F extends SelectedFields>(db: Executor, table: PgTable, columns: F, list: ListQuery) {
  return db
    .select({ ...columns, total_count: totalCount() })
    .from(table)
    .where(list.where)
    .orderBy(...list.orderBy)
    .limit(list.limit)
    .offset(list.offset);
}
