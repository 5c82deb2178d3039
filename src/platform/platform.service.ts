/**
 * The superuser's reads and writes over tenants, on the request's HTTP handle.
 * Tenant creation goes through `provisionTenant` (the CLI's code, all or
 * nothing, on a WebSocket connection: DDL in an interactive transaction).
 * Anything that changes which tenant a host maps to, or a tenant's status,
 * deletes the affected KV entries (the `cache` handed in) before returning, so
 * the next request on those hosts sees it. Domain edits are one
 * non-interactive transaction (one round trip) whose first statement locks the
 * tenant row, so set-primary and remove cannot interleave into a tenant with
 * no primary domain; the statements after the lock read fresh rows (READ
 * COMMITTED takes a new snapshot per statement).
 */
import type { Client } from "@neondatabase/serverless";
import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { CreatedInvitation } from "../auth/invitations";
import type { SigningKeys } from "../auth/tokens";
import { type Queryable, queryableOf, rowsOf } from "../db/client";
import { uniqueViolation } from "../db/errors";
import { tenantMigrations } from "../db/migrations/bundle.generated";
import {
  tenantDomains,
  tenantLifecycle,
  tenantMemberships,
  tenantMigrationState,
  tenants,
  type MembershipRole,
  type TenantStatus,
} from "../db/schema/public";
import { columnList, columnName, isHttp } from "../db/sql";
import { Conflict, InvalidInput, NotFound } from "../domain/errors";
import { iso } from "../http/json";
import { totalCount, type ListQuery } from "../http/list-query";
import { invalidateHosts } from "../tenancy/host-cache";
import { InvalidTenantName, normaliseHost, schemaNameForSlug, validateDomain } from "../tenancy/naming";
import { provisionTenant, type NewTenant } from "../tenancy/provision";
import { createAndSend } from "../team/invitations.service";

/** Where host → tenant entries are cached (the TENANT_CACHE binding). */
type HostCache = KVNamespace;

const noTenant = () => new NotFound("No such tenant.");
const noDomain = () => new NotFound("No such domain for this tenant.");

interface DomainRow {
  id: string;
  domain: string;
  isPrimary: boolean;
  createdAt: string;
}

const presentDomain = (d: DomainRow) => ({ id: d.id, domain: d.domain, is_primary: d.isPrimary, created_at: iso(d.createdAt)! });

export function presentSummary(row: Record<string, unknown>) {
  return {
    id: row.id as string,
    slug: row.slug as string,
    name: row.name as string,
    status: row.status as TenantStatus,
    contact_email: row.contactEmail as string,
    time_zone: row.timeZone as string,
    locale: row.locale as string,
    currency: row.currency as string,
    country: row.country as string,
    primary_domain: (row.primaryDomain ?? null) as string | null,
    created_at: iso(row.createdAt as Date | string)!,
    updated_at: iso(row.updatedAt as Date | string)!,
  };
}

function presentMigration(row: Record<string, unknown>) {
  const version = Number(row.version ?? 0);
  return {
    version,
    latest_version: tenantMigrations.length,
    behind: version < tenantMigrations.length,
    last_tag: (row.lastTag ?? null) as string | null,
    last_error: (row.lastError ?? null) as string | null,
    failed_attempts: Number(row.failedAttempts ?? 0),
    updated_at: iso(row.stateUpdatedAt as Date | string | null),
  };
}

/**
 * Runs the statements as one transaction, in order, and returns each one's
 * rows: on HTTP one `batch` (one round trip, all or nothing); on a WebSocket
 * handle (the benchmark's baseline path) an interactive transaction.
 */
async function inOneTransaction(db: Queryable, statements: [SQL, ...SQL[]]): Promise<Record<string, unknown>[][]> {
  if (isHttp(db)) {
    const [first, ...rest] = statements.map((s) => db.execute(s));
    const results = (await db.batch([first!, ...rest])) as unknown as { rows: Record<string, unknown>[] }[];
    return results.map((r) => r.rows);
  }
  return db.transaction(async (tx) => {
    const all: Record<string, unknown>[][] = [];
    for (const statement of statements) all.push(await rowsOf<Record<string, unknown>>(tx, statement));
    return all;
  });
}

