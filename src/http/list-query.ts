/**
 * The one list helper (DRF-style): `?search=`, exact-match field filters,
 * `?ordering=-created_at,name`, and page pagination with `page`/`page_size`.
 * A route declares a `ListSpec`; `listQuerySchema(spec)` documents and
 * validates the query string, `toListQuery` turns it into drizzle clauses, and
 * `listPage` shapes `{count, next, previous, results}`. The total comes from
 * `count(*) over()` in the same statement, so a page costs one round trip.
 */
import { z } from "@hono/zod-openapi";
import { and, asc, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn, PgTable, SelectedFields } from "drizzle-orm/pg-core";
import type { Executor } from "../db/client";

export interface ListSpec {
  /** Columns searched (case-insensitive substring) by `?search=`. */
  search?: AnyPgColumn[];
  /** Query parameter → column and the zod type of its value. */
  filters?: Record<string, { column: AnyPgColumn; schema: z.ZodType }>;
  /** Ordering name (as clients write it) → column. */
  ordering: Record<string, AnyPgColumn>;
  /** e.g. `-created_at`; the id tiebreak keeps pages stable. */
  defaultOrdering: string;
  tiebreak: AnyPgColumn;
  maxPageSize?: number;
}

const DEFAULT_PAGE_SIZE = 25;

export function listQuerySchema(spec: ListSpec) {
  const names = Object.keys(spec.ordering);
  const orderingPattern = new RegExp(`^-?(${names.join("|")})(,-?(${names.join("|")}))*$`);
  const filterShape = Object.fromEntries(Object.entries(spec.filters ?? {}).map(([name, f]) => [name, f.schema.optional()]));
  return z.object({
    search: z.string().trim().max(100).optional(),
    ordering: z
      .string()
      .regex(orderingPattern, `ordering takes comma-separated fields from: ${names.join(", ")} (prefix - for descending)`)
      .optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    page_size: z.coerce
      .number()
      .int()
      .min(1)
      .max(spec.maxPageSize ?? 100)
      .default(DEFAULT_PAGE_SIZE),
    ...filterShape,
  });
}

export interface ListQuery {
  where: SQL | undefined;
  orderBy: SQL[];
  limit: number;
  offset: number;
  page: number;
  pageSize: number;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

export function toListQuery(spec: ListSpec, query: Record<string, unknown>, extra: (SQL | undefined)[] = []): ListQuery {
  const conditions: (SQL | undefined)[] = [...extra];
  const search = typeof query.search === "string" ? query.search : "";
  if (search && spec.search?.length) {
    conditions.push(or(...spec.search.map((column) => ilike(column, `%${escapeLike(search)}%`))));
  }
  for (const [name, filter] of Object.entries(spec.filters ?? {})) {
    if (query[name] !== undefined) conditions.push(eq(filter.column, query[name]));
  }
  const ordering = (typeof query.ordering === "string" && query.ordering) || spec.defaultOrdering;
  const orderBy = ordering.split(",").map((field) => {
    const descending = field.startsWith("-");
    const column = spec.ordering[descending ? field.slice(1) : field];
    return descending ? desc(column) : asc(column);
  });
  orderBy.push(asc(spec.tiebreak));
  const page = Number(query.page ?? 1);
  const pageSize = Number(query.page_size ?? DEFAULT_PAGE_SIZE);
  return { where: and(...conditions), orderBy, limit: pageSize, offset: (page - 1) * pageSize, page, pageSize };
}

/** Select this next to the row's columns; `listPage` reads and strips it. */
export const totalCount = () => sql<number>`count(*) over()`.mapWith(Number).as("total_count");

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** One page of a list answer; `present` shapes each row (typed, so handlers need no casts). */
export function listPage<Row extends { total_count?: number }, Out = Omit<Row, "total_count">>(
  rows: Row[],
  list: ListQuery,
  url: string,
  present: (row: Omit<Row, "total_count">) => Out = (row) => row as unknown as Out,
): Page<Out> {
  const count = rows[0]?.total_count ?? 0;
  const link = (page: number) => {
    const u = new URL(url);
    u.searchParams.set("page", String(page));
    u.searchParams.set("page_size", String(list.pageSize));
    return u.toString();
  };
  return {
    count,
    next: list.offset + rows.length < count ? link(list.page + 1) : null,
    previous: list.page > 1 ? link(list.page - 1) : null,
    results: rows.map(({ total_count: _, ...row }) => present(row)),
  };
}

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    count: z.number().int(),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    results: z.array(item),
  });
}

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
