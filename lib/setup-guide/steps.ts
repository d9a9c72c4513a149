/**
 * The steps of each scenario in the order an admin does them, filled in with the store's values,
 * and what Mailroom checks for each one after saving (lib/setup-guide/checklist.ts).
 */
import { enableSmtpAuthCommand, exchangeCommands } from '@/lib/setup-guide/powershell';
import { psQuote } from '@/lib/setup-guide/quote';
import {
  adminConsentUrl,
  EXCHANGE_API,
  GRAPH_API,
  isGuid,
  SCENARIOS,
  secretEndDate,
  SIGN_IN_SCOPES,
  specificTenant,
  type GuideInputs,
} from '@/lib/setup-guide/scenarios';

export type CheckKind =
  | 'registration'
  | 'secret'
  | 'consent'
  | 'exchange-principal'
  | 'mailbox-permission'
  | 'rbac'
  | 'smtp-auth'
  | 'publishing'
  | 'saved'
  | 'connect'
  | 'send';

export type Step = {
  id: CheckKind;
  title: string;
  text: string;
  /** Shown with a Copy button unless `copy` is false; `href`: a link to open. */
  values: { label: string; value: string; href?: boolean; copy?: boolean }[];
  /** PowerShell to run, exactly as shown. */
  commands?: string[];
};

const PORTAL = 'Microsoft Entra admin center → App registrations';

export function stepsFor(i: GuideInputs): Step[] {
  return SCENARIOS[i.scenario].provider === 'google' ? googleSteps(i) : microsoftSteps(i);
}

function microsoftSteps(i: GuideInputs): Step[] {
  const s = SCENARIOS[i.scenario];
  const consentUrl = adminConsentUrl(i.cloud, i.tenant, i.clientId);
  const refs = {
    appId: isGuid(i.clientId) ? psQuote(i.clientId.trim()) : "'<Application (client) ID>'",
    objectId: "'<Object ID of the enterprise application>'",
    appName: psQuote(i.appName, 'Application name'),
    sender: psQuote(i.sender, 'Sender mailbox'),
  };
  const exchange = exchangeCommands(i, refs);
  const steps: Step[] = [
    {
      id: 'registration',
      title: 'Register the application',
      text: `${PORTAL} → New registration: accounts in this organizational directory only, and the redirect URI on the Web platform (not SPA: SPA refresh tokens last only 24 hours).`,
      values: [
        { label: 'Name', value: i.appName },
        { label: 'Redirect URI (Web)', value: i.redirectUri },
        ...(specificTenant(i.tenant) ? [{ label: 'Tenant', value: i.tenant.trim() }] : []),
      ],
    },
    {
      id: 'secret',
      title: 'Create a client secret',
      text: `Certificates & secrets → New client secret. Copy its Value (shown once), not its Secret ID, and note when it expires: Mailroom warns 30 days before.`,
      values: [{ label: 'Expires', value: `${secretEndDate(i.today, i.secretMonths)} (${i.secretMonths} months)`, copy: false }],
    },
    permissionStep(i, consentUrl),
  ];
  const smtpAuth: Step = {
    id: 'smtp-auth',
    title: 'Enable SMTP AUTH for the mailbox',
    text: 'Exchange Online PowerShell, as an Exchange administrator. While it is off, Exchange answers 535 5.7.139.',
    values: [{ label: 'Mailbox', value: i.sender }],
    commands: [enableSmtpAuthCommand(i.sender)],
  };
  const exchangePrincipal = (commands: string[]): Step => ({
    id: 'exchange-principal',
    title: 'Register the app in Exchange Online',
    text: 'Exchange keeps its own record of the app. Use the Object ID shown under Enterprise applications → this app, not the one under App registrations: with the wrong one Exchange refuses the app. Allow 15–30 minutes before testing.',
    values: [],
    commands,
  });
  if (s.exchange === 'smtp-auth') steps.push(smtpAuth);
  if (s.exchange === 'mailbox-access')
    steps.push(
      exchangePrincipal(exchange.slice(0, 2)),
      {
        id: 'mailbox-permission',
        title: 'Let the app send as the mailbox',
        text: 'Full access to the sender mailbox for the app’s Exchange service principal.',
        values: [{ label: 'Mailbox', value: i.sender }],
        commands: exchange.slice(2, 3),
      },
      smtpAuth,
    );
  if (s.exchange === 'rbac')
    steps.push(exchangePrincipal(exchange.slice(0, 1)), {
      id: 'rbac',
      title: 'Allow Mail.Send for the sender mailbox only',
      text: 'RBAC for Applications: a management scope holding only the sender mailbox, and the role Application Mail.Send for the app within it. Test-ServicePrincipalAuthorization shows InScope True for the mailbox.',
      values: [{ label: 'Mailbox', value: i.sender }],
      commands: exchange.slice(1),
    });
  return [...steps, ...mailroomSteps(i)];
}