/** One statement: the tenant, its domains, migration state and member count. */
export async function loadTenant(db: Queryable, id: string) {
  const t = alias(tenants, "t");
  const d = alias(tenantDomains, "d");
  const s = alias(tenantMigrationState, "s");
  const m = alias(tenantMemberships, "m");
  const rows = await rowsOf<Record<string, unknown>>(
    db,
    sql`SELECT ${t.id} AS id, ${t.slug} AS slug, ${t.name} AS name, ${t.status} AS status, ${t.contactEmail} AS "contactEmail",
            ${t.timeZone} AS "timeZone", ${t.locale} AS locale, ${t.currency} AS currency, ${t.country} AS country,
            ${t.createdAt} AS "createdAt", ${t.updatedAt} AS "updatedAt",
            ${t.whatsappPhoneNumberId} AS "whatsappPhoneNumberId", ${t.whatsappDisplayNumber} AS "whatsappDisplayNumber",
            (SELECT ${d.domain} FROM ${tenantDomains} d WHERE ${d.tenantId} = ${t.id} AND ${d.isPrimary}) AS "primaryDomain",
            coalesce((SELECT json_agg(json_build_object('id', ${d.id}, 'domain', ${d.domain}, 'isPrimary', ${d.isPrimary}, 'createdAt', ${d.createdAt})
                                      ORDER BY ${d.isPrimary} DESC, ${d.domain})
                        FROM ${tenantDomains} d WHERE ${d.tenantId} = ${t.id}), '[]'::json) AS domains,
            ${s.version} AS version, ${s.lastTag} AS "lastTag", ${s.lastError} AS "lastError", ${s.failedAttempts} AS "failedAttempts",
            ${s.updatedAt} AS "stateUpdatedAt",
            (SELECT count(*) FROM ${tenantMemberships} m WHERE ${m.tenantId} = ${t.id})::int AS "memberCount"
       FROM ${tenants} t LEFT JOIN ${tenantMigrationState} s ON ${s.tenantId} = ${t.id}
      WHERE ${t.id} = ${id}::uuid`,
  );
  const row = rows[0];
  if (!row) throw noTenant();
  return {
    ...presentSummary(row),
    whatsapp: {
      phone_number_id: (row.whatsappPhoneNumberId ?? null) as string | null,
      display_number: (row.whatsappDisplayNumber ?? null) as string | null,
    },
    domains: (row.domains as DomainRow[]).map(presentDomain),
    migration: presentMigration(row),
    member_count: row.memberCount as number,
  };
}

/** A page of tenants (summary columns) for the list query; the primary domain joined (at most one per tenant). */
export function listTenants(db: Queryable, list: ListQuery) {
  return db
    .select({
      id: tenants.id,
      slug: tenants.slug,
      name: tenants.name,
      status: tenants.status,
      contactEmail: tenants.contactEmail,
      timeZone: tenants.timeZone,
      locale: tenants.locale,
      currency: tenants.currency,
      country: tenants.country,
      createdAt: tenants.createdAt,
      updatedAt: tenants.updatedAt,
      primaryDomain: tenantDomains.domain,
      total_count: totalCount(),
    })
    .from(tenants)
    .leftJoin(tenantDomains, and(eq(tenantDomains.tenantId, tenants.id), eq(tenantDomains.isPrimary, true)))
    .where(list.where)
    .orderBy(...list.orderBy)
    .limit(list.limit)
    .offset(list.offset);
}

function domainsOfStatement(db: Queryable, tenantId: string) {
  return db
    .select({ id: tenantDomains.id, domain: tenantDomains.domain, isPrimary: tenantDomains.isPrimary, createdAt: tenantDomains.createdAt })
    .from(tenantDomains)
    .where(eq(tenantDomains.tenantId, tenantId))
    .orderBy(desc(tenantDomains.isPrimary), tenantDomains.domain);
}

async function domainsOf(db: Queryable, tenantId: string) {
  return (await domainsOfStatement(db, tenantId)).map((d) => presentDomain({ ...d, createdAt: d.createdAt.toISOString() }));
}

/**
 * Every tenant for the CLI's `tenant list`: slug, status, schema, its domains
 * (`*` marks the primary) and migration state, one statement.
 */
