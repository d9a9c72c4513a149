import { describe, expect, it } from 'vitest';
import { oauthDefaults } from '@/lib/notifications/providers';
import { notificationsSchema } from '@/lib/validation/notifications';
import { toAsciiEmail, toAsciiHost } from '@/lib/mail/address';
import { emailList } from '@/lib/validation/primitives';
import { sendNotificationSchema } from '@/lib/validation/send';
import { MS_CLIENT, MS_TENANT, notificationsInput } from '@/tests/support/notification-values';

const errorsOf = (input: unknown) => {
  const r = notificationsSchema.safeParse(input);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join('.'), i.message]));
};

describe('SMTP Server section', () => {
  it('accepts a complete page and converts IDN host and sender domain to punycode', () => {
    const r = notificationsSchema.parse(
      notificationsInput({ smtp: { host: ' mail.bücher.example ', fromAddress: 'Info@Bücher.example' } }),
    );
    expect(r.smtp.host).toBe('mail.xn--bcher-kva.example');
    expect(r.smtp.fromAddress).toBe('Info@xn--bcher-kva.example');
  });

  it.each([
    ['smtp.host', { smtp: { host: 'smtp example.com' } }, 'Enter a host name'],
    ['smtp.host', { smtp: { host: '' } }, 'Enter a host name'],
    ['smtp.host', { smtp: { host: 'a'.repeat(300) } }, 'at most 253'],
    ['smtp.port', { smtp: { port: 0 } }, 'between 1 and 65535'],
    ['smtp.port', { smtp: { port: 70000 } }, 'between 1 and 65535'],
    ['smtp.port', { smtp: { port: Number.NaN } }, 'whole number'],
    ['smtp.fromAddress', { smtp: { fromAddress: 'helpdesk@example.com\r\nBcc: victim@evil.test' } }, 'Line breaks'],
    ['smtp.fromAddress', { smtp: { fromAddress: 'not-an-address' } }, 'is not a valid email address'],
    ['smtp.fromName', { smtp: { fromName: 'Helpdesk\nBcc: x@evil.test' } }, 'Line breaks'],
    ['smtp.fromName', { smtp: { fromName: 'x'.repeat(101) } }, 'at most 100'],
    ['smtp.connectTimeoutSeconds', { smtp: { connectTimeoutSeconds: 60 } }, 'between 1 and 10'],
    ['smtp.securityMode', { smtp: { securityMode: 'ssl3' } }, ''],
  ])('rejects %s %#', (path, patch, message) => {
    expect(errorsOf(notificationsInput(patch as never))[path]).toContain(message);
  });

  it('accepts IPv4 and IPv6 servers and rejects a numeric typo', () => {
    expect(toAsciiHost('192.0.2.10')).toBe('192.0.2.10');
    expect(toAsciiHost('[2001:db8::1]')).toBe('2001:db8::1');
    expect(toAsciiHost('1.2.3')).toBeNull();
    expect(toAsciiHost('smtp.office365.com')).toBe('smtp.office365.com');
  });
});

describe('Recipients', () => {
  it('splits on ";", trims, and names the bad address', () => {
    expect(emailList().parse(' a@example.com ;b@exämple.com;; ')).toBe('a@example.com; b@xn--exmple-cua.com');
    const e = errorsOf(notificationsInput({ recipients: { cc: 'ok@example.com; bob@; also ok@example.com' } }));
    expect(e['recipients.cc']).toBe('These are not valid email addresses: "bob@", "also ok@example.com".');
    expect(errorsOf(notificationsInput({ recipients: { to: 'ok@example.com\r\nBcc: x@evil.test' } }))['recipients.to']).toContain(
      'Line breaks',
    );
  });

  it('validates addresses one by one', () => {
    expect(toAsciiEmail('a..b@example.com')).toBeNull();
    expect(toAsciiEmail('user@localhost')).toBeNull();
    expect(toAsciiEmail('x@[127.0.0.1]')).toBeNull();
  });
});

describe('lifecycle and portal', () => {
  it('rejects days outside 1–365 and a non-http portal URL', () => {
    const e = errorsOf(
      notificationsInput({
        membership: { beforeLeaveDays: 0 },
        managedBy: { beforeRemovalDays: 400 },
        passwordExpiry: { portalUrl: 'javascript:alert(1)' },
      }),
    );
    expect(e['membership.beforeLeaveDays']).toContain('between 1 and 365');
    expect(e['managedBy.beforeRemovalDays']).toContain('between 1 and 365');
    expect(e['passwordExpiry.portalUrl']).toContain('http:// or https://');
  });
});

