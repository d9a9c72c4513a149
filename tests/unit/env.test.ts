import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getEnv, resetEnvCache } from '@/lib/env';

const saved = { ...process.env };
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-env-'));
  for (const k of ['APP_ENCRYPTION_KEY', 'APP_ENCRYPTION_KEY_PREVIOUS', 'NEXTAUTH_SECRET', 'DATABASE_URL', 'APP_URL'])
    delete process.env[k];
  process.env.DATA_DIR = dir;
  resetEnvCache();
});
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

describe('configuration', () => {
  it('embedded default: SQLite under the data dir and local secrets generated once, mode 0600', () => {
    const env = getEnv();
    expect(env.DATABASE_URL).toBe(`file:${path.join(dir, 'mailroom.db')}`);
    expect(env.embedded).toBe(true);
    expect(env.APP_URL).toBe('http://localhost:3000');
    const keyFile = path.join(dir, 'encryption.key');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(Buffer.from(env.APP_ENCRYPTION_KEY, 'base64')).toHaveLength(32);
    resetEnvCache();
    expect(getEnv().APP_ENCRYPTION_KEY).toBe(env.APP_ENCRYPTION_KEY);
    expect(getEnv().NEXTAUTH_SECRET).toBe(env.NEXTAUTH_SECRET);
  });

  it('production with an external database refuses to start without a key', () => {
    Object.assign(process.env, { NODE_ENV: 'production', DATABASE_URL: 'postgresql://db.example/mailroom' });
    expect(() => getEnv()).toThrow(/APP_ENCRYPTION_KEY is required in production/);
    expect(fs.existsSync(path.join(dir, 'encryption.key'))).toBe(false);
  });

  it('a short key is a configuration error, not a silent fallback', () => {
    process.env.APP_ENCRYPTION_KEY = randomBytes(16).toString('base64');
    expect(() => getEnv()).toThrow(/APP_ENCRYPTION_KEY: must be 32 bytes/);
  });

  it('uses keys from the environment and strips a trailing slash from APP_URL', () => {
    const key = randomBytes(32).toString('base64');
    Object.assign(process.env, {
      APP_ENCRYPTION_KEY: key,
      APP_URL: 'https://mail.example.com/',
      NEXTAUTH_SECRET: 'x'.repeat(40),
    });
    const env = getEnv();
    expect(env.APP_ENCRYPTION_KEY).toBe(key);
    expect(env.APP_URL).toBe('https://mail.example.com');
    expect(fs.existsSync(path.join(dir, 'encryption.key'))).toBe(false);
  });

  it('TRUSTED_PROXIES takes IPs and CIDRs only, so a typo cannot silently trust everyone or no one', () => {
    process.env.TRUSTED_PROXIES = '10.0.0.0/8, 192.0.2.1 2001:db8::/32';
    expect(getEnv().TRUSTED_PROXIES).toEqual(['10.0.0.0/8', '192.0.2.1', '2001:db8::/32']);
    resetEnvCache();
    process.env.TRUSTED_PROXIES = '10.0.0.0/33, proxy.example.com';
    expect(() => getEnv()).toThrow(
      /TRUSTED_PROXIES: "10\.0\.0\.0\/33" is not a valid CIDR range\.[\s\S]*"proxy\.example\.com" is not an IP address/,
    );
  });
});