export async function listTenantsForCli(handle: Queryable | Client) {
  const t = tenants;
  const d = tenantDomains;
  const s = tenantMigrationState;
  return queryableOf(handle)
    .select({
      slug: t.slug,
      status: t.status,
      schemaName: t.schemaName,
      domains: sql<string>`coalesce(string_agg(${d.domain} || CASE WHEN ${d.isPrimary} THEN '*' ELSE '' END, ' ' ORDER BY ${d.domain}), '')`,
      version: sql<number>`coalesce(${s.version}, 0)`.mapWith(Number),
      lastError: s.lastError,
    })
    .from(t)
    .leftJoin(d, eq(d.tenantId, t.id))
    .leftJoin(s, eq(s.tenantId, t.id))
    .groupBy(t.id, s.version, s.lastError)
    .orderBy(t.slug);
}

/** A tenant's domains, primary first; NotFound for an unknown tenant (every tenant has a primary domain). */
export async function listDomains(db: Queryable, tenantId: string) {
  const results = await domainsOf(db, tenantId);
  if (!results.length) throw noTenant();
  return results;
}

/** The first statement of every domain edit: the tenant row, locked (no row: no such tenant). */
const lockTenant = (tenantId: string) =>
  sql`SELECT ${tenants.id} AS id FROM ${tenants} WHERE ${tenants.id} = ${tenantId}::uuid FOR NO KEY UPDATE`;

/** `INSERT … SELECT` of one lifecycle row per row of `source` (a CTE name we own, or a one-row select). */
function logEvent(tenantId: string, event: string, detail: SQL, actor: string, from: SQL) {
  const l = tenantLifecycle;
  return sql`INSERT INTO ${l} (${columnList(l.tenantId, l.event, l.detail, l.actor)})
             SELECT ${tenantId}::uuid, ${event}::text, ${detail}, ${actor}::text FROM ${from}`;
}

/** The normalised domain; InvalidInput when it is not a domain name or is one of the platform's own hosts. */
export function checkedDomain(platformHosts: ReadonlySet<string>, domain: string): string {
  let normalised: string;
  try {
    normalised = validateDomain(domain);
  } catch (error) {
    if (error instanceof InvalidTenantName) {
      throw new InvalidInput([{ field: "domain", message: "not a valid domain name" }], error.message);
    }
    throw error;
  }
  if (platformHosts.has(normalised)) {
    throw new InvalidInput([{ field: "domain", message: "reserved for the platform" }], "That host serves the platform itself.");
  }
  return normalised;
}

/** Refuses a new tenant on one of the platform's own hosts (before any database work). */
export function refusePlatformHost(platformHosts: ReadonlySet<string>, domain: string): void {
  if (platformHosts.has(normaliseHost(domain))) checkedDomain(platformHosts, domain);
}

/** Provisions the tenant on `client` (a WebSocket connection: DDL), reads it back on `db`, drops any cached "unknown host". */
export async function createTenant(client: Client, db: Queryable, cache: HostCache, input: NewTenant, actor: string) {
  const tenant = await provisionTenant(client, input, actor);
  const detail = await loadTenant(db, tenant.id);
  await invalidateHosts(
    cache,
    detail.domains.map((d) => d.domain),
  );
  return detail;
}

/** Sets the status, logs it with the reason and reads the summary back in one statement; takes effect at once on every host of the tenant. */
export async function changeStatus(
  db: Queryable,
  cache: HostCache,
  id: string,
  change: { status: TenantStatus; reason: string },
  actor: string,
) {
  const t = tenants;
  const d = tenantDomains;
  const rows = await rowsOf<Record<string, unknown> & { domains: string[] }>(
    db,
    sql`WITH prev AS (SELECT ${t.id} AS id, ${t.status} AS status FROM ${t} WHERE ${t.id} = ${id}::uuid FOR NO KEY UPDATE),
     u AS (UPDATE ${t} SET ${columnName(t.status)} = ${change.status}, ${columnName(t.updatedAt)} = now() FROM prev
            WHERE ${t.id} = prev.id
            RETURNING ${t.id} AS id, prev.status AS previous, ${t.slug} AS slug, ${t.name} AS name, ${t.status} AS status,
                      ${t.contactEmail} AS "contactEmail", ${t.timeZone} AS "timeZone", ${t.locale} AS locale, ${t.currency} AS currency,
                      ${t.country} AS country, ${t.createdAt} AS "createdAt", ${t.updatedAt} AS "updatedAt"),
     l AS (${logEvent(id, "status_changed", sql`jsonb_build_object('from', u.previous, 'to', ${change.status}::text, 'reason', ${change.reason}::text)`, actor, sql`u`)})
     SELECT u.*,
            (SELECT ${d.domain} FROM ${d} WHERE ${d.tenantId} = u.id AND ${d.isPrimary}) AS "primaryDomain",
            coalesce((SELECT array_agg(${d.domain}) FROM ${d} WHERE ${d.tenantId} = u.id), '{}') AS domains
       FROM u`,
  );
  const changed = rows[0];
  if (!changed) throw noTenant();
  await invalidateHosts(cache, changed.domains);
  return presentSummary(changed);
}