describe('Authentication', () => {
  const ms = (patch: object = {}) => {
    const d = oauthDefaults('microsoft', 'global', MS_TENANT, 'authorization_code');
    return notificationsInput({
      auth: { authType: 'oauth2', oauth: { tenantId: MS_TENANT, clientId: MS_CLIENT, ...d, ...patch } },
    } as never);
  };

  it('requires the SMTP username for Basic', () => {
    expect(errorsOf(notificationsInput({ auth: { smtpUsername: '' } }))['auth.smtpUsername']).toContain(
      'Enter the SMTP username',
    );
  });

  it('accepts Microsoft delegated defaults and rejects a half-filled OAuth tile only while it is in use', () => {
    expect(errorsOf(ms())).toEqual({});
    expect(errorsOf(notificationsInput({ auth: { oauth: { clientId: 'nonsense' } } }))).toEqual({});
    const e = errorsOf(ms({ clientId: 'not-a-guid', tenantId: 'bad tenant', tokenEndpoint: 'http://login.example/token' }));
    expect(e['auth.oauth.clientId']).toContain('GUID');
    expect(e['auth.oauth.tenantId']).toContain('Directory (tenant) ID');
    expect(e['auth.oauth.tokenEndpoint']).toContain('https://');
  });

  it('accepts an https issuer for a generic provider and rejects http, CR/LF and oversized values', () => {
    const generic = (issuer: string) =>
      ms({
        provider: 'generic',
        tenantId: '',
        issuer,
        authorizationEndpoint: 'https://id.example/auth',
        tokenEndpoint: 'https://id.example/token',
        scope: 'openid',
      });
    expect(errorsOf(generic('https://id.example/realms/helpdesk'))).toEqual({});
    expect(errorsOf(generic(''))).toEqual({});
    expect(errorsOf(generic('http://id.example'))['auth.oauth.issuer']).toContain('https://');
    expect(errorsOf(generic('https://id.example/\r\nX: y'))['auth.oauth.issuer']).toContain('Line breaks and control characters');
    expect(errorsOf(generic('https://id.example/a b'))['auth.oauth.issuer']).toContain('Issuer cannot contain spaces.');
    expect(errorsOf(generic(`https://id.example/${'a'.repeat(3000)}`))['auth.oauth.issuer']).toContain('at most 2048 characters');
  });

  it('takes a userinfo endpoint only on the token endpoint’s or the issuer’s server (it receives an access token)', () => {
    const generic = (userinfoEndpoint: string, issuer = '') =>
      ms({
        provider: 'generic',
        tenantId: '',
        issuer,
        userinfoEndpoint,
        authorizationEndpoint: 'https://id.example/auth',
        tokenEndpoint: 'https://id.example/token',
        scope: 'openid',
      });
    expect(errorsOf(generic('https://id.example/userinfo'))).toEqual({});
    expect(errorsOf(generic('https://login.example/me', 'https://login.example/'))).toEqual({});
    expect(errorsOf(generic('https://elsewhere.example/userinfo'))['auth.oauth.userinfoEndpoint']).toContain(
      'same server as the token endpoint or the issuer',
    );
    expect(errorsOf(generic('http://id.example/userinfo'))['auth.oauth.userinfoEndpoint']).toBeDefined();
  });

  it('knows each provider’s grants, scopes and requirements', () => {
    const cc = oauthDefaults('microsoft', 'global', MS_TENANT, 'client_credentials');
    expect(cc.scope).toBe('https://outlook.office365.com/.default');
    expect(errorsOf(ms({ grantType: 'client_credentials', scope: cc.scope }))['auth.oauth.loginUser']).toContain(
      'mailbox the app sends as',
    );
    expect(
      errorsOf(ms({ grantType: 'client_credentials', scope: cc.scope, tenantId: 'organizations', loginUser: 'a@example.com' }))[
        'auth.oauth.tenantId'
      ],
    ).toContain('not "common"');
    expect(
      errorsOf(
        ms({ grantType: 'client_credentials', scope: 'https://outlook.office.com/SMTP.Send', loginUser: 'a@example.com' }),
      )['auth.oauth.scope'],
    ).toContain('.default');
    const google = oauthDefaults('google', 'global', '', 'authorization_code');
    expect(google.scope).toBe('https://mail.google.com/');
    expect(
      errorsOf(ms({ provider: 'google', ...google, grantType: 'client_credentials', loginUser: 'a@example.com' }))[
        'auth.oauth.grantType'
      ],
    ).toContain('Google supports only');
    expect(errorsOf(ms({ grantType: 'password' }))['auth.oauth.username']).toContain('username');
    expect(oauthDefaults('microsoft', 'usgov', 'contoso.us', 'authorization_code').tokenEndpoint).toBe(
      'https://login.microsoftonline.us/contoso.us/oauth2/v2.0/token',
    );
    expect(oauthDefaults('microsoft', 'global', '', 'authorization_code').tokenEndpoint).toBe(
      'https://login.microsoftonline.com/organizations/oauth2/v2.0/token',
    );
  });

  it('asks for the new value when a secret is being replaced, and a PEM key for certificates', () => {
    expect(
      errorsOf(notificationsInput({ auth: { smtpPassword: { mode: 'set', value: '' } } }))['auth.smtpPassword.value'],
    ).toContain('Enter the smtp password');
    const e = errorsOf(
      ms({ credentialType: 'certificate', certificateThumbprint: 'xyz', certificateKey: { mode: 'set', value: 'not a pem' } }),
    );
    expect(e['auth.oauth.certificateThumbprint']).toContain('thumbprint');
    expect(e['auth.oauth.certificateKey.value']).toContain('PEM');
  });
});

