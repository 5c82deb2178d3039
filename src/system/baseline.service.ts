/** The benchmark's bare baseline: the cheapest statement a path can run. */
import { sql } from "drizzle-orm";
import { type Queryable, rowsOf } from "../db/client";

export async function selectOne(db: Queryable): Promise<number> {
  const [row] = await rowsOf<{ one: number }>(db, sql`select 1 as one`);
  return Number(row.one);
}
