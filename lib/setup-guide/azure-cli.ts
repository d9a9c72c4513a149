/**
 * The Azure CLI alternative (bash, e.g. Azure Cloud Shell): the same app registration, secret and
 * consent as the PowerShell script. The Azure CLI has no Exchange Online commands, so for the
 * Exchange part it prints the PowerShell lines to run, filled in with the new app's ids.
 */
import { CLOUD_INFO } from '@/lib/notifications/providers';
import { exchangeCommands } from '@/lib/setup-guide/powershell';
import { psQuote, shQuote } from '@/lib/setup-guide/quote';
import {
  CLOUD_SHELLS,
  EXCHANGE_API,
  GRAPH_API,
  isGuid,
  SCENARIOS,
  SIGN_IN_SCOPES,
  secretEndDate,
  specificTenant,
  type GuideInputs,
} from '@/lib/setup-guide/scenarios';

type Part = string | false | undefined;

/** Stand-ins for the new app's ids in the printed Exchange commands; a control character never survives psQuote, so no value can fake one. */
const APP_ID_MARK = '\u0001A';
const OBJECT_ID_MARK = '\u0001O';

/** A bash line printing one PowerShell command with the app's ids filled in as literals: the command is printf's format, every % and \\ in it escaped. */
function printLine(command: string): string {
  const args = [...command.matchAll(/\u0001[AO]/g)].map((m) => (m[0] === APP_ID_MARK ? '"$APP_ID"' : '"$SP_ID"'));
  const format = command
    .replace(/\\/g, '\\\\')
    .replace(/%/g, '%%')
    .replace(/\u0001[AO]/g, "'%s'");
  return ['  printf', shQuote(`${format}\\n`, 'Command'), ...args].join(' ');
}

const lines = (...parts: Part[]) => parts.filter((p): p is string => typeof p === 'string').join('\n');

export function azureCliScript(i: GuideInputs): string {
  const s = SCENARIOS[i.scenario];
  if (s.provider !== 'microsoft') throw new Error('Azure CLI scripts exist for Microsoft scenarios only.');
  const tenant = specificTenant(i.tenant);
  const graphRoot = CLOUD_INFO[i.cloud].graph;
  const exchange = exchangeCommands(i, {
    appId: APP_ID_MARK,
    objectId: OBJECT_ID_MARK,
    appName: psQuote(i.appName, 'Application name'),
    sender: psQuote(i.sender, 'Sender mailbox'),
  });

  return lines(
    '#!/usr/bin/env bash',
    `# Mailroom guided setup: ${s.label} (Azure CLI, e.g. in Azure Cloud Shell).`,
    '# Creates a new app registration each time it runs. Sign in first as an administrator who may register',
    '# applications and grant admin consent: az login --allow-no-subscriptions',
    'set -euo pipefail',
    '',
    `APP_NAME=${shQuote(i.appName, 'Application name')}`,
    `REDIRECT_URI=${shQuote(i.redirectUri, 'Redirect URI')}`,
    `SENDER=${shQuote(i.sender, 'Sender mailbox')}`,
    `SECRET_END=${secretEndDate(i.today, i.secretMonths)}`,
    `EXCHANGE_API=${EXCHANGE_API.appId}   # ${EXCHANGE_API.name}`,
    `GRAPH_API=${GRAPH_API.appId}   # ${GRAPH_API.name}`,
    `GRAPH=${graphRoot}`,
    '',
    i.cloud !== 'global' && `az cloud set --name ${CLOUD_SHELLS[i.cloud].azCloud}`,
    loginLine(tenant),
    'TENANT_ID=$(az account show --query tenantId -o tsv)',
    '',
    '# Permissions are looked up by name on the API that defines them, never by a hard-coded id.',
    'permission_id() { # <api app id> <Role|Scope> <name>',
    '  local list=oauth2PermissionScopes',
    '  [ "$2" = Role ] && list=appRoles',
    `  az ad sp show --id "$1" --query "$list[?value=='$3'].id | [0]" -o tsv`,
    '}',
    'require() { [ -n "$1" ] || { echo "$2" >&2; exit 1; }; }',
    '',
    '# 1. The permission Mailroom needs',
    ...permissions(i),
    '',
    '# 2. The app registration with its Web redirect URI, its service principal (the enterprise application) and a client secret',
    'APP_ID=$(az ad app create --display-name "$APP_NAME" --sign-in-audience AzureADMyOrg --web-redirect-uris "$REDIRECT_URI" --query appId -o tsv)',
    ...addPermissions(i),
    'SP_ID=$(az ad sp create --id "$APP_ID" --query id -o tsv)',
    'CLIENT_SECRET=$(az ad app credential reset --id "$APP_ID" --append --display-name Mailroom --end-date "$SECRET_END" --query password -o tsv)',
    '',
    ...consent(i),
    ...(exchange.length
      ? [
          '',
          '# 4. Exchange Online has no Azure CLI commands: run these lines in Exchange Online PowerShell (Connect-ExchangeOnline).',
          '{',
          "  echo 'Now run in Exchange Online PowerShell:'",
          ...exchange.map(printLine),
          '} >&2',
        ]
      : []),
    '',
    '# 5. Paste the line below into Mailroom (Guided setup, "Paste the result"). It holds the client secret: keep no other copy.',
    'json() { local s=${1//\\\\/\\\\\\\\}; s=${s//\\"/\\\\\\"}; printf \'"%s"\' "$s"; }',
    'printf \'{"tenantId":%s,"clientId":%s,"clientSecret":%s,"secretExpiresAt":%s,"sender":%s}\\n\' \\',
    '  "$(json "$TENANT_ID")" "$(json "$APP_ID")" "$(json "$CLIENT_SECRET")" "$(json "$SECRET_END")" "$(json "$SENDER")"',
    '',
  );
}

