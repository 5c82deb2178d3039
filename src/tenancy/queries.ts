/** Public-schema reads about tenants, as single statements. */
import type { Client } from "@neondatabase/serverless";
import type { TenantContext } from "../domain/tenant";

type Queryable = Pick<Client, "query">;

const TENANT_COLUMNS = `t.id, t.slug, t.schema_name AS "schemaName", t.name, t.status,
  t.time_zone AS "timeZone", t.locale, t.currency, t.country`;

/** One query joining domains and tenants. */
export async function findTenantByHost(db: Queryable, host: string): Promise<TenantContext | null> {
  const { rows } = await db.query(
    `SELECT ${TENANT_COLUMNS} FROM "public"."tenant_domains" d
       JOIN "public"."tenants" t ON t.id = d.tenant_id
      WHERE d.domain = $1`,
    [host],
  );
  return (rows[0] as TenantContext | undefined) ?? null;
}

export async function findTenantBySlug(db: Queryable, slug: string): Promise<TenantContext | null> {
  const { rows } = await db.query(`SELECT ${TENANT_COLUMNS} FROM "public"."tenants" t WHERE t.slug = $1`, [slug]);
  return (rows[0] as TenantContext | undefined) ?? null;
}
