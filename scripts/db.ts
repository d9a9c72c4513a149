/**
 * Database tooling that works offline, without Prisma's native schema engine:
 *
 *   tsx scripts/db.ts generate              derive the PostgreSQL schema, generate both clients
 *   tsx scripts/db.ts derive                only write prisma/generated/postgresql.prisma
 *   tsx scripts/db.ts migrate               apply pending migrations to $DATABASE_URL
 *   tsx scripts/db.ts status                list applied / pending / failed migrations
 *   tsx scripts/db.ts create --name <name>  new migration for both providers from the schema diff
 *   tsx scripts/db.ts resolve --rolled-back <migration>   forget a failed migration
 *
 * DATABASE_URL defaults to file:./data/mailroom.db (relative to the project root). `create` needs
 * a PostgreSQL server for its shadow database: $SHADOW_DATABASE_URL, default
 * postgresql://postgres@127.0.0.1:5432/postgres.
 */
import path from 'node:path';
import { writeDerivedPostgresSchema } from '@/lib/migrations/derive-schema';
import {
  applyMigrations,
  createMigration,
  generateClients,
  markMigrationRolledBack,
  migrationStatus,
} from '@/lib/migrations/migrate';
import { DEFAULT_DATABASE_URL, redactUrl } from '@/lib/database-url';

const USAGE =
  'Usage: tsx scripts/db.ts generate | derive | migrate | status | create --name <name> | resolve --rolled-back <migration>';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

const rel = (p: string) => path.relative(process.cwd(), p) || '.';

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  switch (command) {
    case 'generate': {
      const { schemas, outputs } = await generateClients();
      console.log(`Generated ${outputs.map(rel).join(' and ')} from ${schemas.map(rel).join(' and ')}`);
      return 0;
    }
    case 'derive':
      console.log(`Wrote ${rel(await writeDerivedPostgresSchema())}`);
      return 0;
    case 'migrate': {
      const { applied } = await applyMigrations(databaseUrl);
      console.log(
        applied.length
          ? `Applied ${applied.length} migration(s) to ${redactUrl(databaseUrl)}:\n${applied.map((m) => `  ${m}`).join('\n')}`
          : `${redactUrl(databaseUrl)} is up to date, no migration applied`,
      );
      return 0;
    }
    case 'status': {
      const s = await migrationStatus(databaseUrl);
      console.log(
        `${redactUrl(databaseUrl)} (${s.provider}): ${s.migrations.length} migration(s) in prisma/migrations/${s.provider}`,
      );
      for (const [label, list] of [
        ['pending', s.pending],
        ['failed', s.failed],
        ['edited after applying', s.edited],
        ['applied but not in the directory', s.unknown],
      ] as const) {
        if (list.length) console.log(`${label}:\n${list.map((m) => `  ${m}`).join('\n')}`);
      }
      const clean = !s.pending.length && !s.failed.length && !s.edited.length && !s.unknown.length;
      if (clean) console.log('Database schema is up to date');
      return clean ? 0 : 1;
    }
    case 'create': {
      const name = option(args, '--name');
      if (!name) throw new Error('create needs --name <name>');
      const { created } = await createMigration({ name, schemaPath: option(args, '--schema') });
      console.log(
        created.length
          ? `Created:\n${created.map((f) => `  ${rel(f)}`).join('\n')}`
          : 'No changes: the migrations already match prisma/schema.prisma',
      );
      return 0;
    }
    case 'resolve': {
      const migration = option(args, '--rolled-back');
      if (!migration) throw new Error('resolve needs --rolled-back <migration>');
      await markMigrationRolledBack(databaseUrl, migration);
      console.log(`Marked ${migration} as rolled back in ${redactUrl(databaseUrl)}`);
      return 0;
    }
    default:
      console.error(USAGE);
      return 64;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`db: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
