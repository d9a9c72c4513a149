import { z } from '@/lib/validation/zod';
import { isGuid } from '@/lib/mail/address';
import {
  CLOUDS,
  CREDENTIAL_TYPES,
  GRANT_TYPES,
  OAUTH_PROVIDERS,
  PROVIDER_GRANTS,
  SECURITY_MODES,
  SMTP_PRESET_IDS,
  TRANSPORTS,
} from '@/lib/notifications/providers';
import {
  emailAddress,
  emailList,
  headerSafe,
  hostSchema,
  optionalEmailAddress,
  optionalHttpUrl,
  orEmpty,
  secretChange,
  whole,
} from '@/lib/validation/primitives';

const optionalHost = orEmpty(hostSchema);

/** 1a. Transport: SMTP server, or Microsoft Graph sendMail */
const transportSchema = z.object({
  kind: z.enum(TRANSPORTS),
  graphEndpoint: optionalHttpUrl('Graph endpoint', { https: true }),
  graphSender: optionalEmailAddress('Sender mailbox'),
});

/** 1. SMTP Server */
const smtpServerSchema = z.object({
  preset: z.enum(SMTP_PRESET_IDS),
  host: optionalHost,
  port: whole('Port', 1, 65535),
  securityMode: z.enum(SECURITY_MODES),
  allowSelfSigned: z.boolean(),
  ehloName: optionalHost,
  fromAddress: emailAddress('From email address'),
  fromName: headerSafe(100, 'Display name'),
  connectTimeoutSeconds: whole('Connection timeout', 1, 10),
  greetingTimeoutSeconds: whole('Greeting timeout', 1, 10),
  socketTimeoutSeconds: whole('Reply timeout', 1, 30),
});

const TENANT =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|organizations|common|consumers|[a-z0-9-]+(\.[a-z0-9-]+)+)$/i;
const THUMBPRINT = /^([0-9a-f]{40}|[0-9a-f]{64})$/i;

/** 2b. OAuth 2.0 tile: the fields, then the rules that apply when the tile is in use. */
const oauthFieldsSchema = z.object({
  provider: z.enum(OAUTH_PROVIDERS),
  cloud: z.enum(CLOUDS),
  tenantId: z.string().trim().max(100, 'At most 100 characters.'),
  clientId: z.string().trim().max(200, 'At most 200 characters.'),
  credentialType: z.enum(CREDENTIAL_TYPES),
  clientSecret: secretChange('Client secret'),
  clientSecretExpiresAt: z.union([z.literal(''), z.iso.date('Enter a date (YYYY-MM-DD).')]),
  certificateThumbprint: z.string().trim().max(64, 'At most 64 characters.'),
  certificateKey: secretChange('Certificate private key', 16_384),
  authorizationEndpoint: optionalHttpUrl('Authorization endpoint', { https: true }),
  tokenEndpoint: optionalHttpUrl('Token endpoint', { https: true }),
  issuer: optionalHttpUrl('Issuer', { https: true }),
  userinfoEndpoint: optionalHttpUrl('Userinfo endpoint', { https: true }),
  scope: z.string().trim().max(1000, 'At most 1000 characters.'),
  grantType: z.enum(GRANT_TYPES),
  loginUser: optionalEmailAddress('SMTP login user'),
  username: headerSafe(320, 'Username'),
  password: secretChange('Password', 1024),
});

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};
const sameServer = (url: string, others: string[]) => others.some((o) => o && originOf(o) === originOf(url));

type AddIssue = (path: (string | number)[], message: string) => void;

