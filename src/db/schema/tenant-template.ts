// Entry point for drizzle-kit only: the tenant tables in the template schema.
import { TEMPLATE_SCHEMA, tenantTables } from "./tenant";

const tables = tenantTables(TEMPLATE_SCHEMA);
export const tenantTemplate = tables.schema;
export const settings = tables.settings;
