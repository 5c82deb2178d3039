/**
 * OpenAPI-driven fuzzing: every documented operation gets junk path, query and
 * body values (NUL, huge strings, wrong types, extreme dates, negative and huge
 * numbers, bad UUIDs, nested junk, odd Unicode) as anonymous, staff, owner and
 * superuser. The server must never answer 5xx, and every 4xx must be
 * application/problem+json. Seeded, so a failure replays identically.
 */
import { describe, expect, it } from "vitest";
import { createUser, member } from "./auth-fixtures";
import { seedCatalogue } from "./fixtures/booking";
import { call, PLATFORM_HOST, useTenants } from "./harness";
import {
  concrete,
  fillPath,
  isDateLike,
  isInstantLike,
  isUuidLike,
  loadDocument,
  operations,
  pick,
  seeded,
  superuserToken,
  tenantToken,
  typeOf,
  validValue,
  type KnownIds,
  type Operation,
  type Principal,
  type Schema,
} from "./openapi-walk";

const SEED = 20261130;
const CONCURRENCY = 3;
const EXTRA_KINDS = 2;
/** Bounds the run: at most 7 requests per operation (5 as the strongest principal, 1 per other), fewer after de-duplication. */
const MAX_REQUESTS = 1000;
const KINDS = ["valid", "nul", "huge", "types", "dates", "numbers", "uuids", "nested", "unicode"] as const;
type Kind = (typeof KINDS)[number];

const BAD_DATES = ["0000-01-01", "9999-12-31", "2026-02-30", "1900-01-01", "20260-01-01"];
const BAD_INSTANTS = [
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "1000-01-01T00:00:00+14:00",
  "2026-13-01T00:00:00Z",
  "275760-09-13T00:00:00Z",
];
const BAD_NUMBERS = [-1, -2147483649, 2 ** 53 + 1, 1e308, 0.5, -0.0001];
const BAD_UUIDS = [
  "not-a-uuid",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "'; select 1;--",
  "../../etc/passwd",
];
const ODD_TEXT = ["\ud800", "\u202eevil", "😀".repeat(60), "%_\\", "' OR 1=1 --", "<script>alert(1)</script>", " ", "a\u0001b"];

