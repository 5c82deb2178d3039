/**
 * The CLI's commands: thin wrappers over the code the Worker runs. Each `run`
 * imports what it needs when it starts, so `--help` and refused flags never
 * evaluate the driver, drizzle or zod (a third of the CLI's start-up).
 */
import type { Locale } from "../src/domain/locales";
import type { ParseArgsConfig } from "node:util";
import type { DbConfig } from "../src/db/client";
import { emailProblem } from "../src/domain/contact";
import { createInterface } from "node:readline/promises";
import { explain, integerFlag, requireFlags, stringFlag, usage, type Values } from "./flags";

export interface Command {
  help: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  /** Flag checks that need no database; throws a usage error (exit 2). */
  check?(values: Values): void;
  /** False only for the command that creates the shared schema. */
  needsSharedSchema?(values: Values): boolean;
  run(values: Values, db: DbConfig): Promise<number>;
}

const CONCURRENCY = { min: 1, max: 64, fallback: 4 };

const migrate: Command = {
  help: `npm run cli -- migrate [--shared] [--tenant <slug>] [--concurrency <n>]

  --shared          apply the shared (public schema) migrations only
  --tenant <slug>   migrate one tenant
  --concurrency n   tenants migrated at once (default 4)

Without --shared: every tenant whose recorded version is behind (one query finds them).
Exits 1 when any tenant failed; failures are recorded in tenant_migration_state.`,
  options: { shared: { type: "boolean" }, tenant: { type: "string" }, concurrency: { type: "string" } },
  check(values) {
    if (values.shared && values.tenant !== undefined) throw usage("--shared and --tenant cannot be combined");
    integerFlag(values, "concurrency", CONCURRENCY);
  },
  needsSharedSchema: (values) => !values.shared,
  async run(values, db) {
    const { connect, toDrizzle, withClient } = await import("../src/db/client");
    const { migrateAllTenants, migrateShared, tenantsBehind } = await import("../src/db/migrations/migrator");
    const { findTenantBySlug } = await import("../src/tenancy/queries");
    if (values.shared) {
      const applied = await withClient(db, (c) => migrateShared(c));
      console.log(applied.length ? `applied ${applied.join(", ")}` : "shared schema is up to date");
      return 0;
    }
    const slug = stringFlag(values, "tenant");
    const { tenants, refusal } = await withClient(db, async (c) => {
      const behind = await tenantsBehind(c, { slug });
      if (slug === undefined || behind.length) return { tenants: behind, refusal: null };
      const tenant = await findTenantBySlug(toDrizzle(c), slug);
      if (!tenant) return { tenants: behind, refusal: `no tenant with --tenant ${slug} (\`npm run cli -- tenant list\` shows them)` };
      return {
        tenants: behind,
        refusal: tenant.status === "archived" ? `tenant ${slug} is archived: archived tenants are not migrated` : null,
      };
    });
    if (refusal) {
      console.error(refusal);
      return 1;
    }
    if (!tenants.length) {
      console.log(slug ? `tenant ${slug} is up to date` : "all tenants are up to date");
      return 0;
    }
    const started = Date.now();
    const results = await migrateAllTenants(() => connect(db), {
      tenants,
      concurrency: integerFlag(values, "concurrency", CONCURRENCY),
      onProgress: (done, total, r) =>
        console.log(
          `${done}/${total} tenants  ${r.tenant.slug}: ${r.error ? "FAILED" : r.applied.length ? r.applied.join(", ") : "up to date"}`,
        ),
    });
    const failed = results.filter((r) => r.error);
    console.log(`migrated ${results.length - failed.length}/${results.length} tenants in ${Date.now() - started} ms`);
    for (const f of failed) console.error(`  failed: ${f.tenant.slug}: ${f.error}`);
    return failed.length ? 1 : 0;
  },
};

