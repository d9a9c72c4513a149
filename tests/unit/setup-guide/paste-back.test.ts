import { describe, expect, it } from 'vitest';
import { formPatch, parsePasteBack } from '@/lib/setup-guide/paste-back';

const REDIRECT = 'https://mailroom.example.com/api/oauth/callback';
const RESULT = {
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  clientId: '11111111-2222-3333-4444-555555555555',
  clientSecret: 'Q_e8Q~ZDWJD.bkgajbREp-VFFUayCuEk8b1hDcr9',
  secretExpiresAt: '2027-05-28',
  sender: 'helpdesk@contoso.com',
};
const current = { cloud: 'global' as const, fromAddress: '', graphEndpoint: 'https://graph.microsoft.com/v1.0' };
const asMap = (patch: { path: string; value: unknown }[]) => Object.fromEntries(patch.map((p) => [p.path, p.value]));

describe('paste-back of the script’s result', () => {
  it('fills tenant, client, the secret as a newly entered secret, its expiry and the sender for app-only SMTP', () => {
    const paste = parsePasteBack(JSON.stringify(RESULT), 'smtp-app', REDIRECT);
    expect(paste.ok).toBe(true);
    if (!paste.ok) return;
    const { patch, filled } = formPatch(paste, 'smtp-app', current);
    expect(asMap(patch)).toMatchObject({
      'auth.useAuth': true,
      'auth.authType': 'oauth2',
      'auth.oauth.provider': 'microsoft',
      'transport.kind': 'smtp',
      'auth.oauth.grantType': 'client_credentials',
      'auth.oauth.tenantId': RESULT.tenantId,
      'auth.oauth.clientId': RESULT.clientId,
      'auth.oauth.clientSecret.mode': 'set',
      'auth.oauth.clientSecret.value': RESULT.clientSecret,
      'auth.oauth.clientSecretExpiresAt': '2027-05-28',
      'auth.oauth.tokenEndpoint': `https://login.microsoftonline.com/${RESULT.tenantId}/oauth2/v2.0/token`,
      'auth.oauth.scope': 'https://outlook.office365.com/.default',
      'auth.oauth.loginUser': RESULT.sender,
      'smtp.fromAddress': RESULT.sender,
    });
    expect(filled).toContain('secret expiry 2027-05-28');
  });

  it('Graph app-only puts the sender in the Graph sender mailbox and keeps a From address already set', () => {
    const paste = parsePasteBack(JSON.stringify(RESULT), 'graph-app', REDIRECT);
    if (!paste.ok) throw new Error(paste.message);
    const map = asMap(formPatch(paste, 'graph-app', { ...current, fromAddress: 'noreply@contoso.com' }).patch);
    expect(map['transport.kind']).toBe('graph');
    expect(map['transport.graphSender']).toBe(RESULT.sender);
    expect(map['auth.oauth.scope']).toBe('https://graph.microsoft.com/.default');
    expect(map).not.toHaveProperty('smtp.fromAddress');
    expect(map).not.toHaveProperty('auth.oauth.loginUser');
  });

  it('finds the JSON line in a whole pasted console, and takes a date-time expiry as its UTC day', () => {
    const console = `Creating app...\nDone.\n${JSON.stringify({ ...RESULT, secretExpiresAt: '2027-05-28T23:30:00-02:00' })}\n`;
    const paste = parsePasteBack(console, 'smtp-delegated', REDIRECT);
    expect(paste.ok && paste.kind === 'microsoft' && paste.result.secretExpiresAt).toBe('2027-05-29');
  });

  it.each([
    ['', 'Paste the result first.'],
    ['hello', 'This is not the script’s result'],
    ['{"tenantId": "72f9', 'The result is not valid JSON'],
    ['[1, 2]', 'Expected one JSON object'],
    [JSON.stringify({ ...RESULT, tenantId: 'contoso.com' }), 'tenantId (the Directory (tenant) ID) must be a GUID'],
    [JSON.stringify({ ...RESULT, clientSecret: undefined }), 'clientSecret is missing.'],
    [JSON.stringify({ ...RESULT, clientSecret: 'a\nb' }), 'clientSecret contains a line break'],
    [JSON.stringify({ ...RESULT, secretExpiresAt: 'next year' }), 'secretExpiresAt must be a date like 2027-05-28.'],
    [JSON.stringify({ ...RESULT, sender: 'not an address' }), '"not an address" is not a valid email address.'],
    [JSON.stringify({ ...RESULT, clientsecret: 'typo' }), 'Unexpected field clientsecret.'],
    [JSON.stringify({ web: { client_id: 'x.apps.googleusercontent.com', client_secret: 'y' } }), 'This is a Google client JSON'],
  ])('refuses %j with a clear message', (text, message) => {
    const paste = parsePasteBack(text, 'smtp-app', REDIRECT);
    expect(paste.ok).toBe(false);
    if (!paste.ok) expect(paste.message).toContain(message);
  });
});

describe('paste-back of a Google client JSON', () => {
  const google = (web: Record<string, unknown>) => JSON.stringify({ web });
  const client = {
    client_id: '1234-abc.apps.googleusercontent.com',
    client_secret: 'GOCSPX-secret',
    project_id: 'p',
    redirect_uris: [REDIRECT],
  };

  it('fills the client ID and secret and switches to Google', () => {
    const paste = parsePasteBack(google(client), 'google', REDIRECT);
    if (!paste.ok) throw new Error(paste.message);
    expect(paste.kind === 'google' && paste.warnings).toEqual([]);
    expect(asMap(formPatch(paste, 'google', current).patch)).toMatchObject({
      'auth.oauth.provider': 'google',
      'auth.oauth.clientId': client.client_id,
      'auth.oauth.clientSecret.value': client.client_secret,
      'auth.oauth.scope': 'https://mail.google.com/',
    });
  });

  it('warns when the client lacks Mailroom’s redirect URI, and refuses desktop clients and Microsoft results', () => {
    const paste = parsePasteBack(google({ ...client, redirect_uris: ['https://other.example/cb'] }), 'google', REDIRECT);
    expect(paste.ok && paste.kind === 'google' && paste.warnings[0]).toContain(`do not include ${REDIRECT}`);
    const desktop = parsePasteBack(JSON.stringify({ installed: client }), 'google', REDIRECT);
    expect(!desktop.ok && desktop.message).toContain('Desktop app client');
    const microsoft = parsePasteBack(JSON.stringify(RESULT), 'google', REDIRECT);
    expect(!microsoft.ok && microsoft.message).toContain('Microsoft result');
  });
});