function deepNest(levels: number): unknown {
  let v: unknown = "x";
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** Replaces each leaf of a valid value by junk of `kind` (per the leaf's schema). */
function mutate(doc: Schema, raw: Schema, value: unknown, kind: Kind, rand: () => number, depth = 0): unknown {
  const schema = concrete(doc, raw);
  const type = typeOf(schema);
  if (type === "object" && value && typeof value === "object" && !Array.isArray(value) && depth < 6) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = mutate(doc, schema.properties?.[key] ?? {}, item, kind, rand, depth + 1);
    if (kind === "nul") out["extra\u0000key"] = "x";
    return out;
  }
  if (type === "array" && Array.isArray(value) && depth < 6) {
    const items = value.map((item) => mutate(doc, schema.items ?? {}, item, kind, rand, depth + 1));
    return kind === "huge" ? Array.from({ length: 200 }, () => items[0]) : items;
  }
  return leaf(schema, value, kind, rand);
}

function leaf(schema: Schema, value: unknown, kind: Kind, rand: () => number): unknown {
  const type = typeOf(schema);
  switch (kind) {
    case "valid":
      return value;
    case "nul":
      return `${value ?? ""}\u0000${pick(rand, ["", "x", "\u0000"])}`;
    case "huge":
      return type === "integer" || type === "number" ? 1e300 : "x".repeat(2000);
    case "types":
      if (type === "string") return pick(rand, [12345, true, ["a"], { a: 1 }, null]);
      if (type === "integer" || type === "number") return pick(rand, ["abc", "1e5", true, [1], null]);
      if (type === "boolean") return pick(rand, ["yes", 1, null]);
      return pick(rand, ["x", 1, null]);
    case "dates":
      if (isDateLike(schema)) return pick(rand, BAD_DATES);
      if (isInstantLike(schema)) return pick(rand, BAD_INSTANTS);
      return value;
    case "numbers":
      return type === "integer" || type === "number" ? pick(rand, BAD_NUMBERS) : value;
    case "uuids":
      return isUuidLike(schema) ? pick(rand, BAD_UUIDS) : value;
    case "nested":
      return deepNest(3 + Math.floor(rand() * 30));
    case "unicode":
      return type === "string" ? pick(rand, ODD_TEXT) : value;
  }
}

/** Query/path values are text: junk of `kind` as a string (or repeated parameter for `nested`). */
function textJunk(schema: Schema, valid: string, kind: Kind, rand: () => number): string | string[] {
  const type = typeOf(schema);
  switch (kind) {
    case "valid":
      return valid;
    case "nul":
      return `${valid}\u0000`;
    case "huge":
      return "9".repeat(5000);
    case "types":
      return type === "string" ? "[object Object]" : pick(rand, ["abc", "true", "{}", "1.5", ""]);
    case "dates":
      return isDateLike(schema) ? pick(rand, BAD_DATES) : isInstantLike(schema) ? pick(rand, BAD_INSTANTS) : valid;
    case "numbers":
      return type === "integer" || type === "number" ? String(pick(rand, BAD_NUMBERS)) : valid;
    case "uuids":
      return isUuidLike(schema) ? pick(rand, BAD_UUIDS) : valid;
    case "nested":
      return [valid, pick(rand, ["a[b]=c", "", valid])];
    case "unicode":
      return pick(
        rand,
        ODD_TEXT.filter((t) => !t.includes("\ud800")),
      );
  }
}

interface Probe {
  principal: Principal;
  kind: Kind;
  host: string;
  url: string;
  init: RequestInit;
}

function hostFor(principal: Principal, op: Operation, tenantHost: string): string {
  if (principal === "superuser") return PLATFORM_HOST;
  if (principal === "anonymous") return op.host === "platform" ? PLATFORM_HOST : tenantHost;
  return tenantHost;
}

function buildProbe(
  doc: Schema,
  op: Operation,
  principal: Principal,
  kind: Kind,
  rand: () => number,
  known: KnownIds,
  tenantHost: string,
  tokens: Record<string, string>,
): Probe {
  const pathValues: Record<string, string> = {};
  const query = new URLSearchParams();
  for (const p of op.parameters) {
    const valid = String(validValue(doc, p.schema, p.name, {}));
    const junk = textJunk(concrete(doc, p.schema), valid, kind, rand);
    if (p.in === "path") pathValues[p.name] = Array.isArray(junk) ? junk.join("/") : junk;
    else if (p.in === "query") for (const v of Array.isArray(junk) ? junk : [junk]) query.append(p.name, v);
  }
  const headers: Record<string, string> = { accept: "application/json" };
  if (tokens[principal]) headers.authorization = `Bearer ${tokens[principal]}`;
  let body: string | undefined;
  if (op.body) {
    const valid = validValue(doc, op.body, "", known);
    const payload =
      kind === "nested" && rand() < 0.5
        ? pick(rand, [deepNest(300), [], null, "text", 42, [valid, valid]])
        : mutate(doc, op.body, valid, kind, rand);
    body = JSON.stringify(payload);
    headers["content-type"] = "application/json";
  }
  const qs = query.toString();
  const host = hostFor(principal, op, tenantHost);
  return {
    principal,
    kind,
    host,
    url: `${fillPath(op.path, pathValues)}${qs ? `?${qs}` : ""}`,
    init: { method: op.method, headers, body },
  };
}

function shuffled<T>(items: T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

describe("OpenAPI fuzz", () => {
  const tenants = useTenants();

  it("never answers 5xx and answers every 4xx as problem+json, for every operation, principal and kind of junk", async () => {
    const catalogue = await seedCatalogue(tenants.a);
    const [owner, staff, superuser] = [
      await member(tenants.a.id, "owner"),
      await member(tenants.a.id, "staff"),
      await createUser({ superuser: true }),
    ];
    const tokens: Record<string, string> = {
      owner: await tenantToken(tenants.a.id, owner.id, "owner"),
      staff: await tenantToken(tenants.a.id, staff.id, "staff"),
      superuser: await superuserToken(superuser.id),
    };
    const known: KnownIds = { service_id: catalogue.serviceId, staff_id: catalogue.staffA.id, resource_id: catalogue.roomId };
    const doc = await loadDocument();
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(40);

    const rand = seeded(SEED);
    const probes: (Probe & { op: Operation })[] = [];
    const seen = new Set<string>();
    for (const op of ops) {
      const primary: Principal = op.host === "platform" ? "superuser" : "owner";
      // Every operation gets valid and NUL input; two more kinds are drawn per operation (seeded),
      // so each kind still reaches dozens of operations while the run stays bounded.
      const drawn = shuffled(
        KINDS.filter((k) => k !== "valid" && k !== "nul"),
        rand,
      ).slice(0, EXTRA_KINDS);
      const candidates = (["valid", "nul", ...drawn] as Kind[]).map((kind) =>
        buildProbe(doc, op, primary, kind, rand, known, tenants.a.domain, tokens),
      );
      for (const other of ["anonymous", "staff", "owner", "superuser"] as Principal[]) {
        if (other !== primary) candidates.push(buildProbe(doc, op, other, pick(rand, KINDS), rand, known, tenants.a.domain, tokens));
      }
      for (const probe of candidates) {
        // A kind of junk with nowhere to go (no such field) repeats another request: send it once.
        const key = `${probe.principal} ${probe.host} ${probe.init.method} ${probe.url} ${probe.init.body ?? ""}`;
        if (!seen.has(key)) probes.push({ ...probe, op }), seen.add(key);
      }
    }
    expect(probes.length).toBeLessThan(MAX_REQUESTS);
    for (const kind of KINDS) expect(probes.filter((p) => p.kind === kind).length, kind).toBeGreaterThan(10);

    const failures: string[] = [];
    const started = Date.now();
    await inParallel(probes, CONCURRENCY, async (probe) => {
      const res = await call(probe.host, probe.url, probe.init);
      const type = res.headers.get("content-type") ?? "";
      const text = await res.text();
      if (res.status >= 500 || (res.status >= 400 && type !== "application/problem+json")) {
        failures.push(
          `${probe.op.method} ${probe.op.path} [${probe.principal}/${probe.kind}] ${probe.url.slice(0, 120)} → ${res.status} ${type} ${text.slice(0, 200)}`,
        );
      }
    });
    console.log(`fuzz: ${ops.length} operations, ${probes.length} requests, ${Date.now() - started} ms`);
    expect(failures).toEqual([]);
  }, 600_000);
});
