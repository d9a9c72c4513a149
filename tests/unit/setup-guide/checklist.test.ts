import { describe, expect, it } from 'vitest';
import { evaluate, type SetupFacts } from '@/lib/setup-guide/checklist';
import { permissionsInToken } from '@/lib/setup-guide/claims';
import type { GuideInputs, ScenarioId } from '@/lib/setup-guide/scenarios';
import { stepsFor } from '@/lib/setup-guide/steps';

const SENDER = 'helpdesk@contoso.com';
const inputs = (scenario: ScenarioId): GuideInputs => ({
  scenario,
  cloud: 'global',
  tenant: 'contoso.onmicrosoft.com',
  clientId: '',
  appName: 'Mailroom',
  sender: SENDER,
  redirectUri: 'https://mailroom.example.com/api/oauth/callback',
  secretMonths: 6,
  today: new Date('2026-11-28T09:00:00Z'),
});
const facts = (patch: Partial<SetupFacts> = {}): SetupFacts => ({
  scenario: 'smtp-app',
  secretSet: true,
  secretExpiresAt: '2027-05-28',
  connection: {
    status: 'connected',
    account: SENDER,
    scopes: 'https://outlook.office365.com/.default',
    refreshTokenAgeDays: null,
    errorCode: '',
    error: '',
  },
  token: { state: 'ok', at: '2026-11-28T09:05:00.000Z', permissions: ['SMTP.SendAsApp'] },
  delivery: null,
  now: '2026-11-28T09:10:00.000Z',
  ...patch,
});
const failedAuth = (replyText: string, replyCode = 535) => ({
  delivery: { at: '2026-11-28T09:06:00.000Z', ok: false, failedStep: 'auth', replyCode, replyText },
});
const check = (scenario: ScenarioId, f: SetupFacts) => evaluate(stepsFor(inputs(scenario)), scenario, f, SENDER);

describe('setup checklist', () => {
  it('before any test: token, secret and permission checked; the Exchange steps wait for Test Server', () => {
    const s = check('smtp-app', facts());
    expect(s.registration.state).toBe('ok');
    expect(s.secret).toEqual({ state: 'ok', text: 'The secret works; it expires on 2027-05-28.' });
    expect(s.consent).toEqual({ state: 'ok', text: 'Granted: SMTP.SendAsApp.' });
    expect(s['smtp-auth'].state).toBe('todo');
    expect(s.send.text).toContain('Test Server');
  });

  it('a 5.7.139 marks "SMTP AUTH enabled on the mailbox" red with the exact command', () => {
    const s = check(
      'smtp-app',
      facts(failedAuth('5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.')),
    );
    expect(s['smtp-auth'].state).toBe('failed');
    expect(s['smtp-auth'].command).toBe(`Set-CASMailbox -Identity '${SENDER}' -SmtpClientAuthenticationDisabled $false`);
    expect(s['exchange-principal'].state).toBe('todo');
    expect(s.send.state).toBe('failed');
  });

  it('a 535 5.7.3 for app-only points at the Exchange service principal and mailbox permission, not SMTP AUTH', () => {
    const s = check('smtp-app', facts(failedAuth('5.7.3 Authentication unsuccessful')));
    expect(s['smtp-auth'].state).toBe('ok');
    expect(s['exchange-principal'].state).toBe('failed');
    expect(s['exchange-principal'].text).toContain('enterprise application’s Object ID');
    expect(s['mailbox-permission'].state).toBe('failed');
  });

  it('an accepted send turns the Exchange steps and the send green', () => {
    const s = check(
      'smtp-app',
      facts({ delivery: { at: '2026-11-28T09:07:00.000Z', ok: true, failedStep: '', replyCode: 250, replyText: '' } }),
    );
    for (const id of ['exchange-principal', 'mailbox-permission', 'smtp-auth', 'send']) expect(s[id].state).toBe('ok');
    expect(s.send.text).toBe('Accepted at 2026-11-28 09:07 UTC.');
  });

  it('a token without the permission fails the consent step', () => {
    const s = check('smtp-app', facts({ token: { state: 'ok', at: null, permissions: [] } }));
    expect(s.consent.state).toBe('failed');
    expect(s.consent.text).toContain('grant admin consent');
  });

  it('delegated: an opaque token falls back to the scopes the provider granted', () => {
    const f = facts({
      scenario: 'smtp-delegated',
      token: { state: 'ok', at: null, permissions: null },
      connection: { ...facts().connection, scopes: 'https://outlook.office.com/SMTP.Send' },
    });
    expect(check('smtp-delegated', f).consent.state).toBe('ok');
  });

  it('Graph app-only warns when the token carries a tenant-wide Mail.Send', () => {
    const f = facts({ scenario: 'graph-app', token: { state: 'ok', at: null, permissions: ['Mail.Send'] } });
    expect(check('graph-app', f).consent.state).toBe('warning');
    const denied = facts({
      scenario: 'graph-app',
      token: { state: 'ok', at: null, permissions: [] },
      delivery: { at: f.now, ok: false, failedStep: 'request', replyCode: 403, replyText: 'ErrorAccessDenied' },
    });
    expect(check('graph-app', denied).rbac.state).toBe('failed');
  });

  it('token failures land on the step they are about', () => {
    const secret = facts({ token: { state: 'failed', code: 'AADSTS7000215', message: 'Invalid client secret.' } });
    expect(check('smtp-app', secret).secret).toEqual({ state: 'failed', text: 'Invalid client secret.' });
    const app = facts({ token: { state: 'failed', code: 'AADSTS700016', message: 'App not found.' } });
    expect(check('smtp-app', app).registration.state).toBe('failed');
    expect(check('smtp-app', facts({ secretExpiresAt: '2026-01-01' })).secret.state).toBe('failed');
  });

  it('nothing is checked while the saved settings are for another setup', () => {
    const s = check('graph-app', facts());
    expect(Object.values(s).every((x) => x.state === 'todo')).toBe(true);
  });

  it('Google: the publishing status is unknowable until a refresh token outlives 7 days', () => {
    const g = facts({
      scenario: 'google',
      token: { state: 'ok', at: null, permissions: null },
      connection: { ...facts().connection, scopes: 'https://mail.google.com/', refreshTokenAgeDays: 2 },
    });
    expect(check('google', g).publishing.state).toBe('unchecked');
    expect(check('google', g).consent.state).toBe('ok');
    expect(check('google', { ...g, connection: { ...g.connection, refreshTokenAgeDays: 9 } }).publishing.state).toBe('ok');
  });
});

describe('permissions read from an access token', () => {
  const jwt = (payload: object) => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
  it('reads scp (delegated) and roles (application); an opaque token gives null', () => {
    expect(permissionsInToken(jwt({ aud: 'https://outlook.office.com', scp: 'SMTP.Send User.Read' }))).toEqual([
      'SMTP.Send',
      'User.Read',
    ]);
    expect(permissionsInToken(jwt({ aud: 'https://outlook.office365.com', roles: ['SMTP.SendAsApp'] }))).toEqual([
      'SMTP.SendAsApp',
    ]);
    expect(permissionsInToken(jwt({ aud: 'https://graph.microsoft.com' }))).toEqual([]);
    expect(permissionsInToken('ya29.a0AfH6SMopaque')).toBeNull();
    expect(permissionsInToken('a.!!!.c')).toBeNull();
  });
});