describe('Transport', () => {
  const graph = (patch: object = {}) =>
    notificationsInput({
      transport: { kind: 'graph', graphEndpoint: 'https://graph.microsoft.com/v1.0', graphSender: 'notify@example.com' },
      smtp: { host: '' },
      auth: {
        authType: 'oauth2',
        oauth: {
          tenantId: MS_TENANT,
          clientId: MS_CLIENT,
          grantType: 'client_credentials',
          loginUser: 'notify@example.com',
          ...oauthDefaults('microsoft', 'global', MS_TENANT, 'client_credentials', 'graph'),
          ...patch,
        },
      },
    } as never);

  it('Graph needs no SMTP server but Microsoft OAuth with a Graph scope', () => {
    expect(oauthDefaults('microsoft', 'global', MS_TENANT, 'client_credentials', 'graph').scope).toBe(
      'https://graph.microsoft.com/.default',
    );
    expect(oauthDefaults('microsoft', 'usgov', MS_TENANT, 'authorization_code', 'graph').scope).toBe(
      'https://graph.microsoft.us/Mail.Send offline_access',
    );
    expect(errorsOf(graph())).toEqual({});
    expect(errorsOf(graph({ scope: 'https://outlook.office365.com/.default' }))['auth.oauth.scope']).toContain('Graph scope');
    expect(errorsOf({ ...graph(), auth: { ...graph().auth, authType: 'basic' } })['auth.authType']).toContain(
      'Microsoft Graph needs OAuth 2.0',
    );
    expect(errorsOf(notificationsInput({ smtp: { host: '' } }))['smtp.host']).toContain('Enter a host name');
  });
});

describe('Send API body (sendNotificationSchema)', () => {
  const parse = (body: object) => sendNotificationSchema.safeParse(body);
  const fieldsOf = (body: object) => {
    const r = parse(body);
    return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join('.') || '_form', i.message]));
  };

  it('takes addresses as an array or one ";"-separated string, IDN domains in punycode', () => {
    const r = parse({
      to: 'a@example.org; b@bücher.example',
      cc: ['c@example.org'],
      subject: ' Hi ',
      text: 'x',
      html: '<p>x</p>',
    });
    expect(r.success && r.data).toEqual({
      to: ['a@example.org', 'b@xn--bcher-kva.example'],
      cc: ['c@example.org'],
      subject: 'Hi',
      text: 'x',
      html: '<p>x</p>',
    });
    expect(parse({ subject: 'Hi', text: '' }).success).toBe(true);
  });

  it('refuses more than 50 addresses, oversized or controlled text, empty subjects, and unknown fields', () => {
    const many = Array.from({ length: 51 }, (_, i) => `u${i}@example.org`);
    expect(fieldsOf({ to: many, subject: 's', text: 't' }).to).toBe('At most 50 addresses.');
    expect(fieldsOf({ to: many.join(';'), subject: 's', text: 't' }).to).toBe('At most 50 addresses.');
    expect(fieldsOf({ subject: 's', text: 'x'.repeat(256 * 1024 + 1) }).text).toBe('The text is at most 256 KiB.');
    expect(fieldsOf({ subject: 's', text: 't', html: '<p>\u001b</p>' }).html).toMatch(/no other control characters/);
    expect(fieldsOf({ subject: '  ', text: 't' }).subject).toBe('Enter a subject.');
    expect(fieldsOf({ subject: 's', text: 't', bcc: ['x@example.org'] })._form).toMatch(/bcc/);
    expect(fieldsOf({ subject: 's' }).text).toBe('Give the message text as a string.');
  });
});