/**
 * Adds a domain (already checked by `checkedDomain`), optionally as the
 * primary; Conflict when another tenant has it. One round trip: lock the
 * tenant, demote the old primary (if asked) and log, insert.
 */
export async function addDomain(db: Queryable, cache: HostCache, id: string, input: { domain: string; primary: boolean }, actor: string) {
  const { domain, primary } = input;
  const d = tenantDomains;
  let results: Record<string, unknown>[][];
  try {
    results = await inOneTransaction(db, [
      lockTenant(id),
      sql`WITH old AS (
           UPDATE ${d} SET ${columnName(d.isPrimary)} = false
            WHERE ${d.tenantId} = ${id}::uuid AND ${d.isPrimary} AND ${primary}::boolean RETURNING ${d.domain} AS domain),
         l AS (${logEvent(
           id,
           "domain_added",
           sql`jsonb_build_object('domain', ${domain}::text, 'primary', ${primary}::boolean, 'previous_primary', (SELECT domain FROM old))`,
           actor,
           sql`${tenants} WHERE ${tenants.id} = ${id}::uuid`,
         )})
         SELECT (SELECT domain FROM old) AS previous`,
      sql`INSERT INTO ${d} (${columnList(d.tenantId, d.domain, d.isPrimary)})
          SELECT ${tenants.id}, ${domain}, ${primary}::boolean FROM ${tenants} WHERE ${tenants.id} = ${id}::uuid
          RETURNING ${d.id} AS id, ${d.domain} AS domain, ${d.isPrimary} AS "isPrimary", ${d.createdAt} AS "createdAt"`,
    ]);
  } catch (error) {
    if (uniqueViolation(error) === "tenant_domains_domain_unique") {
      throw new Conflict(`The domain ${domain} is already in use.`, undefined, {}, [{ field: "domain", message: "already taken" }]);
    }
    throw error;
  }
  const [locked, [demoted], [added]] = results;
  if (!locked?.length || !added) throw noTenant();
  const previousPrimary = (demoted?.previous ?? null) as string | null;
  await invalidateHosts(cache, previousPrimary ? [domain, previousPrimary] : [domain]);
  return presentDomain(added as unknown as DomainRow);
}

/** Makes the domain primary (the previous one stays as an alias); returns the tenant's domains after the change. One round trip. */
export async function setPrimaryDomain(db: Queryable, cache: HostCache, id: string, domainId: string, actor: string) {
  const d = tenantDomains;
  const [locked, [target], , after] = await inOneTransaction(db, [
    lockTenant(id),
    sql`WITH target AS (
         SELECT ${d.domain} AS domain, ${d.isPrimary} AS is_primary FROM ${d} WHERE ${d.id} = ${domainId}::uuid AND ${d.tenantId} = ${id}::uuid),
       old AS (
         UPDATE ${d} SET ${columnName(d.isPrimary)} = false
          WHERE ${d.tenantId} = ${id}::uuid AND ${d.isPrimary} AND EXISTS (SELECT 1 FROM target WHERE NOT is_primary)
          RETURNING ${d.domain} AS domain),
       l AS (${logEvent(
         id,
         "primary_domain_changed",
         sql`jsonb_build_object('from', (SELECT domain FROM old), 'to', target.domain)`,
         actor,
         sql`target WHERE NOT target.is_primary`,
       )})
       SELECT target.domain, target.is_primary AS "isPrimary", (SELECT domain FROM old) AS previous FROM target`,
    sql`UPDATE ${d} SET ${columnName(d.isPrimary)} = true WHERE ${d.id} = ${domainId}::uuid AND ${d.tenantId} = ${id}::uuid AND NOT ${d.isPrimary}`,
    sql`SELECT ${d.id} AS id, ${d.domain} AS domain, ${d.isPrimary} AS "isPrimary", ${d.createdAt} AS "createdAt"
          FROM ${d} WHERE ${d.tenantId} = ${id}::uuid ORDER BY ${d.isPrimary} DESC, ${d.domain}`,
  ]);
  if (!locked?.length) throw noTenant();
  if (!target) throw noDomain();
  const previous = (target.previous ?? null) as string | null;
  await invalidateHosts(cache, previous ? [target.domain as string, previous] : [target.domain as string]);
  return (after as unknown as DomainRow[]).map(presentDomain);
}

