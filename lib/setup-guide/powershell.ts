/**
 * The PowerShell script that registers Mailroom for one Microsoft scenario: Microsoft Graph
 * PowerShell for the app registration and consent, Exchange Online PowerShell for the mailbox.
 * Every cmdlet and parameter is listed with its documentation in docs/providers.md#guided-setup.
 */
import {
  CLOUD_SHELLS,
  EXCHANGE_API,
  GRAPH_API,
  SCENARIOS,
  SIGN_IN_SCOPES,
  specificTenant,
  type GuideInputs,
} from '@/lib/setup-guide/scenarios';
import { psQuote } from '@/lib/setup-guide/quote';

type Part = string | false | undefined;
const lines = (...parts: Part[]) => parts.filter((p): p is string => typeof p === 'string').join('\n');

/** PowerShell expressions for the values the Exchange commands need: script variables, or literals for the steps. */
export type ExchangeRefs = { appId: string; objectId: string; appName: string; sender: string };

export const SCRIPT_REFS: ExchangeRefs = { appId: '$App.AppId', objectId: '$Sp.Id', appName: '$AppName', sender: '$Sender' };

/** The Exchange Online commands of a scenario (run by the script; shown with the store's values in the steps). */
export function exchangeCommands(i: GuideInputs, r: ExchangeRefs = SCRIPT_REFS): string[] {
  const s = SCENARIOS[i.scenario];
  if (s.exchange === 'smtp-auth') return [`Set-CASMailbox -Identity ${r.sender} -SmtpClientAuthenticationDisabled $false`];
  if (s.exchange === 'mailbox-access')
    return [
      `New-ServicePrincipal -AppId ${r.appId} -ObjectId ${r.objectId} -DisplayName ${r.appName}`,
      `$ExchangeSp = Get-ServicePrincipal -Identity ${r.objectId}`,
      `Add-MailboxPermission -Identity ${r.sender} -User $ExchangeSp.Identity -AccessRights FullAccess`,
      `Set-CASMailbox -Identity ${r.sender} -SmtpClientAuthenticationDisabled $false`,
    ];
  if (s.exchange === 'rbac')
    return [
      `New-ServicePrincipal -AppId ${r.appId} -ObjectId ${r.objectId} -DisplayName ${r.appName}`,
      `$ScopeName = "Mailroom sender $(${r.appId})"`,
      `$ScopeFilter = "PrimarySmtpAddress -eq '{0}'" -f (${r.sender} -replace "'", "''")`,
      'New-ManagementScope -Name $ScopeName -RecipientRestrictionFilter $ScopeFilter',
      `New-ManagementRoleAssignment -App ${r.objectId} -Role 'Application Mail.Send' -CustomResourceScope $ScopeName`,
      `Test-ServicePrincipalAuthorization -Identity ${r.objectId} -Resource ${r.sender}`,
    ];
  return [];
}

/** The one command that enables SMTP AUTH on the sender mailbox (the checklist shows it after a 5.7.139). */
export const enableSmtpAuthCommand = (sender: string) =>
  `Set-CASMailbox -Identity ${psQuote(sender, 'Sender mailbox')} -SmtpClientAuthenticationDisabled $false`;

