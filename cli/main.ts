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
import { openDatabaseTarget } from "../infra/database-target";
import { commands } from "./commands";

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
`;

async function main(argv: string[]): Promise<number> {
  const words = argv.filter((a) => !a.startsWith("-"));
  const name = words[0] === "tenant" || words[0] === "seed" ? `${words[0]} ${words[1] ?? ""}`.trim() : words[0];
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.log(HELP);
    return name && name !== "help" ? 2 : argv.includes("--help") || !name ? 0 : 2;
  }
  const rest = argv.filter((a) => a !== words[0] && !(name.includes(" ") && a === words[1]));
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: "boolean" } }, strict: true, allowPositionals: false });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${command.help}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(command.help);
    return 0;
  }
  const target = await openDatabaseTarget();
  try {
    console.error(`bookme: using ${target.describe}`);
    return await command.run(parsed.values as Record<string, string | boolean | undefined>, target.config);
  } finally {
    await target.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`bookme: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