/** Removes an alias domain; Conflict for the primary (set another primary first). One round trip. */
export async function removeDomain(db: Queryable, cache: HostCache, id: string, domainId: string, actor: string) {
  const d = tenantDomains;
  const [locked, [target]] = await inOneTransaction(db, [
    lockTenant(id),
    sql`WITH target AS (
         SELECT ${d.id} AS id, ${d.domain} AS domain, ${d.isPrimary} AS is_primary FROM ${d}
          WHERE ${d.id} = ${domainId}::uuid AND ${d.tenantId} = ${id}::uuid),
       del AS (DELETE FROM ${d} WHERE ${d.id} IN (SELECT id FROM target WHERE NOT is_primary) RETURNING ${d.domain} AS domain),
       l AS (${logEvent(id, "domain_removed", sql`jsonb_build_object('domain', del.domain)`, actor, sql`del`)})
       SELECT target.domain, target.is_primary AS "isPrimary" FROM target`,
  ]);
  if (!locked?.length) throw noTenant();
  if (!target) throw noDomain();
  if (target.isPrimary) throw new Conflict("This is the primary domain: make another domain primary before removing it.");
  await invalidateHosts(cache, [target.domain as string]);
}

/**
 * Sets (or clears, with nulls) the business's own WhatsApp sender and logs the
 * change; Conflict when another business has that phone-number id (inbound
 * messages are routed by it, so it names one business). Returns the detail.
 */
export async function setWhatsAppSender(
  db: Queryable,
  id: string,
  input: { phone_number_id: string | null; display_number: string | null },
  actor: string,
) {
  const t = tenants;
  const senderId = input.phone_number_id;
  const number = senderId === null ? null : input.display_number;
  let rows: Record<string, unknown>[];
  try {
    rows = await rowsOf<Record<string, unknown>>(
      db,
      sql`WITH prev AS (SELECT ${t.id} AS id, ${t.whatsappPhoneNumberId} AS old_id FROM ${t} WHERE ${t.id} = ${id}::uuid FOR NO KEY UPDATE),
       u AS (UPDATE ${t} SET ${columnName(t.whatsappPhoneNumberId)} = ${senderId}::text, ${columnName(t.whatsappDisplayNumber)} = ${number}::text,
                             ${columnName(t.updatedAt)} = now()
               FROM prev WHERE ${t.id} = prev.id RETURNING ${t.id} AS id, prev.old_id),
       l AS (${logEvent(
         id,
         "whatsapp_sender_changed",
         sql`jsonb_build_object('from', u.old_id, 'to', ${senderId}::text, 'display_number', ${number}::text)`,
         actor,
         sql`u`,
       )})
       SELECT id FROM u`,
    );
  } catch (error) {
    if (uniqueViolation(error) === "tenants_whatsapp_phone_number_id_key") {
      throw new Conflict("Another business already sends from this WhatsApp phone-number id.", undefined, {}, [
        { field: "phone_number_id", message: "already used by another business" },
      ]);
    }
    throw error;
  }
  if (!rows.length) throw noTenant();
  return loadTenant(db, id);
}

