/**
 * bookme admin CLI (Node). Talks to DATABASE_URL with the same driver and the
 * same migration/provisioning code as the Worker.
 *
 *   npm run cli -- migrate --shared
 *   npm run cli -- migrate [--tenant slug] [--concurrency 8]
 *   npm run cli -- tenant create --slug demo --name "Demo Company" --domain demo.localhost --email demo@test.com
 *   npm run cli -- tenant list
 *   npm run cli -- createsuperuser --email admin@bookme.ma [--password …]
 *   npm run cli -- seed demo
 */
import { parseArgs } from "node:util";
import { commands } from "./commands";
import { assertReachable, assertSharedSchema, CliError, databaseAddress } from "./preflight";

const HELP = `bookme — admin CLI

Usage: npm run cli -- <command> [options]      (--help after a command for its options)

Commands:
  migrate --shared        apply shared (public schema) migrations
  migrate                 bring every tenant schema to the latest tenant migration
  tenant create           create a tenant with its schema and primary domain (all or nothing)
  tenant list             list tenants with status, domains and migration state
  createsuperuser         create (or promote) a platform superuser
  seed demo               make sure the demo tenant exists and has a catalogue

Environment:
  DATABASE_URL            Postgres/Neon connection string (default: the database of a running \`npm run dev\`)

Exit status: 0 done, 1 failed (database unreachable, schema missing, a tenant failed…), 2 bad command line.
`;

/** The command's words (`migrate`, `tenant create`) and the flags after them. */
function split(argv: string[]): { name?: string; rest: string[] } {
  const word = (i: number) => (argv[i] !== undefined && !argv[i].startsWith("-") ? argv[i] : undefined);
  const first = word(0);
  if (!first) return { rest: argv };
  const second = first === "tenant" || first === "seed" ? word(1) : undefined;
  return second ? { name: `${first} ${second}`, rest: argv.slice(2) } : { name: first, rest: argv.slice(1) };
}

async function main(argv: string[]): Promise<number> {
  const { name, rest } = split(argv);
  const command = name ? commands[name] : undefined;
  if (!command) {
    if (!name || name === "help") {
      console.log(HELP);
      return 0;
    }
    console.error(`unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: "boolean" } }, strict: true, allowPositionals: false });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${command.help}`);
    return 2;
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    console.log(command.help);
    return 0;
  }
  try {
    command.check?.(values);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    console.error(`${error.message}\n\n${command.help}`);
    return error.exitCode;
  }
  // A malformed URL is named as such before anything tries to parse it.
  if (process.env.DATABASE_URL) databaseAddress(process.env.DATABASE_URL);
  // The driver, drizzle and zod load only now: `--help` and refused flags stay instant.
  const { isNeonHost, openDatabaseTarget } = await import("../infra/database-target");
  const { toDrizzle, withClient } = await import("../src/db/client");
  const target = await openDatabaseTarget();
  try {
    console.error(`bookme: using ${target.describe}`);
    const address = databaseAddress(target.config.databaseUrl);
    if (!isNeonHost(address.host)) await assertReachable(address);
    if (command.needsSharedSchema?.(values) ?? true) await withClient(target.config, (c) => assertSharedSchema(toDrizzle(c)));
    return await command.run(values, target.config);
  } finally {
    await target.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`bookme: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof CliError ? error.exitCode : 1);
  },
);
