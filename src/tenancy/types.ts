export type { TenantContext } from "../domain/tenant";
