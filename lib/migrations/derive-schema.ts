import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot, type Provider } from '@/lib/database-url';

/** The one source of truth: a SQLite schema. The PostgreSQL schema is derived from it. */
export const SCHEMA_PATH = path.join(projectRoot, 'prisma', 'schema.prisma');
/** Gitignored; rewritten by `tsx scripts/db.ts generate` (and `derive`). */
export const DERIVED_POSTGRES_SCHEMA_PATH = path.join(projectRoot, 'prisma', 'generated', 'postgresql.prisma');

const HEADER =
  '// GENERATED from prisma/schema.prisma by `tsx scripts/db.ts generate` (provider and output swapped).\n' +
  '// Do not edit: change prisma/schema.prisma and regenerate.\n\n';

const DATASOURCE_BLOCK = /^datasource\s+\w+\s*\{[^}]*\}/gm;
const GENERATOR_BLOCK = /^generator\s+\w+\s*\{[^}]*\}/gm;

interface DeriveOptions {
  /** Directory of the source schema (to resolve the generator's relative `output`). */
  sourceDir?: string;
  /** Directory the derived schema will be written to (to re-relativise `output`). */
  targetDir?: string;
}

/**
 * The schema for `provider`, derived from the SQLite source of truth: the datasource provider is
 * swapped and, for PostgreSQL, the generator output goes to a sibling `postgres` directory
 * (`lib/generated/sqlite` → `lib/generated/postgres`). For SQLite the source is returned unchanged.
 */
export function deriveSchema(source: string, provider: Provider, opts: DeriveOptions = {}): string {
  const datasources = source.match(DATASOURCE_BLOCK) ?? [];
  if (datasources.length !== 1) throw new Error(`Expected exactly one datasource block, found ${datasources.length}`);
  const current = /\bprovider\s*=\s*"([^"]*)"/.exec(datasources[0]);
  if (current?.[1] !== 'sqlite') {
    throw new Error(`The source schema must use provider = "sqlite" (found ${current ? `"${current[1]}"` : 'none'})`);
  }
  if (provider === 'sqlite') return source;

  let derived = source.replace(DATASOURCE_BLOCK, (block) =>
    block.replace(/\bprovider\s*=\s*"sqlite"/, 'provider = "postgresql"'),
  );
  const sourceDir = opts.sourceDir ?? path.dirname(SCHEMA_PATH);
  const targetDir = opts.targetDir ?? sourceDir;
  derived = derived.replace(GENERATOR_BLOCK, (block) =>
    block.replace(/\boutput\s*=\s*"([^"]*)"/, (_match, output: string) => {
      const sqliteOut = path.resolve(sourceDir, output);
      const pgOut = path.join(path.dirname(sqliteOut), 'postgres');
      const rel = path.relative(targetDir, pgOut).split(path.sep).join('/');
      return `output = "${rel.startsWith('.') ? rel : `./${rel}`}"`;
    }),
  );
  return HEADER + derived;
}

/** Writes the derived PostgreSQL schema next to the source (gitignored) and returns its path. */
export async function writeDerivedPostgresSchema(
  schemaPath: string = SCHEMA_PATH,
  targetPath: string = DERIVED_POSTGRES_SCHEMA_PATH,
): Promise<string> {
  const source = await readFile(schemaPath, 'utf8');
  const derived = deriveSchema(source, 'postgresql', {
    sourceDir: path.dirname(schemaPath),
    targetDir: path.dirname(targetPath),
  });
  await mkdir(path.dirname(targetPath), { recursive: true });
  await writeFile(targetPath, derived, 'utf8');
  return targetPath;
}
