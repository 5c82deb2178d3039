/**
 * Normalising customer contact details so that uniqueness per tenant means
 * something: the same person typing `Sara@Mail.ma ` or `06 12 34 56 78` must
 * land on the same customer row. Pure functions shared by every feature that
 * takes contact details (customers, staff, bookings, users); a bad value throws
 * InvalidInput naming the field, so callers report it the same way.
 */
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/min";
import { DEFAULT_COUNTRY, isPhoneCountry } from "./country";
import { InvalidInput } from "./errors";

const MAX_EMAIL = 254;
const MAX_PHONE_INPUT = 40;
// Deliberately simple: one @, no spaces, a dot in the domain, no empty labels.
const EMAIL_PATTERN = /^[^\s@"(),:;<>[\]\\]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/** E.164: +, a non-zero country code digit, 7..15 digits in all. */
export const E164_PATTERN = /^\+[1-9][0-9]{6,14}$/;

export function phoneCountryOf(tenant: { country?: string | null }): CountryCode {
  const code = tenant.country ?? DEFAULT_COUNTRY;
  return (isPhoneCountry(code) ? code : DEFAULT_COUNTRY) as CountryCode;
}

function invalid(field: string, message: string): InvalidInput {
  return new InvalidInput([{ field, message }]);
}

/** Reason the email is unacceptable, or null. */
export function emailProblem(input: string): string | null {
  const email = input.trim().toLowerCase();
  if (!email) return "Enter an email address.";
  if (email.length > MAX_EMAIL) return `An email address has at most ${MAX_EMAIL} characters.`;
  if (!EMAIL_PATTERN.test(email) || email.includes("..") || /[\u0000-\u001f\u007f]/.test(email)) return "Enter a valid email address.";
  return null;
}

/** Trimmed, lower-cased, validated email; throws 422 naming `field` otherwise. */
export function normaliseEmail(input: string, field = "email"): string {
  const problem = emailProblem(input);
  if (problem) throw invalid(field, problem);
  return input.trim().toLowerCase();
}

/**
 * The E.164 form of `input`, or null when it is not a valid number (by the
 * numbering plan of its country, libphonenumber's metadata). National forms
 * (0612345678) are read in `defaultCountry`; `00` and `+` forms in any country.
 */
export function tryNormalisePhone(input: string, defaultCountry: string = DEFAULT_COUNTRY): string | null {
  const text = input.trim();
  // Letters other than an extension marker are typos, not separators; extensions cannot be stored.
  if (!text || text.length > MAX_PHONE_INPUT || !/^[0-9+\s.\-/()]+$/.test(text)) return null;
  const country = defaultCountry.toUpperCase();
  const phone = parsePhoneNumberFromString(text, isPhoneCountry(country) ? { defaultCountry: country as CountryCode } : {});
  if (!phone?.isValid()) return null;
  return E164_PATTERN.test(phone.number) ? phone.number : null;
}

/**
 * E.164 phone number. Accepts national forms of `defaultCountry` (the
 * business's country: for Morocco 0612345678 → +212612345678), `00`
 * international prefixes and +… numbers, with the usual separators; throws 422
 * naming `field` otherwise.
 */
export function normalisePhone(input: string, defaultCountry: string = DEFAULT_COUNTRY, field = "phone"): string {
  const phone = tryNormalisePhone(input, defaultCountry);
  if (!phone) {
    throw invalid(field, "Enter a valid phone number: international (+212612345678) or national (0612345678).");
  }
  return phone;
}
