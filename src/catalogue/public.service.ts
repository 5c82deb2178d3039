/**
 * What a customer sees before logging in: active services and staff only,
 * never contact details, buffers or internal resource requirements. One
 * statement per call (the start page's services and settings included). The public API and the booking pages both read here.
 */
import { and, asc, eq, exists, sql } from "drizzle-orm";
import { tenantConfig } from "../db/schema/public";
import type { TenantScope } from "../tenancy/scope";

type Scope = Pick<TenantScope, "t" | "db">;

export interface PublicService {
  id: string;
  name: string;
  description: string;
  duration_min: number;
  price_minor: number;
  currency: string;
  capacity: number;
  category: { id: string; name: string } | null;
  /** Active staff who perform it, by name. */
  staff: { id: string; display_name: string }[];
}

/** Categories that have at least one active service, by position then name. */
export async function publicCategories({ t, db }: Scope) {
  const cat = t.serviceCategories;
  return db
    .select({ id: cat.id, name: cat.name, position: cat.position })
    .from(cat)
    .where(
      exists(
        db
          .select({ one: sql`1` })
          .from(t.services)
          .where(and(eq(t.services.categoryId, cat.id), eq(t.services.isActive, true))),
      ),
    )
    .orderBy(asc(cat.position), asc(cat.name), asc(cat.id));
}

/** The columns of a public service row (the staff as one JSON array, by name). */
function serviceColumns({ t }: Pick<Scope, "t">) {
  const s = t.services;
  const ss = t.serviceStaff;
  const st = t.staff;
  const cat = t.serviceCategories;
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    duration_min: s.durationMin,
    price_minor: s.priceMinor,
    currency: s.currency,
    capacity: s.capacity,
    category_id: cat.id,
    category_name: cat.name,
    staff: sql<
      PublicService["staff"]
    >`coalesce((select json_agg(json_build_object('id', ${st.id}, 'display_name', ${st.displayName}) order by ${st.displayName}, ${st.id}) from ${ss} join ${st} on ${st.id} = ${ss.staffId} where ${ss.serviceId} = ${s.id} and ${st.isActive}), '[]'::json)`,
  };
}

/** By category position (uncategorised last), then the services' own order inside it, then name. */
const serviceOrder = ({ t }: Pick<Scope, "t">) => [
  sql`${t.serviceCategories.position} asc nulls last`,
  asc(t.serviceCategories.name),
  asc(t.serviceCategories.id),
  asc(t.services.position),
  asc(t.services.name),
  asc(t.services.id),
];

type ServiceRow = Omit<PublicService, "category"> & { category_id: string | null; category_name: string | null };

function toPublicService({ category_id, category_name, ...r }: ServiceRow): PublicService {
  return { ...r, category: category_id ? { id: category_id, name: category_name! } : null };
}

/** Active services (of one category when given) by category position (uncategorised last), then their own order. */
export async function publicServices(scope: Scope, filter: { categoryId?: string } = {}): Promise<PublicService[]> {
  const { t, db } = scope;
  const s = t.services;
  const cat = t.serviceCategories;
  const rows = await db
    .select(serviceColumns(scope))
    .from(s)
    .leftJoin(cat, eq(cat.id, s.categoryId))
    .where(and(eq(s.isActive, true), filter.categoryId ? eq(s.categoryId, filter.categoryId) : undefined))
    .orderBy(...serviceOrder(scope));
  return rows.map(toPublicService);
}

/**
 * The booking start page's read, ONE statement: the active services (as
 * `publicServices`) and the tenant's page settings (`public.tenant_config`).
 * The services are left-joined to a one-row source carrying the settings, so
 * a business without services still gets its row (and its branding).
 */
export async function publicServicesAndConfig(scope: Scope, tenantId: string): Promise<{ config: unknown; services: PublicService[] }> {
  const { t, db } = scope;
  const s = t.services;
  const cat = t.serviceCategories;
  const rows = await db
    .select({
      config: sql<unknown>`(select ${tenantConfig.settings} from ${tenantConfig} where ${tenantConfig.tenantId} = ${tenantId}::uuid)`,
      ...serviceColumns(scope),
    })
    .from(sql`(select 1) as one`)
    .leftJoin(s, eq(s.isActive, true))
    .leftJoin(cat, eq(cat.id, s.categoryId))
    .orderBy(...serviceOrder(scope));
  const services = rows.filter((r) => r.id !== null).map(({ config: _, ...r }) => toPublicService(r as ServiceRow));
  return { config: rows[0]?.config ?? null, services };
}

/** Active staff (only those performing an active `serviceId` when given), by name. */
export async function publicStaff({ t, db }: Scope, filter: { serviceId?: string } = {}) {
  const st = t.staff;
  const ss = t.serviceStaff;
  const performs = filter.serviceId
    ? exists(
        db
          .select({ one: sql`1` })
          .from(ss)
          .innerJoin(t.services, eq(t.services.id, ss.serviceId))
          .where(and(eq(ss.staffId, st.id), eq(ss.serviceId, filter.serviceId), eq(t.services.isActive, true))),
      )
    : undefined;
  return db
    .select({ id: st.id, display_name: st.displayName })
    .from(st)
    .where(and(eq(st.isActive, true), performs))
    .orderBy(asc(st.displayName), asc(st.id));
}
