/**
 * The superuser admin API on the platform host. Tenant creation goes through
 * `provisionTenant` (the CLI's code, all or nothing). Anything that changes
 * which tenant a host maps to, or a tenant's status, deletes the affected KV
 * entries before answering, so the next request on those hosts sees it.
 * Domain edits run in a transaction holding the tenant row lock, so set-primary
 * and remove cannot interleave into a tenant with no primary domain.
 */
import { iso } from "../http/json";
import type { Client } from "@neondatabase/serverless";
import type { Context } from "hono";
import { signingKeys } from "../auth/signing-keys";
import { requirePrincipal } from "../auth/guards";
import { acceptUrl, createInvitation, presentCreatedInvitation, revealLinks } from "../auth/invitations";
import { enqueueInvitationEmail } from "../notify/invitations";
import { tenants } from "../db/schema/public";
import { tenantMigrations } from "../db/migrations/bundle.generated";
import { uniqueViolation } from "../db/errors";
import { listPage, toListQuery, totalCount } from "../http/list-query";
import { ApiError } from "../http/problem";
import { createRouter } from "../http/router";
import type { AppEnv } from "../http/types";
import { invalidateHosts } from "../tenancy/host-cache";
import { InvalidTenantName, normaliseHost, schemaNameForSlug, validateDomain } from "../tenancy/naming";
import { inTransaction } from "../db/client";
import { provisionTenant } from "../tenancy/provision";
import * as routes from "./platform.routes";

type Queryable = Pick<Client, "query">;

const noTenant = () => new ApiError("not_found", "No such tenant.");

function actorOf(c: Context<AppEnv>): string {
  return `user:${requirePrincipal(c).userId}`;
}

interface DomainRow {
  id: string;
  domain: string;
  isPrimary: boolean;
  createdAt: string;
}

const presentDomain = (d: DomainRow) => ({ id: d.id, domain: d.domain, is_primary: d.isPrimary, created_at: iso(d.createdAt)! });

function presentSummary(row: Record<string, any>) {
  return {
    id: row.id as string,
    slug: row.slug as string,
    name: row.name as string,
    status: row.status,
    contact_email: row.contactEmail as string,
    time_zone: row.timeZone as string,
    locale: row.locale as string,
    currency: row.currency as string,
    country: row.country as string,
    primary_domain: (row.primaryDomain ?? null) as string | null,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
  };
}

function presentMigration(row: Record<string, any>) {
  const version = Number(row.version ?? 0);
  return {
    version,
    latest_version: tenantMigrations.length,
    behind: version < tenantMigrations.length,
    last_tag: row.lastTag ?? null,
    last_error: row.lastError ?? null,
    failed_attempts: Number(row.failedAttempts ?? 0),
    updated_at: iso(row.stateUpdatedAt),
  };
}

/** One statement: the tenant, its domains, migration state and member count. */
async function loadTenant(db: Queryable, id: string) {
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
  const row = rows[0] as Record<string, any> | undefined;
  if (!row) throw noTenant();
  return {
    ...presentSummary(row),
    domains: (row.domains as DomainRow[]).map(presentDomain),
    migration: presentMigration(row),
    member_count: row.memberCount as number,
  };
}

async function domainsOf(db: Queryable, tenantId: string) {
  const { rows } = await db.query(
    `SELECT id, domain, is_primary AS "isPrimary", created_at AS "createdAt" FROM "public"."tenant_domains"
      WHERE tenant_id = $1 ORDER BY is_primary DESC, domain`,
    [tenantId],
  );
  return (rows as DomainRow[]).map(presentDomain);
}

/** BEGIN, lock the tenant row (404 if none), run `fn`, log, COMMIT; ROLLBACK on any error. */
function inTenantTransaction<T>(client: Client, tenantId: string, fn: () => Promise<T>): Promise<T> {
  return inTransaction(client, async () => {
    const { rowCount } = await client.query(`SELECT 1 FROM "public"."tenants" WHERE id = $1 FOR NO KEY UPDATE`, [tenantId]);
    if (!rowCount) throw noTenant();
    return fn();
  });
}

function logEvent(db: Queryable, tenantId: string, event: string, detail: Record<string, unknown>, actor: string) {
  return db.query(
    `INSERT INTO "public"."tenant_lifecycle" (tenant_id, event, detail, actor) VALUES ($1, $2, $3::jsonb, $4)`,
    [tenantId, event, JSON.stringify(detail), actor],
  );
}

// provisionTenant speaks TypeScript names; its field errors must name the body's keys.
const WIRE_FIELDS: Record<string, string> = { contactEmail: "contact_email", timeZone: "time_zone" };

function withWireFieldNames(error: unknown): unknown {
  if (!(error instanceof ApiError) || !error.errors) return error;
  return new ApiError(error.code, error.message, {
    errors: error.errors.map((e) => ({ ...e, field: WIRE_FIELDS[e.field] ?? e.field })),
    extra: error.extra,
    headers: error.headers,
  });
}