/** Signs in unless already signed in to the tenant the form names (by GUID: compared; by domain: trusted as is). */
function loginLine(tenant: string | null): string {
  if (!tenant) return 'az account show >/dev/null 2>&1 || az login --allow-no-subscriptions >/dev/null';
  const t = shQuote(tenant, 'Tenant');
  return isGuid(tenant)
    ? `[ "$(az account show --query tenantId -o tsv 2>/dev/null)" = ${t} ] || az login --allow-no-subscriptions --tenant ${t} >/dev/null`
    : `az account show >/dev/null 2>&1 || az login --allow-no-subscriptions --tenant ${t} >/dev/null`;
}

function permissions(i: GuideInputs): string[] {
  const signIn = SIGN_IN_SCOPES.map(
    (n) =>
      `${n.toUpperCase()}=$(permission_id "$GRAPH_API" Scope ${n}); require "$${n.toUpperCase()}" 'Microsoft Graph has no ${n} scope.'`,
  );
  if (i.scenario === 'smtp-app')
    return [
      'SEND_AS_APP=$(permission_id "$EXCHANGE_API" Role SMTP.SendAsApp)',
      'require "$SEND_AS_APP" \'Office 365 Exchange Online has no application permission SMTP.SendAsApp.\'',
    ];
  if (i.scenario === 'graph-app')
    return [
      '# None in Entra ID: a tenant-wide Mail.Send application permission would let the app send as every mailbox.',
      '# Exchange Online grants it for the sender mailbox only (RBAC for Applications, step 4).',
    ];
  if (i.scenario === 'smtp-delegated')
    return [
      '# SMTP.Send is looked for on Exchange Online first, then on Microsoft Graph, which lists the same permission.',
      'SMTP_API=$EXCHANGE_API',
      'SMTP_SEND=$(permission_id "$EXCHANGE_API" Scope SMTP.Send)',
      '[ -n "$SMTP_SEND" ] || { SMTP_API=$GRAPH_API; SMTP_SEND=$(permission_id "$GRAPH_API" Scope SMTP.Send); }',
      'require "$SMTP_SEND" \'Neither Exchange Online nor Microsoft Graph has a delegated permission SMTP.Send.\'',
      ...signIn,
    ];
  return [
    'MAIL_SEND=$(permission_id "$GRAPH_API" Scope Mail.Send)',
    'require "$MAIL_SEND" \'Microsoft Graph has no delegated permission Mail.Send.\'',
    ...signIn,
  ];
}

