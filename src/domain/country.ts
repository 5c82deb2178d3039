/**
 * The business's country: national phone numbers (0612…) are read in it.
 * Set at provisioning (src/tenancy/provision.ts); the phone parsing that uses
 * it is ./contact.ts.
 */
import { isSupportedCountry, type CountryCode } from "libphonenumber-js/min";

/** The first market; used only when no business (and so no country) is known. */
export const DEFAULT_COUNTRY = "MA";

/** Whether `code` is an ISO 3166-1 alpha-2 country with a numbering plan we can read national numbers in. */
export function isPhoneCountry(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code);
}

/** The country national phone numbers of this business are read in. */
export function phoneCountryOf(tenant: { country?: string | null }): CountryCode {
  const code = tenant.country ?? DEFAULT_COUNTRY;
  return (isPhoneCountry(code) ? code : DEFAULT_COUNTRY) as CountryCode;
}