const tenantCreate: Command = {
  help: `npm run cli -- tenant create --slug <slug> --name <name> --domain <domain> --email <contact>
                              [--timezone Africa/Casablanca] [--locale fr|ar|en] [--currency MAD] [--country MA]

Creates the tenant row, its primary domain, config, lifecycle entry, its schema and
all tenant migrations in one transaction: on any failure nothing is left behind.`,
  options: {
    slug: { type: "string" },
    name: { type: "string" },
    domain: { type: "string" },
    email: { type: "string" },
    timezone: { type: "string" },
    locale: { type: "string" },
    currency: { type: "string" },
    country: { type: "string" },
  },
  check: (v) => requireFlags(v, ["slug", "name", "domain", "email"]),
  async run(v, db) {
    const { withClient } = await import("../src/db/client");
    const { provisionTenant } = await import("../src/tenancy/provision");
    try {
      const tenant = await withClient(db, (c) =>
        provisionTenant(
          c,
          {
            slug: String(v.slug ?? ""),
            name: String(v.name ?? ""),
            domain: String(v.domain ?? ""),
            contactEmail: String(v.email ?? ""),
            timeZone: v.timezone as string | undefined,
            locale: v.locale as Locale | undefined,
            currency: v.currency as string | undefined,
            country: v.country as string | undefined,
          },
          "cli",
        ),
      );
      console.log(`created tenant ${tenant.slug} (${tenant.id}) in schema ${tenant.schemaName}, served at ${v.domain}`);
      return 0;
    } catch (error) {
      console.error(explain(error, "could not create the tenant", { contactEmail: "email", timeZone: "timezone" }));
      return 1;
    }
  },
};

const tenantList: Command = {
  help: `npm run cli -- tenant list\n\nLists every tenant with status, domains and migration state.`,
  options: {},
  async run(_v, db) {
    const { withClient } = await import("../src/db/client");
    const { listTenantsForCli } = await import("../src/platform/platform.service");
    const rows = await withClient(db, (c) => listTenantsForCli(c));
    if (!rows.length) console.log("no tenants yet");
    for (const r of rows) {
      console.log(`${r.slug}\t${r.status}\tv${r.version}\t${r.domains}${r.lastError ? `\tlast error: ${r.lastError}` : ""}`);
    }
    return 0;
  },
};

const seedDemo: Command = {
  help: `npm run cli -- seed demo [--domain demo.localhost]\n\nCreates the demo tenant if missing and gives it a small catalogue (idempotent).`,
  options: { domain: { type: "string" } },
  async run(v, db) {
    const { withClient } = await import("../src/db/client");
    const { ensureDemoTenant } = await import("../src/demo/seed");
    const result = await withClient(db, (c) => ensureDemoTenant(c, { domain: (v.domain as string) ?? "demo.localhost" }));
    console.log(result.created ? `created demo tenant at ${result.domain}` : `demo tenant already exists at ${result.domain}`);
    if (result.seeded) console.log("seeded the demo catalogue");
    return 0;
  },
};

async function askPassword(): Promise<string> {
  if (!process.stdin.isTTY) throw new Error("give --password or BOOKME_SUPERUSER_PASSWORD (stdin is not a terminal)");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question("Password: ");
  } finally {
    rl.close();
  }
}

const createsuperuser: Command = {
  help: `npm run cli -- createsuperuser --email <email> [--password <password>] [--name <display name>]

Creates a platform superuser, or promotes an existing user and sets the password.
The password may also come from BOOKME_SUPERUSER_PASSWORD, or is asked for on a terminal.
Superusers log in on the platform host (POST /api/auth/login).`,
  options: { email: { type: "string" }, password: { type: "string" }, name: { type: "string" } },
  check(v) {
    requireFlags(v, ["email"]);
    const problem = emailProblem(String(v.email));
    if (problem) throw usage(`--email: ${problem}`);
  },
  async run(v, db) {
    const { withClient } = await import("../src/db/client");
    const { createSuperuser } = await import("../src/auth/users");
    const password = (v.password as string | undefined) ?? process.env.BOOKME_SUPERUSER_PASSWORD ?? (await askPassword());
    try {
      const user = await withClient(db, (c) =>
        createSuperuser(c, { email: String(v.email ?? ""), password, displayName: v.name as string | undefined }),
      );
      console.log(`superuser ${user.email} (${user.id}) is ready`);
      return 0;
    } catch (error) {
      console.error(explain(error, "could not create the superuser", { displayName: "name" }));
      return 1;
    }
  },
};

export const commands: Record<string, Command> = {
  createsuperuser,
  migrate,
  "tenant create": tenantCreate,
  "tenant list": tenantList,
  "seed demo": seedDemo,
};
