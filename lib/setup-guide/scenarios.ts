/**
 * The provider-side setups the guided setup knows (docs/providers.md#guided-setup): which API and
 * permission each needs, and what Exchange Online must allow. Data, used by the steps, the
 * scripts, paste-back and the checklist.
 */
import { CLOUD_INFO, type Cloud, type GrantType, type Transport } from '@/lib/notifications/providers';

export const SCENARIO_IDS = ['smtp-delegated', 'smtp-app', 'graph-app', 'graph-delegated', 'google'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

/** The resource service principals, found by their well-known application IDs; permissions are then looked up by name. */
export const EXCHANGE_API = { appId: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' } as const;
export const GRAPH_API = { appId: '00000003-0000-0000-c000-000000000000', name: 'Microsoft Graph' } as const;
/** Delegated sign-in scopes MSAL adds to every request (openid, profile) and the refresh token (offline_access). */
export const SIGN_IN_SCOPES = ['openid', 'profile', 'offline_access'] as const;

export type Scenario = {
  id: ScenarioId;
  label: string;
  summary: string;
  provider: 'microsoft' | 'google';
  transport: Transport;
  grant: GrantType;
  /** The permission that lets Mailroom send, as the provider names it. */
  permission: { name: string; kind: 'delegated' | 'application' | 'exchange-rbac' | 'google-scope' };
  /** Exchange Online work beyond the app registration. */
  exchange: 'none' | 'smtp-auth' | 'mailbox-access' | 'rbac';
};

export const SCENARIOS: Record<ScenarioId, Scenario> = {
  'smtp-delegated': {
    id: 'smtp-delegated',
    label: 'SMTP, signed-in mailbox (delegated)',
    summary: 'The mailbox signs in once through Connect; Mailroom keeps its refresh token and sends over SMTP as that mailbox.',
    provider: 'microsoft',
    transport: 'smtp',
    grant: 'authorization_code',
    permission: { name: 'SMTP.Send', kind: 'delegated' },
    exchange: 'smtp-auth',
  },
  'smtp-app': {
    id: 'smtp-app',
    label: 'SMTP, app-only (client credentials)',
    summary: 'No one signs in: the app sends over SMTP as one mailbox that Exchange Online lets it use.',
    provider: 'microsoft',
    transport: 'smtp',
    grant: 'client_credentials',
    permission: { name: 'SMTP.SendAsApp', kind: 'application' },
    exchange: 'mailbox-access',
  },
  'graph-app': {
    id: 'graph-app',
    label: 'Microsoft Graph, app-only',
    summary: 'No SMTP AUTH needed: the app sends through Graph sendMail as one mailbox, limited to it in Exchange Online.',
    provider: 'microsoft',
    transport: 'graph',
    grant: 'client_credentials',
    permission: { name: 'Mail.Send', kind: 'exchange-rbac' },
    exchange: 'rbac',
  },
  'graph-delegated': {
    id: 'graph-delegated',
    label: 'Microsoft Graph, signed-in mailbox (delegated)',
    summary: 'The mailbox signs in once through Connect; Mailroom sends through Graph sendMail as that mailbox.',
    provider: 'microsoft',
    transport: 'graph',
    grant: 'authorization_code',
    permission: { name: 'Mail.Send', kind: 'delegated' },
    exchange: 'none',
  },
  google: {
    id: 'google',
    label: 'Gmail / Google Workspace over SMTP',
    summary: 'A Google Cloud OAuth client; the mailbox signs in once through Connect and Mailroom sends over SMTP.',
    provider: 'google',
    transport: 'smtp',
    grant: 'authorization_code',
    permission: { name: 'https://mail.google.com/', kind: 'google-scope' },
    exchange: 'none',
  },
};

export const MICROSOFT_SCENARIOS = SCENARIO_IDS.filter((s) => SCENARIOS[s].provider === 'microsoft');

/** The scenario the form's (or the saved) settings describe, or null when the guide has none (generic OAuth, Basic). */
export function scenarioOf(v: {
  transport: { kind: string };
  auth: { useAuth: boolean; authType: string; oauth: { provider: string; grantType: string } };
}): ScenarioId | null {
  if (!v.auth.useAuth || v.auth.authType !== 'oauth2') return null;
  const { provider, grantType } = v.auth.oauth;
  if (provider === 'google') return 'google';
  if (provider !== 'microsoft') return null;
  const appOnly = grantType === 'client_credentials';
  if (v.transport.kind === 'graph') return appOnly ? 'graph-app' : 'graph-delegated';
  return appOnly ? 'smtp-app' : 'smtp-delegated';
}

/** What the generated scripts and the steps are filled in with. */
export type GuideInputs = {
  scenario: ScenarioId;
  cloud: Cloud;
  /** As entered in the form: a GUID or domain, or empty / organizations / common (then the signed-in admin's tenant). */
  tenant: string;
  /** As entered in the form (empty before the app exists). */
  clientId: string;
  appName: string;
  sender: string;
  redirectUri: string;
  secretMonths: number;
  today: Date;
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

/** A tenant that names one directory (GUID or verified domain), or null for "whichever the admin signs in to". */
export const specificTenant = (tenant: string): string | null => {
  const t = tenant.trim();
  return GUID.test(t) || DOMAIN.test(t) ? t : null;
};

export const isGuid = (v: string) => GUID.test(v.trim());

/**
 * Tenant-wide admin consent for every permission the app registration lists, signed in as an
 * administrator (Microsoft Entra: "Grant tenant-wide admin consent to an application").
 */
export function adminConsentUrl(cloud: Cloud, tenant: string, clientId: string): string | null {
  const t = specificTenant(tenant);
  if (!t || !isGuid(clientId)) return null;
  return `https://${CLOUD_INFO[cloud].login}/${encodeURIComponent(t)}/adminconsent?client_id=${encodeURIComponent(clientId.trim())}`;
}

/** The secret's end date the Azure CLI script asks for: `months` after `today`, as YYYY-MM-DD (UTC). */
export function secretEndDate(today: Date, months: number): string {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + months, today.getUTCDate()));
  return d.toISOString().slice(0, 10);
}

/** Microsoft Graph PowerShell's -Environment and Exchange Online PowerShell's -ExchangeEnvironmentName per cloud. */
export const CLOUD_SHELLS: Record<Cloud, { graphEnvironment: string; exchangeEnvironment?: string; azCloud: string }> = {
  global: { graphEnvironment: 'Global', azCloud: 'AzureCloud' },
  usgov: { graphEnvironment: 'USGov', exchangeEnvironment: 'O365USGovGCCHigh', azCloud: 'AzureUSGovernment' },
  china: { graphEnvironment: 'China', exchangeEnvironment: 'O365China', azCloud: 'AzureChinaCloud' },
};
