/**
 * Walks the served OpenAPI document (`/api/schema`) for the fuzz and
 * authorization tests: every operation with its host kind and minimum role
 * (`x-host`, `x-min-role`, written from the guards themselves), a seeded
 * random source, and request values generated from each operation's schemas.
 */
import { PLATFORM_AUDIENCE, signAccessToken } from "../src/auth/tokens";
import { TEST_SECRET } from "./fixtures/booking";
import { call, PLATFORM_HOST } from "./harness";

export type Schema = Record<string, any>;

export interface Operation {
  method: string;
  /** The templated path, e.g. `/api/services/{id}`. */
  path: string;
  host: "tenant" | "platform" | "any";
  minRole: string | null;
  parameters: { name: string; in: string; required?: boolean; schema: Schema }[];
  body: Schema | null;
  bodyRequired: boolean;
}

export async function loadDocument(): Promise<Schema> {
  const res = await call(PLATFORM_HOST, "/api/schema");
  if (res.status !== 200) throw new Error(`/api/schema answered ${res.status}`);
  return (await res.json()) as Schema;
}

export function operations(doc: Schema): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<Schema>(doc.paths)) {
    for (const [method, op] of Object.entries<Schema>(item)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const json = op.requestBody?.content?.["application/json"]?.schema;
      ops.push({
        method: method.toUpperCase(),
        path,
        host: op["x-host"] ?? "any",
        minRole: op["x-min-role"] ?? null,
        parameters: (op.parameters ?? []).map((p: Schema) => resolve(doc, p)),
        body: json ? resolve(doc, json) : null,
        bodyRequired: !!op.requestBody?.required,
      });
    }
  }
  return ops;
}

export function resolve(doc: Schema, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let i = 0; i < 10 && s.$ref; i++) {
    s = s.$ref
      .slice(2)
      .split("/")
      .reduce((node: Schema, key: string) => node[key], doc);
  }
  return s;
}

/** mulberry32: the same seed gives the same requests on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)];

/** Real ids the generator may use for fields of these names, so valid-looking requests reach the handlers. */
export type KnownIds = Record<string, string>;

const DAY = 86_400_000;

export function isDateLike(schema: Schema): boolean {
  return schema.format === "date" || /\\d\{4\}-\\d\{2\}-\\d\{2\}\$/.test(schema.pattern ?? "");
}

export function isInstantLike(schema: Schema): boolean {
  return schema.format === "date-time";
}

export function isUuidLike(schema: Schema): boolean {
  return schema.format === "uuid" || (typeof schema.pattern === "string" && schema.pattern.includes("[0-9a-fA-F]{8}"));
}

/** The first non-null alternative of a union, with `allOf` merged. */
export function concrete(doc: Schema, schema: Schema): Schema {
  let s = resolve(doc, schema);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) s = concrete(doc, alternatives.find((a: Schema) => resolve(doc, a).type !== "null") ?? alternatives[0]);
  if (s.allOf) s = Object.assign({}, ...s.allOf.map((part: Schema) => concrete(doc, part)));
  return s;
}

export function typeOf(schema: Schema): string | undefined {
  const t = schema.type;
  return Array.isArray(t) ? t.find((x) => x !== "null") : t;
}

/** A plausible valid value for `schema` (examples, enums, formats, bounds), `name` hinting at known ids. */
export function validValue(doc: Schema, raw: Schema, name: string, known: KnownIds, depth = 0): unknown {
  const schema = concrete(doc, raw);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.example !== undefined && !Array.isArray(schema.example)) return schema.example;
  const type = typeOf(schema);
  if (isUuidLike(schema)) return known[name] ?? "7b0c3f9e-4a51-4c2b-9a8e-3d2f1c0e5b6a";
  if (isDateLike(schema)) return new Date(Date.now() + 3 * DAY).toISOString().slice(0, 10);
  if (isInstantLike(schema)) return new Date(Math.ceil((Date.now() + 3 * DAY) / 3_600_000) * 3_600_000).toISOString();
  if (schema.format === "email") return "fuzz@example.com";
  if (schema.format === "uri" || schema.format === "url") return "https://example.com/hook";
  switch (type) {
    case "integer":
    case "number":
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case "boolean":
      return true;
    case "array":
      return depth > 4 ? [] : [validValue(doc, schema.items ?? {}, name, known, depth + 1)];
    case "object": {
      if (depth > 4) return {};
      const out: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries<Schema>(schema.properties ?? {})) out[key] = validValue(doc, prop, key, known, depth + 1);
      return out;
    }
    case "string":
      return "Fuzz value".slice(0, Math.max(schema.maxLength ?? 10, 1));
    default:
      return "fuzz";
  }
}

export type Principal = "anonymous" | "staff" | "admin" | "owner" | "superuser";

export async function tenantToken(tenantId: string, userId: string, role: "staff" | "admin" | "owner"): Promise<string> {
  return (await signAccessToken({ current: TEST_SECRET }, { userId, audience: tenantId, role, isSuperuser: false })).token;
}

/** A platform-audience token: a superuser's, or (`superuser: false`) a plain user's. */
export async function superuserToken(userId: string, superuser = true): Promise<string> {
  return (await signAccessToken({ current: TEST_SECRET }, { userId, audience: PLATFORM_AUDIENCE, role: null, isSuperuser: superuser }))
    .token;
}

/** Fills `{name}` segments, each value percent-encoded. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? "x"));
}