/** Rules for the OAuth tile, applied only while OAuth 2.0 is the chosen authentication. */
function checkOAuth(v: OAuthValues, add: AddIssue) {
  const need = (path: keyof OAuthValues, message: string) => add([path], message);
  if (!(PROVIDER_GRANTS[v.provider] ?? []).includes(v.grantType)) {
    need('grantType', 'Google supports only the authorization code grant for SMTP (no client credentials, no password grant).');
  }
  if (!v.clientId) need('clientId', 'Enter the Client ID (Application ID) from the app registration.');
  else if (v.provider === 'microsoft' && !isGuid(v.clientId)) {
    need('clientId', 'A Microsoft Client ID is a GUID like 00000000-0000-0000-0000-000000000000 (Application (client) ID).');
  }
  if (v.provider === 'microsoft' && !TENANT.test(v.tenantId)) {
    need('tenantId', 'Enter the Directory (tenant) ID (a GUID), a domain like contoso.onmicrosoft.com, or "organizations".');
  }
  if (
    v.provider === 'microsoft' &&
    v.grantType === 'client_credentials' &&
    /^(common|organizations|consumers)$/i.test(v.tenantId)
  ) {
    need(
      'tenantId',
      'Client credentials need your own tenant: enter the Directory (tenant) ID, not "common" or "organizations".',
    );
  }
  if (!v.tokenEndpoint) need('tokenEndpoint', 'Enter the token endpoint (https://…).');
  if (v.grantType === 'authorization_code' && !v.authorizationEndpoint) {
    need('authorizationEndpoint', 'The authorization code grant needs the authorization endpoint (https://…).');
  }
  if (!v.scope) need('scope', 'Enter the scope to request.');
  if (v.provider === 'generic' && v.userinfoEndpoint && !sameServer(v.userinfoEndpoint, [v.tokenEndpoint, v.issuer])) {
    // It receives an access token: only the server that issued it may.
    need('userinfoEndpoint', 'The userinfo endpoint must be on the same server as the token endpoint or the issuer.');
  }
  if (v.provider === 'microsoft' && v.grantType === 'client_credentials' && !/\/\.default$/.test(v.scope)) {
    need('scope', 'App-only tokens need a ".default" scope, e.g. https://outlook.office365.com/.default.');
  }
  if (v.grantType === 'client_credentials' && !v.loginUser) {
    need('loginUser', 'Enter the mailbox the app sends as (the SMTP login user).');
  }
  if (v.grantType === 'password' && !v.username) need('username', 'The password grant needs the username (UPN) to sign in with.');
  if (v.credentialType === 'certificate') {
    if (v.provider !== 'microsoft') need('credentialType', 'Certificates are supported for Microsoft Entra ID only.');
    if (!THUMBPRINT.test(v.certificateThumbprint))
      need('certificateThumbprint', 'Enter the certificate thumbprint (40 or 64 hex characters).');
    if (v.certificateKey?.mode === 'set' && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v.certificateKey.value)) {
      add(['certificateKey', 'value'], 'Paste the PEM private key (-----BEGIN PRIVATE KEY-----).');
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Cross-field rules also run when a field already failed, so the admin sees every problem at
 * once; they only need the shape (objects and strings), which `when` checks.
 */
const shapeOk = (value: unknown, paths: string[][]) =>
  isObject(value) && paths.every((p) => isObject(p.reduce<unknown>((o, k) => (isObject(o) ? o[k] : undefined), value)));

/** 2. Use SMTP user authentication: Basic or OAuth 2.0 */
const authSchema = z
  .object({
    useAuth: z.boolean(),
    authType: z.enum(['basic', 'oauth2']),
    smtpUsername: headerSafe(320, 'SMTP username'),
    smtpPassword: secretChange('SMTP password', 1024),
    oauth: oauthFieldsSchema,
  })
  .superRefine((v, ctx) => {
    if (v.useAuth && v.authType === 'basic' && !v.smtpUsername) {
      ctx.addIssue({ code: 'custom', path: ['smtpUsername'], message: 'Enter the SMTP username (often the mailbox address).' });
    }
  });

/** 3. Recipients */
const recipientsSchema = z.object({
  to: emailList(),
  cc: emailList(),
  alsoNotify: z.object({
    actor: z.boolean(),
    modifiedObject: z.boolean(),
    groupOwners: z.boolean(),
    managers: z.boolean(),
    addedMembers: z.boolean(),
    removedMembers: z.boolean(),
    publicGroupOwners: z.boolean(),
  }),
});

/** 4. Password Expiry Group Notifications */
const passwordExpirySchema = z.object({ portalUrl: optionalHttpUrl('Portal URL') });

const days = whole('Days', 1, 365);

/** 5. Membership Life Cycle Notifications */
const membershipSchema = z.object({ onJoin: z.boolean(), onLeave: z.boolean(), beforeLeave: z.boolean(), beforeLeaveDays: days });

/** 6. Managed By Life Cycle Notifications */
const managedBySchema = z.object({
  sameAsMembership: z.boolean(),
  onAdded: z.boolean(),
  onRemoved: z.boolean(),
  beforeRemoval: z.boolean(),
  beforeRemovalDays: days,
});

/**
 * The whole page. The OAuth tile's rules apply only while it is in use, so a half-filled
 * tile the admin switched away from doesn't block saving Basic settings.
 */
export const notificationsSchema = z
  .object({
    version: z.number().int().min(0),
    transport: transportSchema,
    smtp: smtpServerSchema,
    auth: authSchema,
    recipients: recipientsSchema,
    passwordExpiry: passwordExpirySchema,
    membership: membershipSchema,
    managedBy: managedBySchema,
  })
  .superRefine(
    (v, ctx) => {
      const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
      if (v.transport.kind === 'smtp' && !v.smtp.host)
        issue(['smtp', 'host'], 'Enter a host name like smtp.example.com, or an IP address.');
      if (v.transport.kind === 'graph') {
        if (!v.transport.graphEndpoint)
          issue(['transport', 'graphEndpoint'], 'Enter the Graph endpoint, e.g. https://graph.microsoft.com/v1.0.');
        if (!v.transport.graphSender) issue(['transport', 'graphSender'], 'Enter the mailbox Graph sends as.');
        if (!v.auth.useAuth || v.auth.authType !== 'oauth2' || v.auth.oauth.provider !== 'microsoft') {
          issue(
            ['auth', 'authType'],
            'Microsoft Graph needs OAuth 2.0 with Microsoft Entra ID: choose the OAuth 2.0 tile and the Microsoft provider.',
          );
        } else if (!/graph\.microsoft|microsoftgraph|Mail\.Send/i.test(v.auth.oauth.scope)) {
          issue(
            ['auth', 'oauth', 'scope'],
            'Graph needs a Graph scope: https://graph.microsoft.com/.default (app-only) or https://graph.microsoft.com/Mail.Send offline_access (delegated).',
          );
        }
      }
      if (v.auth.useAuth && v.auth.authType === 'oauth2') {
        checkOAuth(v.auth.oauth, (path, message) => ctx.addIssue({ code: 'custom', path: ['auth', 'oauth', ...path], message }));
      }
    },
    { when: (payload) => shapeOk(payload.value, [['transport'], ['smtp'], ['auth'], ['auth', 'oauth']]) },
  );

export type NotificationsInput = z.input<typeof notificationsSchema>;
export type NotificationsValues = z.output<typeof notificationsSchema>;
type OAuthValues = z.output<typeof oauthFieldsSchema>;