/** The tenant's lifecycle log, newest first; NotFound for an unknown tenant. */
export async function lifecycle(db: Queryable, id: string, limit: number) {
  const t = alias(tenants, "t");
  const x = alias(tenantLifecycle, "x");
  const rows = await rowsOf<Record<string, unknown>>(
    db,
    sql`SELECT l.id, l.event, l.detail, l.actor, l.created_at AS "createdAt", ${t.id} AS "tenantId"
       FROM ${tenants} t LEFT JOIN LATERAL (
         SELECT ${x.id} AS id, ${x.event} AS event, ${x.detail} AS detail, ${x.actor} AS actor, ${x.createdAt} AS created_at
           FROM ${tenantLifecycle} x WHERE ${x.tenantId} = ${t.id} ORDER BY ${x.createdAt} DESC, ${x.id} DESC LIMIT ${limit}::int
       ) l ON true
      WHERE ${t.id} = ${id}::uuid`,
  );
  if (!rows.length) throw noTenant();
  return rows
    .filter((r) => r.id !== null)
    .map((r) => ({
      id: Number(r.id),
      event: r.event as string,
      detail: (r.detail ?? {}) as Record<string, unknown>,
      actor: r.actor as string,
      created_at: iso(r.createdAt as Date | string)!,
    }));
}

/** Where the tenant's schema stands in the tenant migrations. */
export async function migrationState(db: Queryable, id: string) {
  const s = tenantMigrationState;
  const [row] = await db
    .select({
      version: s.version,
      lastTag: s.lastTag,
      lastError: s.lastError,
      failedAttempts: s.failedAttempts,
      stateUpdatedAt: s.updatedAt,
    })
    .from(tenants)
    .leftJoin(s, eq(s.tenantId, tenants.id))
    .where(eq(tenants.id, id));
  if (!row) throw noTenant();
  return presentMigration(row);
}

/**
 * Invites someone to the tenant and queues the email in the same statement;
 * the link opens on the tenant's primary domain (`urlTemplate` turns it into
 * an origin). Returns the invitation and that origin. Two round trips.
 */
export async function inviteToTenant(
  db: Queryable,
  keys: SigningKeys,
  urlTemplate: string,
  input: { tenantId: string; email: string; role: MembershipRole; invitedBy: string },
): Promise<{ invitation: CreatedInvitation; origin: string }> {
  const tenant = await loadTenant(db, input.tenantId);
  if (!tenant.primary_domain) throw noTenant();
  const origin = urlTemplate.replace("{host}", tenant.primary_domain);
  const invitation = await createAndSend(
    db,
    keys,
    { id: tenant.id, schemaName: schemaNameForSlug(tenant.slug), locale: tenant.locale },
    origin,
    input,
  );
  return { invitation, origin };
}

/**
 * The platform's migration overview in one statement: how many tenants (not
 * archived) are on the latest tenant migration, how many are behind, and the
 * tenants behind or whose last attempt failed (at most 200), failures first.
 */
export async function migrationOverview(db: Queryable) {
  const latest = tenantMigrations.length;
  const s = tenantMigrationState;
  const version = sql<number>`coalesce(${s.version}, 0)`;
  const [counts, rows] = await Promise.all([
    db
      .select({
        total: sql<number>`count(*)::int`,
        behind: sql<number>`count(*) FILTER (WHERE ${version} < ${latest})::int`,
        failing: sql<number>`count(*) FILTER (WHERE ${s.lastError} IS NOT NULL)::int`,
      })
      .from(tenants)
      .leftJoin(s, eq(s.tenantId, tenants.id))
      .where(sql`${tenants.status} <> 'archived'`),
    db
      .select({
        id: tenants.id,
        slug: tenants.slug,
        name: tenants.name,
        version,
        lastError: s.lastError,
        failedAttempts: sql<number>`coalesce(${s.failedAttempts}, 0)`,
      })
      .from(tenants)
      .leftJoin(s, eq(s.tenantId, tenants.id))
      .where(and(sql`${tenants.status} <> 'archived'`, sql`(${version} < ${latest} OR ${s.lastError} IS NOT NULL)`))
      .orderBy(sql`${s.lastError} IS NULL`, tenants.slug)
      .limit(200),
  ]);
  return { latest, ...(counts[0] ?? { total: 0, behind: 0, failing: 0 }), tenants: rows };
}