export function powerShellScript(i: GuideInputs): string {
  const s = SCENARIOS[i.scenario];
  if (s.provider !== 'microsoft') throw new Error('PowerShell scripts exist for Microsoft scenarios only.');
  const shells = CLOUD_SHELLS[i.cloud];
  const tenant = specificTenant(i.tenant);
  const delegated = s.permission.kind === 'delegated';
  const appRole = s.permission.kind === 'application';
  const usesExchange = s.exchange !== 'none';
  const modules = ['Microsoft.Graph.Authentication', 'Microsoft.Graph.Applications'];
  if (delegated) modules.push('Microsoft.Graph.Identity.SignIns');
  if (usesExchange) modules.push('ExchangeOnlineManagement');
  const graphScopes = ["'Application.ReadWrite.All'", ...(appRole ? ["'AppRoleAssignment.ReadWrite.All'"] : [])];
  if (delegated) graphScopes.push("'DelegatedPermissionGrant.ReadWrite.All'");
  const connectGraph = [
    `Connect-MgGraph -Scopes ${graphScopes.join(', ')}`,
    tenant ? `-TenantId ${psQuote(tenant, 'Tenant')}` : '',
    i.cloud !== 'global' ? `-Environment ${shells.graphEnvironment}` : '',
    '-NoWelcome',
  ]
    .filter(Boolean)
    .join(' ');
  const exchange = exchangeCommands(i);

  return lines(
    `# Mailroom guided setup: ${s.label}.`,
    '# Creates a new app registration each time it runs. Run it in PowerShell 7 signed in as an administrator who may',
    '# register applications and grant admin consent (Privileged Role Administrator or Global Administrator)',
    usesExchange && '# and manage Exchange Online (Exchange Administrator).',
    `# Install the modules once: Install-Module ${modules.join(', ')} -Scope CurrentUser`,
    `#Requires -Modules ${modules.join(', ')}`,
    "$ErrorActionPreference = 'Stop'",
    '',
    `$AppName      = ${psQuote(i.appName, 'Application name')}`,
    `$RedirectUri  = ${psQuote(i.redirectUri, 'Redirect URI')}`,
    `$Sender       = ${psQuote(i.sender, 'Sender mailbox')}`,
    `$SecretMonths = ${Math.trunc(i.secretMonths)}`,
    '',
    '# Entra ID and Exchange need a moment to see a new object: retry a few times before giving up.',
    'function Invoke-WithRetry([scriptblock]$Action, [string]$What) {',
    '  for ($Attempt = 1; ; $Attempt++) {',
    '    try { return & $Action }',
    '    catch {',
    '      if ($Attempt -ge 6) { throw }',
    '      Write-Host "$What is not ready yet ($($_.Exception.Message)); trying again in 20 seconds."',
    '      Start-Sleep -Seconds 20',
    '    }',
    '  }',
    '}',
    '',
    '# Permissions are looked up by name on the API that defines them, never by a hard-coded id.',
    'function Get-Api([string]$AppId) {',
    `  $Api = Get-MgServicePrincipal -Filter "appId eq '$AppId'"`,
    '  if (-not $Api) { throw "The API $AppId has no service principal in this tenant." }',
    '  return $Api',
    '}',
    'function Get-Permission($Api, [string]$Name, [string]$Type) {',
    "  $Found = if ($Type -eq 'Role') {",
    "    $Api.AppRoles | Where-Object { $_.Value -eq $Name -and $_.AllowedMemberTypes -contains 'Application' }",
    '  } else {',
    '    $Api.Oauth2PermissionScopes | Where-Object { $_.Value -eq $Name }',
    '  }',
    '  if (-not $Found) { throw "$($Api.DisplayName) has no $Type permission named $Name." }',
    '  return $Found',
    '}',
    '',
    '# 1. Sign in to Microsoft Graph',
    connectGraph,
    '$TenantId = (Get-MgContext).TenantId',
    '',
    '# 2. The permission Mailroom needs, looked up by name',
    ...permissionLookup(i),
    '',
    '# 3. The app registration with its Web redirect URI, its service principal (the enterprise application) and a client secret',
    `$App = New-MgApplication -DisplayName $AppName -SignInAudience 'AzureADMyOrg' -Web @{ RedirectUris = @($RedirectUri) }${
      s.permission.kind === 'exchange-rbac' ? '' : ' -RequiredResourceAccess $RequiredAccess'
    }`,
    '$Sp = Invoke-WithRetry { New-MgServicePrincipal -AppId $App.AppId } "The new application"',
    "$Secret = Add-MgApplicationPassword -ApplicationId $App.Id -PasswordCredential @{ DisplayName = 'Mailroom'; EndDateTime = (Get-Date).ToUniversalTime().AddMonths($SecretMonths) }",
    '',
    ...consent(i),
    usesExchange && '',
    usesExchange && '# 5. Exchange Online',
    usesExchange &&
      `Connect-ExchangeOnline -ShowBanner:$false${shells.exchangeEnvironment ? ` -ExchangeEnvironmentName ${shells.exchangeEnvironment}` : ''}`,
    ...exchangeSection(i, exchange),
    '',
    '# 6. Paste the line below into Mailroom (Guided setup, "Paste the result"). It holds the client secret: keep no other copy.',
    '[ordered]@{',
    '  tenantId        = $TenantId',
    '  clientId        = $App.AppId',
    '  clientSecret    = $Secret.SecretText',
    "  secretExpiresAt = ([datetime]$Secret.EndDateTime).ToUniversalTime().ToString('yyyy-MM-dd', [Globalization.CultureInfo]::InvariantCulture)",
    '  sender          = $Sender',
    '} | ConvertTo-Json -Compress',
    '',
  );
}

