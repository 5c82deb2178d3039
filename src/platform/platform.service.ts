/**
 * The superuser's reads and writes over tenants. Tenant creation goes through
 * `provisionTenant` (the CLI's code, all or nothing). Anything that changes
 * which tenant a host maps to, or a tenant's status, deletes the affected KV
 * entries (the `cache` handed in) before returning, so the next request on
 * those hosts sees it. Domain edits run in a transaction holding the tenant row
 * lock, so set-primary and remove cannot interleave into a tenant with no
 * primary domain.
 */
import type { Client } from "@neondatabase/serverless";
import { sql } from "drizzle-orm";
import type { CreatedInvitation } from "../auth/invitations";
import type { SigningKeys } from "../auth/tokens";
import { inTransaction, type Database } from "../db/client";
import { uniqueViolation } from "../db/errors";
import { tenantMigrations } from "../db/migrations/bundle.generated";
import { tenants, type MembershipRole, type TenantStatus } from "../db/schema/public";
import { Conflict, InvalidInput, NotFound } from "../domain/errors";
import { iso } from "../http/json";
import { totalCount, type ListQuery } from "../http/list-query";
import { invalidateHosts } from "../tenancy/host-cache";
import { InvalidTenantName, normaliseHost, schemaNameForSlug, validateDomain } from "../tenancy/naming";
import { provisionTenant, type NewTenant } from "../tenancy/provision";
import { createAndSend } from "../team/invitations.service";

type Queryable = Pick<Client, "query">;

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

/** One statement: the tenant, its domains, migration state and member count. */
export async function loadTenant(db: Queryable, id: string) {
  const { rows } = await db.query(
    `SELECT t.id, t.slug, t.name, t.status, t.contact_email AS "contactEmail", t.time_zone AS "timeZone", t.locale,
            t.currency, t.country, t.created_at AS "createdAt", t.updated_at AS "updatedAt",
            (SELECT d.domain FROM "public"."tenant_domains" d WHERE d.tenant_id = t.id AND d.is_primary) AS "primaryDomain",
            coalesce((SELECT json_agg(json_build_object('id', d.id, 'domain', d.domain, 'isPrimary', d.is_primary, 'createdAt', d.created_at)
                                      ORDER BY d.is_primary DESC, d.domain)
                        FROM "public"."tenant_domains" d WHERE d.tenant_id = t.id), '[]'::json) AS domains,
            s.version, s.last_tag AS "lastTag", s.last_error AS "lastError", s.failed_attempts AS "failedAttempts",
            s.updated_at AS "stateUpdatedAt",
            (SELECT count(*) FROM "public"."tenant_memberships" m WHERE m.tenant_id = t.id)::int AS "memberCount"
       FROM "public"."tenants" t LEFT JOIN "public"."tenant_migration_state" s ON s.tenant_id = t.id
      WHERE t.id = $1`,
    [id],
  );
  const row = rows[0] as Record<string, unknown> | undefined;
  if (!row) throw noTenant();
  return {
    ...presentSummary(row),
    domains: (row.domains as DomainRow[]).map(presentDomain),
    migration: presentMigration(row),
    member_count: row.memberCount as number,
  };
}

// Qualified by hand: drizzle renders a column of the outer table unqualified inside sql``.
const primaryDomainSql = sql<
  string | null
>`(SELECT d.domain FROM "public"."tenant_domains" d WHERE d.tenant_id = "tenants"."id" AND d.is_primary)`;

/** A page of tenants (summary columns) for the list query. */
export function listTenants(db: Database, list: ListQuery) {
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
      primaryDomain: primaryDomainSql,
      total_count: totalCount(),
    })
    .from(tenants)
    .where(list.where)
    .orderBy(...list.orderBy)
    .limit(list.limit)
    .offset(list.offset);
}

async function domainsOf(db: Queryable, tenantId: string) {
  const { rows } = await db.query(
    `SELECT id, domain, is_primary AS "isPrimary", created_at AS "createdAt" FROM "public"."tenant_domains"
      WHERE tenant_id = $1 ORDER BY is_primary DESC, domain`,
    [tenantId],
  );
  return (rows as DomainRow[]).map(presentDomain);
}

