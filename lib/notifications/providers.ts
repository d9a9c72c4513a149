/**
 * Provider facts (docs/providers.md) as data: presets for the SMTP section and the
 * OAuth defaults per provider, cloud and grant. Used by the form and by the server.
 */
export const SECURITY_MODES = ['auto', 'starttls', 'tls', 'none'] as const;
export type SecurityMode = (typeof SECURITY_MODES)[number];

export const SECURITY_MODE_LABELS: Record<SecurityMode, string> = {
  auto: 'Auto (TLS on 465, otherwise STARTTLS when offered)',
  starttls: 'STARTTLS required',
  tls: 'Implicit TLS (SSL/TLS from the first byte)',
  none: 'None — unencrypted',
};

export const DEFAULT_PORT: Record<SecurityMode, number> = { auto: 587, starttls: 587, tls: 465, none: 25 };

export const SMTP_PRESETS = {
  microsoft365: { label: 'Microsoft 365 / Exchange Online', host: 'smtp.office365.com', port: 587, securityMode: 'starttls' },
  gmail: { label: 'Gmail / Google Workspace', host: 'smtp.gmail.com', port: 587, securityMode: 'starttls' },
  custom: { label: 'Custom', host: '', port: 587, securityMode: 'auto' },
} as const satisfies Record<string, { label: string; host: string; port: number; securityMode: SecurityMode }>;
export type SmtpPreset = keyof typeof SMTP_PRESETS;
export const SMTP_PRESET_IDS = Object.keys(SMTP_PRESETS) as SmtpPreset[];

export const OAUTH_PROVIDERS = ['microsoft', 'google', 'generic'] as const;
export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number];
export const OAUTH_PROVIDER_LABELS: Record<OAuthProvider, string> = {
  microsoft: 'Microsoft Entra ID / Office 365',
  google: 'Google',
  generic: 'Generic OAuth 2.0 / OIDC',
};

export const CLOUDS = ['global', 'usgov', 'china'] as const;
export type Cloud = (typeof CLOUDS)[number];
export const CLOUD_INFO: Record<Cloud, { label: string; login: string; outlook: string; graph: string }> = {
  global: {
    label: 'Global (login.microsoftonline.com)',
    login: 'login.microsoftonline.com',
    outlook: 'outlook.office.com',
    graph: 'https://graph.microsoft.com/v1.0',
  },
  usgov: {
    label: 'US Government (login.microsoftonline.us)',
    login: 'login.microsoftonline.us',
    outlook: 'outlook.office365.us',
    graph: 'https://graph.microsoft.us/v1.0',
  },
  china: {
    label: 'China (21Vianet)',
    login: 'login.partner.microsoftonline.cn',
    outlook: 'partner.outlook.cn',
    graph: 'https://microsoftgraph.chinacloudapi.cn/v1.0',
  },
};

export const GRANT_TYPES = ['authorization_code', 'client_credentials', 'password'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];
export const GRANT_LABELS: Record<GrantType, string> = {
  authorization_code: 'Authorization code — sign in and consent (recommended)',
  client_credentials: 'Client credentials — send as app (no user sign-in)',
  password: 'Username + password (legacy; fails with MFA)',
};

/** Which grants a provider supports (Google has no client-credentials grant for SMTP). */
export const PROVIDER_GRANTS: Record<OAuthProvider, readonly GrantType[]> = {
  microsoft: GRANT_TYPES,
  google: ['authorization_code'],
  generic: GRANT_TYPES,
};

export const CREDENTIAL_TYPES = ['secret', 'certificate'] as const;

type OAuthDefaults = { authorizationEndpoint: string; tokenEndpoint: string; scope: string };

/** Tenant as typed, or `organizations` (any work account) when empty. */
const tenantOrDefault = (tenant: string) => tenant.trim() || 'organizations';

export const TRANSPORTS = ['smtp', 'graph'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** Graph's resource for scopes: the endpoint without its version path. */
const graphResource = (cloud: Cloud) => new URL(CLOUD_INFO[cloud].graph).origin;

export function oauthDefaults(
  provider: OAuthProvider,
  cloud: Cloud,
  tenant: string,
  grant: GrantType,
  transport: Transport = 'smtp',
): OAuthDefaults {
  if (provider === 'google') {
    return {
      authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenEndpoint: 'https://oauth2.googleapis.com/token',
      scope: 'https://mail.google.com/',
    };
  }
  if (provider === 'microsoft') {
    const c = CLOUD_INFO[cloud];
    const base = `https://${c.login}/${encodeURIComponent(tenantOrDefault(tenant))}/oauth2/v2.0`;
    const outlook = cloud === 'global' ? 'outlook.office365.com' : c.outlook;
    const graph = graphResource(cloud);
    const scope =
      transport === 'graph'
        ? grant === 'client_credentials'
          ? `${graph}/.default`
          : `${graph}/Mail.Send offline_access`
        : grant === 'client_credentials'
          ? `https://${outlook}/.default`
          : `https://${c.outlook}/SMTP.Send offline_access`;
    return { authorizationEndpoint: `${base}/authorize`, tokenEndpoint: `${base}/token`, scope };
  }
  return { authorizationEndpoint: '', tokenEndpoint: '', scope: '' };
}

/** The path the provider redirects back to; APP_URL + this is what the admin registers. */
export const OAUTH_CALLBACK_PATH = '/api/oauth/callback';
/** The connection card's element id: the consent redirect returns to it. */
export const CONNECTION_CARD_ID = 'oauth-connection';
