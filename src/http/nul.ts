/**
 * Postgres text cannot hold U+0000: a NUL that reaches a query fails there
 * (22021) as a 500. Every validated input (path, query, headers, body) is
 * scanned once in the router's hook so such a value is refused as a 422
 * naming the field, whatever the endpoint.
 */
import type { FieldError } from "./problem";

const MESSAGE = "Must not contain the NUL character (U+0000).";
const MAX_DEPTH = 64;

/** Dotted paths of every string (or object key) in `value` that contains a NUL. */
export function nulFields(value: unknown, path: string[] = [], depth = 0): FieldError[] {
  if (typeof value === "string") return value.includes("\u0000") ? [{ field: path.join("."), message: MESSAGE }] : [];
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH) return [];
  const errors: FieldError[] = [];
  for (const [key, item] of Object.entries(value)) {
    const at = [...path, key];
    if (key.includes("\u0000")) errors.push({ field: at.join("."), message: MESSAGE });
    else errors.push(...nulFields(item, at, depth + 1));
  }
  return errors;
}

export const hasNul = (text: string): boolean => text.includes("\u0000");
