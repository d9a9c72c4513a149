import path from 'node:path';
import { z } from 'zod';
import { loadOrCreateSecret } from '@/lib/local-secrets';
import { ipEntryProblem, splitList } from '@/lib/net/ip';

const base64Key = z
  .string()
  .trim()
  .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)');

const portList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) => splitList(v).map(Number))
    .pipe(z.array(z.number().int().min(1).max(65535)));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Defaults to http://localhost:<PORT>. */
  APP_URL: z.url({ protocol: /^https?$/ }).optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: (SQLite) or postgresql:// (PostgreSQL)')
    .optional(),
  APP_ENCRYPTION_KEY: base64Key.optional(),
  APP_ENCRYPTION_KEY_PREVIOUS: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((k) => k.trim())
            .filter(Boolean)
        : [],
    )
    .pipe(z.array(base64Key)),
  NEXTAUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_ALLOWED_PORTS: portList('25,465,587,2525'),
  /** HTTPS ports besides 443 that OAuth and Graph requests may connect to. */
  HTTP_ALLOWED_PORTS: portList(''),
  SMTP_ALLOWED_HOSTS: z.string().default(''),
  SMTP_DENIED_HOSTS: z.string().default(''),
  /** Proxies whose X-Forwarded-For is believed (docs/security.md#client-address): IPs and CIDRs. */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform(splitList)
    .superRefine((entries, ctx) => {
      for (const entry of entries) {
        const problem = ipEntryProblem(entry);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }
    }),
  TEST_SERVER_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  SEND_API_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  /** Shared rate limits in Redis instead of the database (redis://host:6379). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  // SMTP relay (lib/relay): the submission port (0 = no relay), an optional implicit-TLS port, the
  // interface to listen on (all by default), the name clients are told to connect to, the
  // certificate (both files or neither: then a self-signed one in DATA_DIR), AUTH without TLS
  // (unsafe), the message size limit and failed AUTH attempts per client address per 15 minutes.
  RELAY_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  RELAY_TLS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  RELAY_HOST: z.string().trim().optional(),
  RELAY_HOSTNAME: z
    .string()
    .trim()
    .regex(/^[a-z0-9.-]+$/i, 'must be a host name, e.g. mailroom.example.com')
    .optional(),
  RELAY_TLS_CERT_FILE: z.string().trim().optional(),
  RELAY_TLS_KEY_FILE: z.string().trim().optional(),
  RELAY_ALLOW_PLAIN_AUTH: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false')
    .default('false')
    .transform((v) => ['true', '1', 'yes'].includes(v)),
  RELAY_MAX_MESSAGE_MB: z.coerce.number().min(1).max(150).default(25),
  RELAY_AUTH_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  // Outbox (lib/outbox): how long an attempt is leased to a process, parallel sends per process,
  // the first retry delay (each later one is three times longer), and retention.
  /**
   * The embedded database's fsync on commit: FULL (default) keeps every accepted message through a
   * power cut; NORMAL keeps it through a crash of Mailroom or the OS's processes, and commits ~20× faster.
   */
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
  OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(16),
  /** The window a store's "messages per minute" counts over: 60, shorter only in tests. */
  OUTBOX_RATE_WINDOW_SECONDS: z.coerce.number().min(0.5).max(3600).default(60),
  OUTBOX_RETRY_BASE_SECONDS: z.coerce.number().min(0.1).max(3600).default(60),
  OUTBOX_BODY_RETENTION_DAYS: z.coerce.number().min(0).max(3650).default(7),
  OUTBOX_RETENTION_DAYS: z.coerce.number().min(1).max(3650).default(90),
  /** Runs every periodic job at this interval instead of its own (troubleshooting, tests). */
  PERIODIC_EVERY_MINUTES: z.coerce.number().int().min(1).max(1440).optional(),
  /** Bearer token GET /api/metrics asks for; without it only loopback clients may read the metrics. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
});

export type Env = Omit<z.infer<typeof schema>, 'APP_URL' | 'DATABASE_URL' | 'APP_ENCRYPTION_KEY' | 'NEXTAUTH_SECRET'> & {
  APP_URL: string;
  DATABASE_URL: string;
  APP_ENCRYPTION_KEY: string;
  NEXTAUTH_SECRET: string;
  /** true when the database is the embedded SQLite file (local secrets may be generated) */
  embedded: boolean;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validated configuration as given: secrets only when set in the environment, nothing generated. */
export type Config = Omit<z.infer<typeof schema>, 'DATABASE_URL'> & { DATABASE_URL: string; embedded: boolean };

/** Local secret files the embedded default generates into DATA_DIR (restore writes them back). */
export const LOCAL_SECRET_FILES = { APP_ENCRYPTION_KEY: 'encryption.key', NEXTAUTH_SECRET: 'nextauth.secret' } as const;

let cached: Env | undefined;

/** Validates the environment without reading or generating local secrets (restore writes them). */
export function readConfig(): Config {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  const databaseUrl = parsed.data.DATABASE_URL ?? `file:${path.join(dataDir, 'mailroom.db')}`;
  return { ...parsed.data, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, embedded: databaseUrl.startsWith('file:') };
}

/** Validated configuration; generates local secrets for the embedded default on first use. */
export function getEnv(): Env {
  if (cached) return cached;
  const e = readConfig();
  const { DATA_DIR: dataDir, embedded } = e;
  const production = e.NODE_ENV === 'production';

  const secret = (value: string | undefined, name: string, file: string, create: () => string): string => {
    if (value) return value;
    if (production && !embedded) {
      throw new ConfigError(`${name} is required in production with an external DATABASE_URL (see .env.example).`);
    }
    return loadOrCreateSecret(path.join(dataDir, file), create, name);
  };

  cached = {
    ...e,
    APP_URL: (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    APP_ENCRYPTION_KEY: secret(e.APP_ENCRYPTION_KEY, 'APP_ENCRYPTION_KEY', LOCAL_SECRET_FILES.APP_ENCRYPTION_KEY, () =>
      randomBase64(32),
    ),
    NEXTAUTH_SECRET: secret(e.NEXTAUTH_SECRET, 'NEXTAUTH_SECRET', LOCAL_SECRET_FILES.NEXTAUTH_SECRET, () => randomBase64(48)),
  };
  return cached;
}

/** The passphrase `npm run backup` / `restore` use when no --passphrase-file is given (scripts only). */
export function backupPassphraseFromEnv(): string | undefined {
  return process.env.MAILROOM_BACKUP_PASSPHRASE || undefined;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}

function randomBase64(bytes: number): string {
  return globalThis.crypto.getRandomValues(Buffer.alloc(bytes)).toString('base64');
}