/** A tenant's domains, primary first; NotFound for an unknown tenant (every tenant has a primary domain). */
export async function listDomains(db: Queryable, tenantId: string) {
  const results = await domainsOf(db, tenantId);
  if (!results.length) throw noTenant();
  return results;
}

/** BEGIN, lock the tenant row (NotFound if none), run `fn`, COMMIT; ROLLBACK on any error. */
function inTenantTransaction<T>(client: Client, tenantId: string, fn: () => Promise<T>): Promise<T> {
  return inTransaction(client, async () => {
    const { rowCount } = await client.query(`SELECT 1 FROM "public"."tenants" WHERE id = $1 FOR NO KEY UPDATE`, [tenantId]);
    if (!rowCount) throw noTenant();
    return fn();
  });
}

function logEvent(db: Queryable, tenantId: string, event: string, detail: Record<string, unknown>, actor: string) {
  return db.query(`INSERT INTO "public"."tenant_lifecycle" (tenant_id, event, detail, actor) VALUES ($1, $2, $3::jsonb, $4)`, [
    tenantId,
    event,
    JSON.stringify(detail),
    actor,
  ]);
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

/** Provisions the tenant (all or nothing; provisionTenant validates every field) and drops any cached "unknown host". */
export async function createTenant(client: Client, cache: HostCache, input: NewTenant, actor: string) {
  const tenant = await provisionTenant(client, input, actor);
  const detail = await loadTenant(client, tenant.id);
  await invalidateHosts(
    cache,
    detail.domains.map((d) => d.domain),
  );
  return detail;
}

/** Sets the status and logs it with the reason in one statement; takes effect at once on every host of the tenant. */
export async function changeStatus(
  client: Client,
  cache: HostCache,
  id: string,
  change: { status: TenantStatus; reason: string },
  actor: string,
) {
  const { rows } = await client.query(
    `WITH prev AS (SELECT id, status FROM "public"."tenants" WHERE id = $1 FOR NO KEY UPDATE),
     u AS (UPDATE "public"."tenants" t SET status = $2, updated_at = now() FROM prev WHERE t.id = prev.id
           RETURNING t.id, prev.status AS previous),
     l AS (INSERT INTO "public"."tenant_lifecycle" (tenant_id, event, detail, actor)
           SELECT id, 'status_changed', jsonb_build_object('from', previous, 'to', $2::text, 'reason', $3::text), $4 FROM u)
     SELECT id, coalesce((SELECT array_agg(domain) FROM "public"."tenant_domains" WHERE tenant_id = u.id), '{}') AS domains FROM u`,
    [id, change.status, change.reason, actor],
  );
  const changed = rows[0] as { id: string; domains: string[] } | undefined;
  if (!changed) throw noTenant();
  await invalidateHosts(cache, changed.domains);
  const { domains: _d, migration: _m, member_count: _n, ...summary } = await loadTenant(client, id);
  return summary;
}

/** Adds a domain (already checked by `checkedDomain`), optionally as the primary; Conflict when another tenant has it. */
export async function addDomain(client: Client, cache: HostCache, id: string, input: { domain: string; primary: boolean }, actor: string) {
  const { domain, primary } = input;
  let added: DomainRow;
  let previousPrimary: string | null = null;
  try {
    added = await inTenantTransaction(client, id, async () => {
      if (primary) {
        const { rows } = await client.query(
          `UPDATE "public"."tenant_domains" SET is_primary = false WHERE tenant_id = $1 AND is_primary RETURNING domain`,
          [id],
        );
        previousPrimary = (rows[0] as { domain: string } | undefined)?.domain ?? null;
      }
      const { rows } = await client.query(
        `INSERT INTO "public"."tenant_domains" (tenant_id, domain, is_primary) VALUES ($1, $2, $3)
         RETURNING id, domain, is_primary AS "isPrimary", created_at AS "createdAt"`,
        [id, domain, primary],
      );
      await logEvent(client, id, "domain_added", { domain, primary, previous_primary: previousPrimary }, actor);
      return rows[0] as DomainRow;
    });
  } catch (error) {
    if (uniqueViolation(error) === "tenant_domains_domain_unique") {
      throw new Conflict(`The domain ${domain} is already in use.`, undefined, {}, [{ field: "domain", message: "already taken" }]);
    }
    throw error;
  }
  await invalidateHosts(cache, previousPrimary ? [domain, previousPrimary] : [domain]);
  return presentDomain(added);
}

async function domainOfTenant(client: Client, tenantId: string, domainId: string) {
  const { rows } = await client.query(
    `SELECT domain, is_primary AS "isPrimary" FROM "public"."tenant_domains" WHERE id = $1 AND tenant_id = $2`,
    [domainId, tenantId],
  );
  const target = rows[0] as { domain: string; isPrimary: boolean } | undefined;
  if (!target) throw noDomain();
  return target;
}

/** Makes the domain primary (the previous one stays as an alias); returns the tenant's domains after the change. */
export async function setPrimaryDomain(client: Client, cache: HostCache, id: string, domainId: string, actor: string) {
  const touched = await inTenantTransaction(client, id, async () => {
    const target = await domainOfTenant(client, id, domainId);
    if (target.isPrimary) return [target.domain];
    const old = await client.query(
      `UPDATE "public"."tenant_domains" SET is_primary = false WHERE tenant_id = $1 AND is_primary RETURNING domain`,
      [id],
    );
    await client.query(`UPDATE "public"."tenant_domains" SET is_primary = true WHERE id = $1`, [domainId]);
    const previous = (old.rows[0] as { domain: string } | undefined)?.domain ?? null;
    await logEvent(client, id, "primary_domain_changed", { from: previous, to: target.domain }, actor);
    return previous ? [target.domain, previous] : [target.domain];
  });
  await invalidateHosts(cache, touched);
  return domainsOf(client, id);
}

/** Removes an alias domain; Conflict for the primary (set another primary first). */
export async function removeDomain(client: Client, cache: HostCache, id: string, domainId: string, actor: string) {
  const removed = await inTenantTransaction(client, id, async () => {
    const target = await domainOfTenant(client, id, domainId);
    if (target.isPrimary) {
      throw new Conflict("This is the primary domain: make another domain primary before removing it.");
    }
    await client.query(`DELETE FROM "public"."tenant_domains" WHERE id = $1`, [domainId]);
    await logEvent(client, id, "domain_removed", { domain: target.domain }, actor);
    return target.domain;
  });
  await invalidateHosts(cache, [removed]);
}

/** The tenant's lifecycle log, newest first; NotFound for an unknown tenant. */
export async function lifecycle(db: Queryable, id: string, limit: number) {
  const { rows } = await db.query(
    `SELECT l.id, l.event, l.detail, l.actor, l.created_at AS "createdAt", t.id AS "tenantId"
       FROM "public"."tenants" t LEFT JOIN LATERAL (
         SELECT * FROM "public"."tenant_lifecycle" x WHERE x.tenant_id = t.id ORDER BY x.created_at DESC, x.id DESC LIMIT $2
       ) l ON true
      WHERE t.id = $1`,
    [id, limit],
  );
  if (!rows.length) throw noTenant();
  return (rows as Record<string, unknown>[])
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
  const { rows } = await db.query(
    `SELECT s.version, s.last_tag AS "lastTag", s.last_error AS "lastError", s.failed_attempts AS "failedAttempts",
            s.updated_at AS "stateUpdatedAt"
       FROM "public"."tenants" t LEFT JOIN "public"."tenant_migration_state" s ON s.tenant_id = t.id
      WHERE t.id = $1`,
    [id],
  );
  if (!rows[0]) throw noTenant();
  return presentMigration(rows[0] as Record<string, unknown>);
}

/**
 * Invites someone to the tenant and queues the email in the same transaction;
 * the link opens on the tenant's primary domain (`urlTemplate` turns it into
 * an origin). Returns the invitation and that origin.
 */
export async function inviteToTenant(
  client: Client,
  keys: SigningKeys,
  urlTemplate: string,
  input: { tenantId: string; email: string; role: MembershipRole; invitedBy: string },
): Promise<{ invitation: CreatedInvitation; origin: string }> {
  const tenant = await loadTenant(client, input.tenantId);
  if (!tenant.primary_domain) throw noTenant();
  const origin = urlTemplate.replace("{host}", tenant.primary_domain);
  const invitation = await createAndSend(
    client,
    keys,
    { id: tenant.id, schemaName: schemaNameForSlug(tenant.slug), locale: tenant.locale },
    origin,
    input,
  );
  return { invitation, origin };
}
