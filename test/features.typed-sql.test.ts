/// <reference types="vite/client" />
/**
 * One typed way to write SQL (issue 11) in the catalogue, customers,
 * settings, notify, jobs and demo code: every statement is built with drizzle
 * over the table objects, never as text, and runs on a drizzle handle.
 */
import { describe, expect, it } from "vitest";

describe("one typed way to write SQL in catalogue, customers, settings, notify, jobs and the demo seed", () => {
  const sources = import.meta.glob(
    [
      "../src/catalogue/*.ts",
      "../src/customers/*.ts",
      "../src/settings/*.ts",
      "../src/notify/*.ts",
      "../src/jobs/*.ts",
      "../src/demo/*.ts",
      // The public catalogue is converted with the availability path.
      "!../src/catalogue/public.*.ts",
    ],
    { query: "?raw", import: "default", eager: true },
  ) as Record<string, string>;

  it("builds no SQL text by hand: no .query() with text, no quoteSchema, no literal inliner, no public-schema literals, no raw driver", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(30);
    const offenders = Object.entries(sources).flatMap(([file, text]) =>
      [
        /\.query\(/,
        /quoteSchema/,
        /inlineParams|escapeLiteral|sql-util/,
        /"public"\./,
        /sql\.raw\(/,
        /@neondatabase\/serverless/,
        // A plain template literal (not drizzle's sql`…`) that starts like a statement is SQL text built by hand.
        /(?<!sql)`\s*(SELECT|WITH|INSERT|UPDATE|DELETE)\s/,
      ]
        .filter((pattern) => pattern.test(text))
        .map((pattern) => `${file}: ${pattern}`),
    );
    expect(offenders).toEqual([]);
  });

  it("opens no interactive transaction on the request's HTTP handle", () => {
    const offenders = Object.entries(sources)
      .filter(([, text]) => /\.transaction\(/.test(text) || /get\("database"\)\.(client|db)\(/.test(text))
      .map(([file]) => file);
    expect(offenders).toEqual([]);
  });
});
