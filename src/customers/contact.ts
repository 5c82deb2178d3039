/**
 * Normalising customer contact details so that uniqueness per tenant means
 * something: the same person typing `Sara@Mail.ma ` or `06 12 34 56 78` must
 * land on the same customer row. Pure functions; a bad value throws the API's
 * 422 problem naming the field, so callers (staff-side customers, public
 * booking creation) report it the same way.
 */
import { ApiError } from "../http/problem";

const MAX_EMAIL = 254;
// Deliberately simple: one @, no spaces, a dot in the domain, no empty labels.
const EMAIL_PATTERN = /^[^\s@"(),:;<>[\]\\]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/** E.164: +, a non-zero country code digit, 7..15 digits in all. */
export const E164_PATTERN = /^\+[1-9][0-9]{6,14}$/;

interface CountryRule {
  callingCode: string;
  /** Digits after the trunk prefix `0` in national form (and after the calling code in international form). */
  nationalDigits: number;
}

/** Countries whose national form (leading 0) we accept; others must send +… */
const COUNTRIES: Record<string, CountryRule> = {
  MA: { callingCode: "212", nationalDigits: 9 },
  FR: { callingCode: "33", nationalDigits: 9 },
  ES: { callingCode: "34", nationalDigits: 9 },
  BE: { callingCode: "32", nationalDigits: 9 },
};

function invalid(field: string, message: string): ApiError {
  return new ApiError("validation_failed", "Some fields are invalid.", { errors: [{ field, message }] });
}

/** Reason the email is unacceptable, or null. */
export function emailProblem(input: string): string | null {
  const email = input.trim().toLowerCase();
  if (!email) return "Enter an email address.";
  if (email.length > MAX_EMAIL) return `An email address has at most ${MAX_EMAIL} characters.`;
  if (!EMAIL_PATTERN.test(email) || email.includes("..")) return "Enter a valid email address.";
  return null;
}

/** Trimmed, lower-cased, validated email; throws 422 naming `field` otherwise. */
export function normaliseEmail(input: string, field = "email"): string {
  const problem = emailProblem(input);
  if (problem) throw invalid(field, problem);
  return input.trim().toLowerCase();
}

/** The E.164 form of `input`, or null when it cannot be read as a phone number. */
export function tryNormalisePhone(input: string, defaultCountry = "MA"): string | null {
  // Separators people type: spaces, dots, dashes, slashes, parentheses; "(0)" after a
  // calling code is the trunk prefix some write in international form.
  let s = input.trim().replace(/\(0\)/g, "").replace(/[\s.\-/()]/g, "");
  if (s.startsWith("00")) s = `+${s.slice(2)}`;
  if (!/^\+?[0-9]+$/.test(s)) return null;

  if (!s.startsWith("+")) {
    const rule = COUNTRIES[defaultCountry.toUpperCase()];
    if (!rule || !s.startsWith("0") || s.length !== rule.nationalDigits + 1) return null;
    s = `+${rule.callingCode}${s.slice(1)}`;
  }
  // Where we know the numbering plan, hold the number to it (+212 followed by 9 digits).
  for (const rule of Object.values(COUNTRIES)) {
    if (s.startsWith(`+${rule.callingCode}`)) {
      let national = s.slice(rule.callingCode.length + 1);
      if (national.length === rule.nationalDigits + 1 && national.startsWith("0")) national = national.slice(1);
      if (national.length !== rule.nationalDigits || national.startsWith("0")) return null;
      s = `+${rule.callingCode}${national}`;
      break;
    }
  }
  return E164_PATTERN.test(s) ? s : null;
}

/**
 * E.164 phone number. Accepts national forms of `defaultCountry` (Morocco:
 * 0612345678 → +212612345678), `00` international prefixes and +… numbers,
 * with the usual separators; throws 422 naming `field` otherwise.
 */
export function normalisePhone(input: string, defaultCountry = "MA", field = "phone"): string {
  const phone = tryNormalisePhone(input, defaultCountry);
  if (!phone) {
    throw invalid(field, "Enter a valid phone number: international (+212612345678) or Moroccan national (0612345678).");
  }
  return phone;
}
