import { describe, expect, it } from 'vitest';
import { parseReply, scrubSecrets, secretVariants, Transcript } from '@/lib/mail/transcript';
import { StepRecorder } from '@/lib/mail/steps';
import { resolveLimits } from '@/lib/mail/limits';
import { composeMessage } from '@/lib/mail/message';
import { SendError, SMTP_STEP_ORDER } from '@/lib/mail/types';

describe('transcript', () => {
  it('masks AUTH lines and every SASL continuation until the server stops sending 334', () => {
    const t = new Transcript();
    t.client('AUTH LOGIN');
    t.server('334 VXNlcm5hbWU6');
    t.client('dXNlcg==');
    t.server('334 UGFzc3dvcmQ6');
    t.client('c2VjcmV0');
    t.server('235 Authentication successful');
    t.client('MAIL FROM:<a@example.com>');
    t.client('AUTH PLAIN AHVzZXIAc2VjcmV0');
    expect(t.lines()).toEqual([
      'C: AUTH LOGIN ****',
      'S: 334 VXNlcm5hbWU6',
      'C: ****',
      'S: 334 UGFzc3dvcmQ6',
      'C: ****',
      'S: 235 Authentication successful',
      'C: MAIL FROM:<a@example.com>',
      'C: AUTH PLAIN ****',
    ]);
  });

  it('is capped at 200 lines, keeping the start and the end', () => {
    const t = new Transcript();
    t.server(Array.from({ length: 1000 }, (_, i) => `250-line ${i}`).join('\n'));
    const lines = t.lines();
    expect(lines).toHaveLength(200);
    expect(lines[0]).toBe('S: 250-line 0');
    expect(lines[100]).toMatch(/801 lines omitted/);
    expect(lines[199]).toBe('S: 250-line 999');
  });

  it('parses replies with enhanced codes and multiple lines', () => {
    expect(parseReply('535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled')).toEqual({
      code: 535,
      enhanced: '5.7.139',
      text: 'Authentication unsuccessful, SmtpClientAuthentication is disabled',
    });
    expect(parseReply('550-5.7.1 first\n550 5.7.1 second')).toEqual({ code: 550, enhanced: '5.7.1', text: 'first second' });
    expect(parseReply('250 Ok: queued as ABC')).toEqual({ code: 250, text: 'Ok: queued as ABC' });
  });

  it('scrubs secrets and their SASL base64 forms from nested values', () => {
    const secrets = secretVariants('user@example.com', 'hunter2-long');
    const plain = Buffer.from('\u0000user@example.com\u0000hunter2-long').toString('base64');
    const out = scrubSecrets({ a: ['x hunter2-long y', plain], b: { c: 'ok' } }, secrets);
    expect(out).toEqual({ a: ['x **** y', '****'], b: { c: 'ok' } });
  });
});

describe('steps', () => {
  it('reports in order, fails the named step and skips the rest', () => {
    const seen: string[] = [];
    const s = new StepRecorder((step) => seen.push(`${step.name}:${step.status}`), [], SMTP_STEP_ORDER);
    s.ok('resolve', 'r');
    expect(s.fail('bad subject', 'data')).toBe('data');
    expect(seen).toEqual([
      'resolve:ok',
      'connect:skipped',
      'tls:skipped',
      'ehlo:skipped',
      'auth:skipped',
      'mail_from:skipped',
      'rcpt_to:skipped',
      'data:failed',
      'accepted:skipped',
    ]);
  });
});

describe('limits', () => {
  it('never exceed the maxima of docs/security.md#short-timeouts', () => {
    expect(resolveLimits()).toEqual({ connectMs: 10_000, greetingMs: 10_000, socketMs: 20_000, totalMs: 30_000 });
    expect(resolveLimits({ connectMs: 60_000, greetingMs: 1_000, socketMs: 0, totalMs: 5 })).toEqual({
      connectMs: 10_000,
      greetingMs: 1_000,
      socketMs: 20_000,
      totalMs: 100,
    });
  });
});

describe('message', () => {
  it('rejects control characters in every header value before composing', async () => {
    const base = { from: { address: 'a@example.com', name: 'A' }, to: 'b@example.org', subject: 's', text: 't' };
    for (const bad of [
      { ...base, subject: 'x\ny' },
      { ...base, to: 'b@example.org\r\nBcc: c@example.net' },
      { ...base, from: { address: 'a@example.com', name: 'A\u0000' } },
      { ...base, from: { address: 'a@example.com\n' } },
    ]) {
      await expect(composeMessage(bad)).rejects.toMatchObject({ errorCode: 'EHEADER' });
    }
    await expect(composeMessage({ ...base, to: 'not-an-address' })).rejects.toBeInstanceOf(SendError);
  });
});
