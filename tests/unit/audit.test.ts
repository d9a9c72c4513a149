import { describe, expect, it } from 'vitest';
import { scrubDetails } from '@/lib/audit';

describe('activity details', () => {
  it('never keeps the value of a secret-named field, at any depth', () => {
    const out = scrubDetails({
      changed: ['host', 'smtpPassword'],
      smtpPassword: 'hunter2',
      nested: { clientSecret: 's3cr3t', refreshToken: 'rt', tokenEndpoint: 'https://login/x' },
      passwordSet: true,
    });
    expect(JSON.stringify(out)).not.toMatch(/hunter2|s3cr3t|"rt"/);
    expect(out.smtpPassword).toBe('changed');
    expect(out.changed).toEqual(['host', 'smtpPassword']);
    expect((out.nested as Record<string, unknown>).tokenEndpoint).toBe('https://login/x');
    expect(out.passwordSet).toBe(true);
  });
});
