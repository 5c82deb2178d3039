import { LOCALES } from "../domain/locales";
import { createRoute, z } from "@hono/zod-openapi";
import { requireSuperuser } from "../auth/guards";
import { EmailSchema } from "../auth/users";
import { TENANT_STATUSES, tenants } from "../db/schema/public";
import { listQuerySchema, pageSchema, type ListSpec } from "../http/list-query";
import { bearer as security, jsonBody, jsonContent, problemResponseSpec as problem, validationErrors } from "../http/schemas";
import { requirePlatformHost } from "../tenancy/middleware";

const tags = ["Platform admin"];
const guarded = {
  401: problem("Missing or invalid platform access token"),
  403: problem("Not a superuser"),
  404: problem("Not the platform host, or no such tenant"),
};

const TenantParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
const DomainParam = TenantParam.extend({ domainId: z.uuid().openapi({ param: { name: "domainId", in: "path" } }) });
const Status = z.enum(TENANT_STATUSES);

export const TenantSummarySchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    status: Status,
    contact_email: z.string(),
    time_zone: z.string(),
    locale: z.string(),
    currency: z.string(),
    country: z.string().openapi({ description: "ISO 3166-1 alpha-2; national phone numbers are read in it" }),
    primary_domain: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("PlatformTenant");

export const DomainSchema = z
  .object({ id: z.uuid(), domain: z.string(), is_primary: z.boolean(), created_at: z.string() })
  .openapi("TenantDomain");

export const MigrationStateSchema = z
  .object({
    version: z.number().int(),
    latest_version: z.number().int(),
    behind: z.boolean(),
    last_tag: z.string().nullable(),
    last_error: z.string().nullable(),
    failed_attempts: z.number().int(),
    updated_at: z.string().nullable(),
  })
  .openapi("TenantMigrationState");

export const WhatsAppSenderSchema = z
  .object({
    phone_number_id: z
      .string()
      .nullable()
      .openapi({ description: "Meta's phone-number id of the business's own sender; null: the deployment's default" }),
    display_number: z.string().nullable().openapi({ description: "The number customers see (E.164)" }),
  })
  .openapi("WhatsAppSender");

export const TenantDetailSchema = TenantSummarySchema.extend({
  whatsapp: WhatsAppSenderSchema,
  domains: z.array(DomainSchema),
  migration: MigrationStateSchema,
  member_count: z.number().int(),
}).openapi("PlatformTenantDetail");

export const LifecycleEventSchema = z
  .object({ id: z.number().int(), event: z.string(), detail: z.record(z.string(), z.unknown()), actor: z.string(), created_at: z.string() })
  .openapi("TenantLifecycleEvent");

export const tenantListSpec: ListSpec = {
  search: [tenants.slug, tenants.name, tenants.contactEmail],
  filters: { status: { column: tenants.status, schema: Status } },
  ordering: { created_at: tenants.createdAt, name: tenants.name, slug: tenants.slug, status: tenants.status },
  defaultOrdering: "-created_at",
  tiebreak: tenants.id,
};

export const CreateTenantBody = z
  .object({
    slug: z.string().max(32),
    name: z.string().max(120),
    domain: z.string().max(253),
    contact_email: EmailSchema,
    time_zone: z.string().max(64).optional(),
    locale: z.enum(LOCALES).optional(),
    currency: z.string().max(3).optional(),
    country: z.string().max(2).optional().openapi({ description: "ISO 3166-1 alpha-2 (default MA)", example: "MA" }),
  })
  .strict()
  .openapi("CreateTenantRequest");

export const createTenant = createRoute({
  method: "post",
  path: "/api/platform/tenants",
  tags,
  summary: "Provision a tenant: row, primary domain, schema and migrations, all or nothing",
  security,
  middleware: [requirePlatformHost, requireSuperuser] as const,
  request: { body: jsonBody(CreateTenantBody) },
  responses: {
    201: jsonContent(TenantDetailSchema, "Created"),
    409: problem("Slug or domain already taken"),
    ...guarded,
    ...validationErrors,
  },
});

export const listTenants = createRoute({
  method: "get",
  path: "/api/platform/tenants",
  tags,
  summary: "List and search tenants (?search=, ?status=, ?ordering=, page/page_size)",
  security,
  middleware: [requirePlatformHost, requireSuperuser] as const,
  request: { query: listQuerySchema(tenantListSpec) },
  responses: { 200: jsonContent(pageSchema(TenantSummarySchema), "A page of tenants"), ...guarded, 422: problem("Invalid query") },
});

export const getTenant = createRoute({
  method: "get",
  path: "/api/platform/tenants/{id}",
  tags,
  summary: "One tenant with its domains and migration state",
  security,
  middleware: [requirePlatformHost, requireSuperuser] as const,
  request: { params: TenantParam },
  responses: { 200: jsonContent(TenantDetailSchema, "The tenant"), ...guarded },
});

export const ChangeStatusBody = z
  .object({ status: Status, reason: z.string().trim().min(3).max(500) })
  .strict()
  .openapi("ChangeTenantStatusRequest");

export const changeStatus = createRoute({
  method: "post",
  path: "/api/platform/tenants/{id}/status",
  tags,
  summary: "Activate, suspend or archive a tenant (logged with the reason; takes effect at once)",
  security,
  middleware: [requirePlatformHost, requireSuperuser] as const,
  request: { params: TenantParam, body: jsonBody(ChangeStatusBody) },
  responses: { 200: jsonContent(TenantSummarySchema, "Status changed"), ...guarded, ...validationErrors },
});

