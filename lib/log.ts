import pino from 'pino';

/** Paths whose values never reach a log line, whatever object they are nested in. */
const redactPaths = [
  'password',
  'smtpPassword',
  'clientSecret',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'code',
  'authorization',
  'cookie',
  'privateKey',
  'certificateKey',
  'passwordHash',
].flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

export const logger = pino({
  name: 'mailroom',
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  redact: { paths: redactPaths, censor: '[redacted]' },
  base: undefined,
});

/** The one way a failure reaches the log: its name and message (a driver's stack or arguments may carry secrets). */
export function logError(message: string, err: unknown): void {
  logger.error({ err: err instanceof Error ? { name: err.name, message: err.message } : String(err) }, message);
}