function addPermissions(i: GuideInputs): string[] {
  const signIn = SIGN_IN_SCOPES.map((n) => `"$${n.toUpperCase()}=Scope"`).join(' ');
  if (i.scenario === 'smtp-app')
    return [
      'az ad app permission add --id "$APP_ID" --api "$EXCHANGE_API" --api-permissions "$SEND_AS_APP=Role" --only-show-errors',
    ];
  if (i.scenario === 'smtp-delegated')
    return [
      'if [ "$SMTP_API" = "$GRAPH_API" ]; then',
      `  az ad app permission add --id "$APP_ID" --api "$GRAPH_API" --api-permissions "$SMTP_SEND=Scope" ${signIn} --only-show-errors`,
      'else',
      '  az ad app permission add --id "$APP_ID" --api "$EXCHANGE_API" --api-permissions "$SMTP_SEND=Scope" --only-show-errors',
      `  az ad app permission add --id "$APP_ID" --api "$GRAPH_API" --api-permissions ${signIn} --only-show-errors`,
      'fi',
    ];
  if (i.scenario === 'graph-delegated')
    return [
      `az ad app permission add --id "$APP_ID" --api "$GRAPH_API" --api-permissions "$MAIL_SEND=Scope" ${signIn} --only-show-errors`,
    ];
  return [];
}

function consent(i: GuideInputs): string[] {
  const retry = (cmd: string) => `for n in 1 2 3 4 5 6; do ${cmd} && break; [ "$n" = 6 ] && exit 1; sleep 20; done`;
  if (i.scenario === 'smtp-app')
    return [
      '# 3. Admin consent: assign the application permission to the enterprise application (Microsoft Graph appRoleAssignments)',
      'EXCHANGE_SP_ID=$(az ad sp show --id "$EXCHANGE_API" --query id -o tsv)',
      retry(
        'az rest --method POST --url "$GRAPH/servicePrincipals/$SP_ID/appRoleAssignments" --headers Content-Type=application/json --body "{\\"principalId\\":\\"$SP_ID\\",\\"resourceId\\":\\"$EXCHANGE_SP_ID\\",\\"appRoleId\\":\\"$SEND_AS_APP\\"}" >/dev/null',
      ),
    ];
  if (i.scenario === 'graph-app') return ['# 3. No admin consent in Entra ID for this scenario (see step 1).'];
  const signIn = SIGN_IN_SCOPES.join(' ');
  if (i.scenario === 'smtp-delegated')
    return [
      '# 3. Admin consent for every user, so the mailbox is not asked at Connect',
      'if [ "$SMTP_API" = "$GRAPH_API" ]; then',
      `  ${retry(`az ad app permission grant --id "$APP_ID" --api "$GRAPH_API" --scope 'SMTP.Send ${signIn}' >/dev/null`)}`,
      'else',
      `  ${retry('az ad app permission grant --id "$APP_ID" --api "$EXCHANGE_API" --scope SMTP.Send >/dev/null')}`,
      `  ${retry(`az ad app permission grant --id "$APP_ID" --api "$GRAPH_API" --scope '${signIn}' >/dev/null`)}`,
      'fi',
    ];
  return [
    '# 3. Admin consent for every user, so the mailbox is not asked at Connect',
    retry(`az ad app permission grant --id "$APP_ID" --api "$GRAPH_API" --scope 'Mail.Send ${signIn}' >/dev/null`),
  ];
}