function checkedDomain(c: Context<AppEnv>, domain: string): string {
  let normalised: string;
  try {
    normalised = validateDomain(domain);
  } catch (error) {
    if (error instanceof InvalidTenantName) {
      throw new ApiError("validation_failed", error.message, { errors: [{ field: "domain", message: "not a valid domain name" }] });
    }
    throw error;
  }
  if (c.get("config").platformHosts.has(normalised)) {
    throw new ApiError("validation_failed", "That host serves the platform itself.", {
      errors: [{ field: "domain", message: "reserved for the platform" }],
    });
  }
  return normalised;
}

export const platformRouter = createRouter()
  .openapi(routes.createTenant, async (c) => {
    const { contact_email: contactEmail, time_zone: timeZone, ...rest } = c.req.valid("json");
    const input = { ...rest, contactEmail, timeZone };
    if (c.get("config").platformHosts.has(normaliseHost(input.domain))) checkedDomain(c, input.domain);
    const client = await c.get("database").client();
    // provisionTenant validates every field (one 422 listing them all) and is all or nothing.
    const tenant = await provisionTenant(client, input, actorOf(c)).catch((error) => {
      throw withWireFieldNames(error);
    });
    const detail = await loadTenant(client, tenant.id);
    await invalidateHosts(c.env.TENANT_CACHE, detail.domains.map((d) => d.domain)); // drop a cached "unknown host"
    return c.json(detail, 201);
  })
  .openapi(routes.listTenants, async (c) => {
    const list = toListQuery(routes.tenantListSpec, c.req.valid("query"));
    const db = await c.get("database").db();
    const rows = await db
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
        primaryDomain: routes.primaryDomainSql,
        total_count: totalCount(),
      })
      .from(tenants)
      .where(list.where)
      .orderBy(...list.orderBy)
      .limit(list.limit)
      .offset(list.offset);
    return c.json(listPage(rows, list, c.req.url, presentSummary) as never, 200);
  })
  .openapi(routes.getTenant, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await loadTenant(await c.get("database").client(), id), 200);
  })
  .openapi(routes.changeStatus, async (c) => {
    const { id } = c.req.valid("param");
    const { status, reason } = c.req.valid("json");
    const client = await c.get("database").client();
    const { rows } = await client.query(
      `WITH prev AS (SELECT id, status FROM "public"."tenants" WHERE id = $1 FOR NO KEY UPDATE),
       u AS (UPDATE "public"."tenants" t SET status = $2, updated_at = now() FROM prev WHERE t.id = prev.id
             RETURNING t.id, prev.status AS previous),
       l AS (INSERT INTO "public"."tenant_lifecycle" (tenant_id, event, detail, actor)
             SELECT id, 'status_changed', jsonb_build_object('from', previous, 'to', $2::text, 'reason', $3::text), $4 FROM u)
       SELECT id, coalesce((SELECT array_agg(domain) FROM "public"."tenant_domains" WHERE tenant_id = u.id), '{}') AS domains FROM u`,
      [id, status, reason, actorOf(c)],
    );
    const changed = rows[0] as { id: string; domains: string[] } | undefined;
    if (!changed) throw noTenant();
    await invalidateHosts(c.env.TENANT_CACHE, changed.domains);
    const { domains: _d, migration: _m, member_count: _n, ...summary } = await loadTenant(client, id);
    return c.json(summary, 200);
  })
  .openapi(routes.listDomains, async (c) => {
    const { id } = c.req.valid("param");
    const client = await c.get("database").client();
    const results = await domainsOf(client, id);
    if (!results.length) throw noTenant(); // every tenant has a primary domain
    return c.json({ results }, 200);
  })
  .openapi(routes.addDomain, async (c) => {
    const { id } = c.req.valid("param");
    const input = c.req.valid("json");
    const domain = checkedDomain(c, input.domain);
    const actor = actorOf(c);
    const client = await c.get("database").client();
    let added: DomainRow;
    let previousPrimary: string | null = null;
    try {
      added = await inTenantTransaction(client, id, async () => {
        if (input.primary) {
          const { rows } = await client.query(
            `UPDATE "public"."tenant_domains" SET is_primary = false WHERE tenant_id = $1 AND is_primary RETURNING domain`,
            [id],
          );
          previousPrimary = (rows[0] as { domain: string } | undefined)?.domain ?? null;
        }
        const { rows } = await client.query(
          `INSERT INTO "public"."tenant_domains" (tenant_id, domain, is_primary) VALUES ($1, $2, $3)
           RETURNING id, domain, is_primary AS "isPrimary", created_at AS "createdAt"`,
          [id, domain, input.primary],
        );
        await logEvent(client, id, "domain_added", { domain, primary: input.primary, previous_primary: previousPrimary }, actor);
        return rows[0] as DomainRow;
      });
    } catch (error) {
      if (uniqueViolation(error) === "tenant_domains_domain_unique") {
        throw new ApiError("conflict", `The domain ${domain} is already in use.`, { errors: [{ field: "domain", message: "already taken" }] });
      }
      throw error;
    }
    await invalidateHosts(c.env.TENANT_CACHE, previousPrimary ? [domain, previousPrimary] : [domain]);
    return c.json(presentDomain(added), 201);
  })
  .openapi(routes.setPrimaryDomain, async (c) => {
    const { id, domainId } = c.req.valid("param");
    const actor = actorOf(c);
    const client = await c.get("database").client();
    const touched = await inTenantTransaction(client, id, async () => {
      const { rows } = await client.query(
        `SELECT domain, is_primary AS "isPrimary" FROM "public"."tenant_domains" WHERE id = $1 AND tenant_id = $2`,
        [domainId, id],
      );
      const target = rows[0] as { domain: string; isPrimary: boolean } | undefined;
      if (!target) throw new ApiError("not_found", "No such domain for this tenant.");
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
    await invalidateHosts(c.env.TENANT_CACHE, touched);
    return c.json({ results: await domainsOf(client, id) }, 200);
  })
  .openapi(routes.removeDomain, async (c) => {
    const { id, domainId } = c.req.valid("param");
    const actor = actorOf(c);
    const client = await c.get("database").client();
    const removed = await inTenantTransaction(client, id, async () => {
      const { rows } = await client.query(
        `SELECT domain, is_primary AS "isPrimary" FROM "public"."tenant_domains" WHERE id = $1 AND tenant_id = $2`,
        [domainId, id],
      );
      const target = rows[0] as { domain: string; isPrimary: boolean } | undefined;
      if (!target) throw new ApiError("not_found", "No such domain for this tenant.");
      if (target.isPrimary) {
        throw new ApiError("conflict", "This is the primary domain: make another domain primary before removing it.");
      }
      await client.query(`DELETE FROM "public"."tenant_domains" WHERE id = $1`, [domainId]);
      await logEvent(client, id, "domain_removed", { domain: target.domain }, actor);
      return target.domain;
    });
    await invalidateHosts(c.env.TENANT_CACHE, [removed]);
    return c.body(null, 204);
  })
  .openapi(routes.lifecycle, async (c) => {
    const { id } = c.req.valid("param");
    const { limit } = c.req.valid("query");
    const client = await c.get("database").client();
    const { rows } = await client.query(
      `SELECT l.id, l.event, l.detail, l.actor, l.created_at AS "createdAt", t.id AS "tenantId"
         FROM "public"."tenants" t LEFT JOIN LATERAL (
           SELECT * FROM "public"."tenant_lifecycle" x WHERE x.tenant_id = t.id ORDER BY x.created_at DESC, x.id DESC LIMIT $2
         ) l ON true
        WHERE t.id = $1`,
      [id, limit],
    );
    if (!rows.length) throw noTenant();
    const results = (rows as Record<string, any>[])
      .filter((r) => r.id !== null)
      .map((r) => ({ id: Number(r.id), event: r.event, detail: r.detail ?? {}, actor: r.actor, created_at: iso(r.createdAt)! }));
    return c.json({ results }, 200);
  })
  .openapi(routes.inviteToTenant, async (c) => {
    const { id } = c.req.valid("param");
    const { email, role } = c.req.valid("json");
    const client = await c.get("database").client();
    const tenant = await loadTenant(client, id);
    if (!tenant.primary_domain) throw noTenant();
    const invitedBy = requirePrincipal(c).userId;
    const origin = c.get("config").PUBLIC_URL_TEMPLATE.replace("{host}", tenant.primary_domain);
    const created = await inTransaction(client, async () => {
      const invitation = await createInvitation(client, signingKeys(c), { tenantId: id, email, role, invitedBy });
      await enqueueInvitationEmail(client, schemaNameForSlug(tenant.slug), {
        invitationId: invitation.id,
        email: invitation.email,
        role: invitation.role,
        acceptUrl: acceptUrl(origin, invitation.token),
        invitedBy,
        locale: tenant.locale,
      });
      return invitation;
    });
    return c.json(presentCreatedInvitation(created, origin, revealLinks(c)), 201);
  })
  .openapi(routes.migrationState, async (c) => {
    const { id } = c.req.valid("param");
    const client = await c.get("database").client();
    const { rows } = await client.query(
      `SELECT s.version, s.last_tag AS "lastTag", s.last_error AS "lastError", s.failed_attempts AS "failedAttempts",
              s.updated_at AS "stateUpdatedAt"
         FROM "public"."tenants" t LEFT JOIN "public"."tenant_migration_state" s ON s.tenant_id = t.id
        WHERE t.id = $1`,
      [id],
    );
    if (!rows[0]) throw noTenant();
    return c.json(presentMigration(rows[0] as Record<string, any>), 200);
  });