function permissionLookup(i: GuideInputs): string[] {
  const s = SCENARIOS[i.scenario];
  const signIn = SIGN_IN_SCOPES.map((n) => `$(Get-Permission $Graph '${n}' 'Scope')`);
  if (i.scenario === 'smtp-app')
    return [
      `$Exchange = Get-Api '${EXCHANGE_API.appId}'   # ${EXCHANGE_API.name}`,
      `$Role = Get-Permission $Exchange '${s.permission.name}' 'Role'`,
      "$RequiredAccess = @(@{ ResourceAppId = $Exchange.AppId; ResourceAccess = @(@{ Id = $Role.Id; Type = 'Role' }) })",
    ];
  if (i.scenario === 'graph-app')
    return [
      '# None in Entra ID: a tenant-wide Mail.Send application permission would let the app send as every mailbox.',
      '# Exchange Online grants it for the sender mailbox only (RBAC for Applications, step 5).',
    ];
  if (i.scenario === 'smtp-delegated')
    return [
      `$Graph = Get-Api '${GRAPH_API.appId}'   # ${GRAPH_API.name}`,
      `$Exchange = Get-Api '${EXCHANGE_API.appId}'   # ${EXCHANGE_API.name}, the API SMTP tokens are issued for`,
      '# SMTP.Send is looked for on Exchange Online first, then on Microsoft Graph, which lists the same permission.',
      "$SmtpSend = @($Exchange.Oauth2PermissionScopes | Where-Object { $_.Value -eq 'SMTP.Send' })[0]",
      '$SmtpApi = $Exchange',
      "if (-not $SmtpSend) { $SmtpApi = $Graph; $SmtpSend = Get-Permission $Graph 'SMTP.Send' 'Scope' }",
      `$SignIn = @(${signIn.join(', ')})`,
      'if ($SmtpApi.Id -eq $Graph.Id) {',
      "  $RequiredAccess = @(@{ ResourceAppId = $Graph.AppId; ResourceAccess = @(@($SmtpSend) + $SignIn | ForEach-Object { @{ Id = $_.Id; Type = 'Scope' } }) })",
      '} else {',
      '  $RequiredAccess = @(',
      "    @{ ResourceAppId = $Exchange.AppId; ResourceAccess = @(@{ Id = $SmtpSend.Id; Type = 'Scope' }) }",
      "    @{ ResourceAppId = $Graph.AppId; ResourceAccess = @($SignIn | ForEach-Object { @{ Id = $_.Id; Type = 'Scope' } }) }",
      '  )',
      '}',
    ];
  return [
    `$Graph = Get-Api '${GRAPH_API.appId}'   # ${GRAPH_API.name}`,
    `$MailSend = Get-Permission $Graph '${s.permission.name}' 'Scope'`,
    `$SignIn = @(${signIn.join(', ')})`,
    "$RequiredAccess = @(@{ ResourceAppId = $Graph.AppId; ResourceAccess = @(@($MailSend) + $SignIn | ForEach-Object { @{ Id = $_.Id; Type = 'Scope' } }) })",
  ];
}

function consent(i: GuideInputs): string[] {
  if (i.scenario === 'smtp-app')
    return [
      '# 4. Admin consent: assign the application permission to the enterprise application',
      'Invoke-WithRetry { New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $Sp.Id -PrincipalId $Sp.Id -ResourceId $Exchange.Id -AppRoleId $Role.Id } "Admin consent" | Out-Null',
    ];
  if (i.scenario === 'graph-app') return ['# 4. No admin consent in Entra ID for this scenario (see step 2).'];
  const signInGrant =
    "Invoke-WithRetry { New-MgOauth2PermissionGrant -ClientId $Sp.Id -ConsentType 'AllPrincipals' -ResourceId $Graph.Id -Scope";
  if (i.scenario === 'smtp-delegated')
    return [
      '# 4. Admin consent for every user, so the mailbox is not asked at Connect',
      "if ($SmtpApi.Id -eq $Graph.Id) { $GraphScopes = 'SMTP.Send openid profile offline_access' } else {",
      `  Invoke-WithRetry { New-MgOauth2PermissionGrant -ClientId $Sp.Id -ConsentType 'AllPrincipals' -ResourceId $Exchange.Id -Scope 'SMTP.Send' } "Admin consent" | Out-Null`,
      "  $GraphScopes = 'openid profile offline_access'",
      '}',
      `${signInGrant} $GraphScopes } "Admin consent" | Out-Null`,
    ];
  return [
    '# 4. Admin consent for every user, so the mailbox is not asked at Connect',
    `${signInGrant} 'Mail.Send openid profile offline_access' } "Admin consent" | Out-Null`,
  ];
}

function exchangeSection(i: GuideInputs, commands: string[]): string[] {
  if (!commands.length) return [];
  const retried = (c: string) =>
    c.startsWith('New-ServicePrincipal') ? `Invoke-WithRetry { ${c} } "Exchange Online" | Out-Null` : c;
  const s = SCENARIOS[i.scenario];
  const why: Record<string, string> = {
    'smtp-auth': '# SMTP AUTH on for the mailbox that signs in (Exchange answers 535 5.7.139 while it is off)',
    'mailbox-access':
      "# Exchange's own record of the app (the enterprise application's object id, not the app registration's),\n# the mailbox it may send as, and SMTP AUTH on for that mailbox",
    rbac: "# Exchange's own record of the app, a scope that holds only the sender mailbox, and Mail.Send for the app within it",
  };
  return [
    why[s.exchange],
    ...commands.map((c) =>
      c.startsWith('Add-') || c.startsWith('New-Management')
        ? `${c} | Out-Null`
        : c.startsWith('Test-')
          ? `${c} | Out-Host`
          : retried(c),
    ),
  ];
}