function permissionStep(i: GuideInputs, consentUrl: string | null): Step {
  const s = SCENARIOS[i.scenario];
  const consent = consentUrl
    ? [{ label: 'Admin consent URL (open as an administrator)', value: consentUrl, href: true }]
    : [{ label: 'Admin consent URL', value: 'appears here once the Tenant ID and Client ID are filled in below', copy: false }];
  if (s.permission.kind === 'application')
    return {
      id: 'consent',
      title: 'Add the permission and grant admin consent',
      text: `API permissions → Add a permission → APIs my organization uses → ${EXCHANGE_API.name} → Application permissions → ${s.permission.name}, then Grant admin consent. Without consent the token carries no ${s.permission.name} and Exchange refuses it. The consent page returns to Mailroom’s callback, which then says no sign-in was expected: close that tab.`,
      values: [
        { label: 'API', value: EXCHANGE_API.name },
        { label: 'Application permission', value: s.permission.name },
        ...consent,
      ],
    };
  if (s.permission.kind === 'exchange-rbac')
    return {
      id: 'consent',
      title: 'Leave Mail.Send out of Entra ID',
      text: `Add no ${GRAPH_API.name} application permission: Mail.Send granted in Entra ID lets the app send as every mailbox in the tenant, and Exchange cannot narrow it. Exchange Online grants it for the sender mailbox below.`,
      values: [],
    };
  const api =
    i.scenario === 'smtp-delegated'
      ? `${EXCHANGE_API.name} (or ${GRAPH_API.name}, which lists the same permission)`
      : GRAPH_API.name;
  return {
    id: 'consent',
    title: 'Add the delegated permissions',
    text: `API permissions → Add a permission → ${api} → Delegated permissions → ${s.permission.name}, and ${GRAPH_API.name} ${SIGN_IN_SCOPES.join(', ')}. Grant admin consent, or the mailbox consents itself when it signs in at Connect (unless user consent is turned off in the tenant).`,
    values: [{ label: 'Delegated permission', value: s.permission.name }, ...consent],
  };
}

function mailroomSteps(i: GuideInputs): Step[] {
  const s = SCENARIOS[i.scenario];
  const appOnly = s.grant === 'client_credentials';
  return [
    {
      id: 'saved',
      title: 'Fill in Mailroom and save',
      text:
        s.provider === 'google'
          ? 'Paste the client JSON Google lets you download (or the Client ID and secret) below, check the fields, and Save.'
          : 'Paste the script’s result below, or type the Directory (tenant) ID, Application (client) ID, secret Value and its expiry date into the fields; then Save.',
      values: [],
    },
    {
      id: 'connect',
      title: appOnly ? 'Connect (the app gets a token)' : 'Connect and sign in as the mailbox',
      text: appOnly
        ? 'Connect asks for an app-only token at once, which proves the tenant, client ID, secret and consent.'
        : 'Connect opens the provider’s sign-in page: sign in as the sender mailbox; Mailroom keeps the refresh token.',
      values: appOnly ? [] : [{ label: 'Sign in as', value: i.sender }],
    },
    {
      id: 'send',
      title: 'Send a test',
      text: 'Test Server in the SMTP Server section sends a real message through the saved settings.',
      values: [],
    },
  ];
}

function googleSteps(i: GuideInputs): Step[] {
  return [
    {
      id: 'publishing',
      title: 'Configure the OAuth consent screen',
      text: 'Google Cloud console → Google Auth Platform (OAuth consent screen). With Google Workspace choose the Internal audience. An External app must be published (In production): in Testing status Google’s refresh tokens expire after 7 days and the connection stops.',
      values: [{ label: 'Console', value: 'https://console.cloud.google.com/auth/overview', href: true }],
    },
    {
      id: 'consent',
      title: 'Add the Gmail scope',
      text: 'Data access → Add or remove scopes: https://mail.google.com/ (SMTP needs it; gmail.send is not enough).',
      values: [{ label: 'Scope', value: 'https://mail.google.com/' }],
    },
    {
      id: 'registration',
      title: 'Create a Web application client',
      text: 'Clients → Create client → Web application, with the redirect URI below under Authorized redirect URIs. Download the client JSON when Google shows the secret: it is the one thing to paste into Mailroom. Google has no command-line tool for these OAuth clients (gcloud’s oauth-clients are for Workforce Identity Federation only), so there is no script.',
      values: [
        { label: 'Application type', value: 'Web application' },
        { label: 'Authorized redirect URI', value: i.redirectUri },
      ],
    },
    ...mailroomSteps(i),
  ];
}
