/**
 * One typed way to write SQL: every runtime statement is built with drizzle
 * (the query builder, or its `sql` template over the table objects) so values
 * travel as bind parameters and a renamed column fails `tsc`. This test reads
 * the source and refuses the old ways back in: the literal inliner, raw
 * `.query("…")` strings, hand-quoted schema names, SQL text assembled from
 * `${…}` in untagged templates or with `+`, and `sql.raw` of anything but a
 * constant.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("..", import.meta.url).pathname;

/**
 * The only places allowed raw SQL text: applying migration files and the DDL
 * that creates/renames a tenant schema (identifiers checked by
 * `assertSchemaName`, no user values), and the schema-name quoting itself.
 */
const RAW_SQL_ALLOWED = new Set([
  "src/db/migrations/migrator.ts",
  "src/db/migrations/bundle.generated.ts",
  "src/db/schema-name.ts",
  "src/tenancy/naming.ts",
  // BEGIN / COMMIT / ROLLBACK of the one interactive-transaction helper (constant text).
  "src/db/client.ts",
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const files = sourceFiles(join(ROOT, "src")).map((path) => ({ file: relative(ROOT, path), text: readFileSync(path, "utf8") }));

/** `file:line: text` of every line matching `pattern` outside the allowed files. */
function offenders(pattern: RegExp, allowed: ReadonlySet<string> = RAW_SQL_ALLOWED): string[] {
  const found: string[] = [];
  for (const { file, text } of files) {
    if (allowed.has(file)) continue;
    text.split("\n").forEach((line, i) => {
      if (pattern.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  return found;
}

const STATEMENT = /\b(SELECT\b[\s\S]*\bFROM|INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM)\b/i;

interface Template {
  /** The tag right before the backtick (`sql`, `db.sql`…), "" when untagged. */
  tag: string;
  /** The literal's own text, without its ${…} parts. */
  text: string;
  substitutions: number;
  line: number;
}

/**
 * Every template literal of a source file, nested ones included, with its tag:
 * a small scanner that skips strings and comments and follows ${…} nesting
 * (a regular expression cannot pair the backticks of nested templates).
 */
function templateLiterals(source: string): Template[] {
  const found: Template[] = [];
  let i = 0;
  const lineAt = (at: number) => source.slice(0, at).split("\n").length;
  const tagBefore = (at: number) => {
    let j = at - 1;
    while (j >= 0 && /\s/.test(source[j]!)) j--;
    if (source[j] === ">") {
      // A generic argument: sql<string[]>`…`
      let depth = 0;
      for (; j >= 0; j--) {
        if (source[j] === ">") depth++;
        else if (source[j] === "<" && --depth === 0) break;
      }
      j--;
    }
    const end = j + 1;
    while (j >= 0 && /[\w.$]/.test(source[j]!)) j--;
    return source.slice(j + 1, end);
  };
  const skipString = (quote: string) => {
    i++;
    while (i < source.length && source[i] !== quote) i += source[i] === "\\" ? 2 : 1;
    i++;
  };
  // Scans code until the closing brace of a ${…} (depth 0) or the end of the file.
  const code = (inSubstitution: boolean) => {
    let depth = 0;
    while (i < source.length) {
      const ch = source[i]!;
      if (ch === "/" && source[i + 1] === "/") i = source.indexOf("\n", i) === -1 ? source.length : source.indexOf("\n", i);
      else if (ch === "/" && source[i + 1] === "*") i = source.indexOf("*/", i + 2) + 2 || source.length;
      else if (ch === '"' || ch === "'") skipString(ch);
      else if (ch === "`") template();
      else if (ch === "{") {
        depth++;
        i++;
      } else if (ch === "}") {
        if (inSubstitution && depth === 0) return;
        depth--;
        i++;
      } else i++;
    }
  };
  const template = () => {
    const start = i;
    const entry: Template = { tag: tagBefore(start), text: "", substitutions: 0, line: lineAt(start) };
    found.push(entry);
    i++;
    while (i < source.length && source[i] !== "`") {
      if (source[i] === "\\") {
        entry.text += source.slice(i, i + 2);
        i += 2;
      } else if (source[i] === "$" && source[i + 1] === "{") {
        entry.substitutions++;
        entry.text += " ? ";
        i += 2;
        code(true);
        i++; // the closing brace
      } else entry.text += source[i++];
    }
    i++;
  };
  code(false);
  return found;
}

describe("SQL in the source", () => {
  it("reads the whole source tree", () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it("tells an untagged SQL template from drizzle's tagged one, nested templates included", () => {
    const sample = [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text the scanner reads, not a template
      "const a = `SELECT * FROM x WHERE id = ${id}`;",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text the scanner reads, not a template
      "const b = sql`SELECT ${t.id} FROM ${t} WHERE ${t.key} = ${`k:${id}`} AND ${flag ? sql`1` : sql`2`}`;",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text the scanner reads, not a template
      "const c = sql<string[]>`select array_agg(${t.id}) from ${t}`; // `UPDATE x SET y = ${z}` in a comment",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text the scanner reads, not a template
      "const d = `Pick a time from the list, ${name}`;",
    ].join("\n");
    const flagged = templateLiterals(sample).filter((x) => x.tag !== "sql" && x.substitutions && STATEMENT.test(x.text));
    expect(flagged.map((x) => x.line)).toEqual([1]);
    expect(templateLiterals(sample).map((x) => x.tag)).toEqual(["", "sql", "", "sql", "sql", "sql", ""]);
  });

  it("has no literal inliner left", () => {
    expect(offenders(/\b(inlineParams|escapeLiteral)\b/, new Set())).toEqual([]);
  });

  it("runs no SQL text through a driver's query(): statements are drizzle's", () => {
    // (Hono's `c.req.query("name")` reads the URL's query string: not SQL.)
    expect(offenders(/(?<!req)\.query\(\s*[`'"]/)).toEqual([]);
    expect(offenders(/\.query\(\s*(text|sql|statement|query)\b/)).toEqual([]);
  });

  it("never quotes a schema by hand or names public tables in strings", () => {
    expect(offenders(/\bquoteSchema\(/)).toEqual([]);
    expect(offenders(/["'`][^"'`]*\\?"public\\?"\./)).toEqual([]);
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: source text the scanner reads, not a template
  it("builds no SQL text from values: no ${…} in untagged SQL templates, no + concatenation of SQL", () => {
    const untaggedTemplate = [];
    for (const { file, text } of files) {
      if (RAW_SQL_ALLOWED.has(file)) continue;
      for (const template of templateLiterals(text)) {
        // drizzle's `sql` tag turns every ${…} into a bind parameter (or a nested, typed fragment).
        if (template.tag === "sql" || template.tag.endsWith(".sql")) continue;
        if (!template.substitutions) continue;
        // Prose in messages mentions "from" or "select"; SQL text has a statement shape.
        if (!STATEMENT.test(template.text)) continue;
        untaggedTemplate.push(`${file}:${template.line}: ${template.text.slice(0, 60).replace(/\s+/g, " ")}`);
      }
    }
    expect(untaggedTemplate).toEqual([]);
    expect(offenders(/["'](\s*(SELECT|INSERT|UPDATE|DELETE|WHERE|AND)\b[^"']*)["']\s*\+/i)).toEqual([]);
  });

  it("passes only constant text to sql.raw", () => {
    expect(offenders(/sql\.raw\(\s*(?![`'"][^`'"$]*[`'"]\s*\))/)).toEqual([]);
  });
});
