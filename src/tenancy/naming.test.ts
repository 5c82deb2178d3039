import { describe, expect, it } from "vitest";
import { assertSchemaName, normaliseHost, quoteSchema, schemaNameForSlug, validateDomain, validateSlug } from "./naming";

describe("tenant naming rules", () => {
  it("maps a slug to its schema one-to-one", () => {
    expect(schemaNameForSlug("demo")).toBe("tenant_demo");
    expect(schemaNameForSlug("my-salon")).toBe("tenant_my_salon");
  });

  it.each([
    ['x"; drop schema public; --'],
    ["pg_catalog"],
    ["public"],
    ["Demo"],
    ["a"],
    ["my_salon"],
    ["-salon"],
    ["salon-"],
    ["sa--lon"],
    ["pg-catalog"],
    ["x".repeat(33)],
    [""],
  ])("refuses the slug %j", (slug) => {
    expect(() => validateSlug(slug)).toThrow();
    expect(() => schemaNameForSlug(slug)).toThrow();
  });

  it.each([["public"], ["pg_catalog"], ['tenant_x"; drop'], ["tenant_"], ["Tenant_demo"], ["information_schema"]])(
    "refuses the schema name %j before it can reach SQL",
    (name) => {
      expect(() => assertSchemaName(name)).toThrow(/unsafe schema name/);
      expect(() => quoteSchema(name)).toThrow();
    },
  );

  it("normalises hosts: case, port, trailing dot", () => {
    expect(normaliseHost("Demo.LocalHost:8787")).toBe("demo.localhost");
    expect(normaliseHost("salon.ma.")).toBe("salon.ma");
    expect(normaliseHost("[::1]:8787")).toBe("[::1]");
    expect(normaliseHost(undefined)).toBe("");
  });

  it("accepts real domains and refuses junk", () => {
    expect(validateDomain("Salon-Amal.ma")).toBe("salon-amal.ma");
    expect(validateDomain("demo.localhost")).toBe("demo.localhost");
    for (const bad of ["localhost", "-x.ma", "a..ma", "x_y.ma", "salon.ma/evil", "12.34"]) {
      expect(() => validateDomain(bad)).toThrow();
    }
  });
});
