/**
 * Password hashing with PBKDF2-SHA256 through WebCrypto (the slow KDF Workers
 * can run). Stored as `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`, so
 * the iteration count can be raised later: `needsRehash` tells login to
 * upgrade a hash when it sees an older count. Workers refuse more than 100000
 * PBKDF2 iterations, so that is the current count.
 */
import { InvalidInput, type FieldProblem } from "../domain/errors";

export const PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const PREFIX = "pbkdf2-sha256";
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

async function derive(password: string, salt: Uint8Array, iterations: number, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password.normalize("NFC")), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: salt as BufferSource, iterations }, key, bytes * 8);
  return new Uint8Array(bits);
}

/** Compares in time independent of where the first difference is. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations, HASH_BYTES);
  return `${PREFIX}$${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
}

interface ParsedHash {
  iterations: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split("$");
  if (parts.length !== 4 || parts[0] !== PREFIX) return null;
  const iterations = Number(parts[1]);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_ITERATIONS) return null;
  try {
    return { iterations, salt: fromBase64(parts[2]), hash: fromBase64(parts[3]) };
  } catch {
    return null;
  }
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const candidate = await derive(password, parsed.salt, parsed.iterations, parsed.hash.length);
  return timingSafeEqual(candidate, parsed.hash);
}

export function needsRehash(stored: string): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.iterations < PBKDF2_ITERATIONS;
}

let dummy: Promise<string> | undefined;

/**
 * Spends the same KDF time as a real check; used when the email is unknown or
 * the account has no password, so response time does not reveal which.
 */
export async function dummyVerify(password: string): Promise<false> {
  dummy ??= hashPassword("not-a-real-password-0");
  await verifyPassword(password, await dummy);
  return false;
}

/** Minimum strength: length, more than one character class, not the email. */
export function passwordProblems(password: string, email?: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (password.length > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 2) problems.push("must mix at least two of: lower-case, upper-case, digits, symbols");
  if (new Set(password).size < 4) problems.push("must not repeat the same few characters");
  if (email) {
    const lowered = password.trim().toLowerCase();
    const local = email.split("@")[0];
    if (lowered === email || lowered === local) problems.push("must not be your email address");
  }
  return problems;
}

export function assertStrongPassword(password: string, email?: string, field = "password"): void {
  const problems = passwordProblems(password, email);
  if (problems.length) {
    const errors: FieldProblem[] = problems.map((message) => ({ field, message }));
    throw new InvalidInput(errors, "The password is too weak.");
  }
}