export const listDomains = createRoute({
  method: "get",
  path: "/api/platform/tenants/{id}/domains",
  tags,
  summary: "A tenant's domains",
  security,
  middleware: [requirePlatformHost, requireSuperuser] as const,
  request: { params: TenantParam },
  responses: { 200: jsonContent(z.object({ results: z.array(DomainSchema) }), "Domains"), ...guarded },
});

export const AddDomainBody = z
  .object({ domain: z.string().max(253), primary: z.boolean().default(false) })
  .strict()
  .openapi("AddDomainRequest");

export const addDomain = createRoute({
  method: "post",
  path: "/api/platform/tenants/{id}/domains",
  tags,
  summary: "Add a domain (optionally making it the primary)",
  security,
  middleware: [requirePlatformHost, requireSuperuser] as const,
  request: { params: TenantParam, body: jsonBody(AddDomainBody) },
  responses: {
    201: jsonContent(DomainSchema, "Added"),
    409: problem("Domain already in use"),
    ...guarded,
    ...validationErrors,
  },
});

export const setPrimaryDomain = createRoute({
  method: "post",
  path: "/api/platform/tenants/{id}/domains/{domainId}/primary",
  tags,
  summary: "Make this domain the tenant's primary (the previous one stays as an alias)",
  security,
  middleware: [requirePlatformHost, requireSuperuser] as const,
  request: { params: DomainParam },
  responses: { 200: jsonContent(z.object({ results: z.array(DomainSchema) }), "Domains after the change"), ...guarded },
});

export const removeDomain = createRoute({
  method: "delete",
  path: "/api/platform/tenants/{id}/domains/{domainId}",
  tags,
  summary: "Remove a domain (never the primary: set another primary first)",
  security,
  middleware: [requirePlatformHost, requireSuperuser] as const,
  request: { params: DomainParam },
  responses: { 204: { description: "Removed" }, 409: problem("That is the primary domain"), ...guarded },
});

export const lifecycle = createRoute({
  method: "get",
  path: "/api/platform/tenants/{id}/lifecycle",
  tags,
  summary: "The tenant's lifecycle log (provisioning, status changes, domains, migrations), newest first",
  security,
  middleware: [requirePlatformHost, requireSuperuser] as const,
  request: { params: TenantParam, query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
  responses: { 200: jsonContent(z.object({ results: z.array(LifecycleEventSchema) }), "Events"), ...guarded },
});

export const migrationState = createRoute({
  method: "get",
  path: "/api/platform/tenants/{id}/migrations",
  tags,
  summary: "Where the tenant's schema stands in the tenant migrations",
  security,
  middleware: [requirePlatformHost, requireSuperuser] as const,
  request: { params: TenantParam },
  responses: { 200: jsonContent(MigrationStateSchema, "Migration state"), ...guarded },
});

export const InviteToTenantBody = z
  .object({ email: EmailSchema, role: z.enum(["owner", "admin", "staff"]).default("owner") })
  .strict()
  .openapi("PlatformInvitationRequest");

export const inviteToTenant = createRoute({
  method: "post",
  path: "/api/platform/tenants/{id}/invitations",
  tags,
  summary: "Invite someone (by default the first owner) to a tenant; the link opens on its primary domain",
  security,
  middleware: [requirePlatformHost, requireSuperuser] as const,
  request: { params: TenantParam, body: jsonBody(InviteToTenantBody) },
  responses: {
    201: jsonContent(
      z.object({
        id: z.uuid(),
        email: z.string(),
        role: z.string(),
        created_at: z.string(),
        expires_at: z.string(),
        token: z.string().optional(),
        accept_url: z.string().optional(),
      }),
      "Invitation created; the link is returned until emails are sent",
    ),
    409: problem("Already a member"),
    ...guarded,
    ...validationErrors,
  },
});

export const SetWhatsAppSenderBody = z
  .object({
    phone_number_id: z
      .string()
      .regex(/^[0-9]{5,32}$/, "Meta's phone-number id: digits only")
      .nullable()
      .openapi({ example: "106540352242922" }),
    display_number: z
      .string()
      .regex(/^\+[1-9][0-9]{6,14}$/, "international format, e.g. +212522000000")
      .nullable()
      .default(null)
      .openapi({ example: "+212522000000" }),
  })
  .strict()
  .refine((b) => b.phone_number_id !== null || b.display_number === null, {
    path: ["display_number"],
    message: "a display number needs a phone-number id",
  })
  .openapi("SetWhatsAppSenderRequest");

export const setWhatsAppSender = createRoute({
  method: "put",
  path: "/api/platform/tenants/{id}/whatsapp",
  tags,
  summary: "Set or clear the business's own WhatsApp sender (Meta phone-number id): its messages go out from it, replies to it reach it",
  security,
  middleware: [requirePlatformHost, requireSuperuser] as const,
  request: { params: TenantParam, body: jsonBody(SetWhatsAppSenderBody) },
  responses: {
    200: jsonContent(TenantDetailSchema, "The tenant with its sender"),
    409: problem("Another business already has this phone-number id"),
    ...guarded,
    ...validationErrors,
  },
});
