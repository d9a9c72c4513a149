/**
 * Admin accounts from the shell:
 *   npm run admin -- create --email a@b.c --password '…' [--role admin|viewer] [--name 'Ann']
 *   npm run admin -- reset-password --email a@b.c --password '…'
 *   npm run admin -- list
 *   npm run admin -- version              (or --version) app version and schema version
 */
import { parseArgs } from 'node:util';
import { recordAudit } from '@/lib/audit';
import { closeDb, db } from '@/lib/db';
import { redactUrl } from '@/lib/database-url';
import { applyMigrations } from '@/lib/migrations/migrate';
import { describeSchema, schemaVersion } from '@/lib/migrations/version';
import { getEnv, readConfig } from '@/lib/env';
import { APP_VERSION } from '@/lib/version';
import { UserFacingError } from '@/lib/errors';
import { createUser, resetPassword } from '@/lib/users/service';
import { createUserSchema, emailSchema, newPasswordSchema } from '@/lib/validation/user';

const usage = `Usage:
  npm run admin -- create --email <email> --password <password> [--role admin|viewer] [--name <name>]
  npm run admin -- reset-password --email <email> --password <password>
  npm run admin -- list
  npm run admin -- version`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      version: { type: 'boolean' },
    },
  });
  const [command] = positionals;
  if (command === 'version' || values.version) return printVersion();
  await applyMigrations(getEnv().DATABASE_URL);

  if (command === 'create') {
    const parsed = createUserSchema.safeParse({
      email: values.email ?? '',
      name: values.name ?? '',
      role: values.role ?? 'admin',
      password: values.password ?? '',
      confirmPassword: values.password ?? '',
    });
    if (!parsed.success) fail(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'));
    const user = await createUser(parsed.data);
    await recordAudit({ actorEmail: 'cli', action: 'user.create', target: user.email, details: { role: user.role } });
    console.log(`Created ${user.role} ${user.email}.`);
  } else if (command === 'reset-password') {
    const email = emailSchema.safeParse(values.email ?? '');
    const password = newPasswordSchema.safeParse(values.password ?? '');
    if (!email.success) fail(`--email: ${email.error.issues[0].message}`);
    if (!password.success) fail(`--password: ${password.error.issues[0].message}`);
    await resetPassword({ email: email.data }, password.data);
    await recordAudit({ actorEmail: 'cli', action: 'user.password_reset', target: email.data });
    console.log(`Password reset for ${email.data}.`);
  } else if (command === 'list') {
    const users = await db.user.findMany({ orderBy: { email: 'asc' }, select: { email: true, role: true, lastLoginAt: true } });
    for (const u of users) console.log(`${u.role.padEnd(6)}  ${u.email}  ${u.lastLoginAt?.toISOString() ?? 'never signed in'}`);
    if (!users.length) console.log('No accounts yet: open /setup or run `npm run admin -- create`.');
  } else {
    fail(usage);
  }
}

/** Read only: neither migrates nor generates local secrets. */
async function printVersion() {
  const { DATABASE_URL, embedded } = readConfig();
  console.log(`Mailroom ${APP_VERSION}`);
  console.log(`Schema: ${describeSchema(await schemaVersion(DATABASE_URL))}`);
  console.log(`Database: ${embedded ? 'embedded SQLite' : 'PostgreSQL'}, ${redactUrl(DATABASE_URL)}`);
}

main()
  .catch((err: unknown) => {
    if (err instanceof UserFacingError) fail(err.message);
    console.error(err);
    process.exit(1);
  })
  .finally(() => closeDb());
