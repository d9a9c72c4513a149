import { describe, expect, it } from 'vitest';
import { azureCliScript } from '@/lib/setup-guide/azure-cli';
import { powerShellScript } from '@/lib/setup-guide/powershell';
import { psQuote, shQuote, UnsafeScriptValue } from '@/lib/setup-guide/quote';
import { EXCHANGE_API, GRAPH_API, MICROSOFT_SCENARIOS, type GuideInputs, type ScenarioId } from '@/lib/setup-guide/scenarios';
import { stepsFor } from '@/lib/setup-guide/steps';
import { readPsLiteral } from '@/tests/support/powershell-literal';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '11111111-2222-3333-4444-555555555555';
const REDIRECT = 'https://mailroom.example.com/api/oauth/callback';

const inputs = (scenario: ScenarioId, patch: Partial<GuideInputs> = {}): GuideInputs => ({
  scenario,
  cloud: 'global',
  tenant: TENANT,
  clientId: CLIENT,
  appName: 'Mailroom – Contoso helpdesk',
  sender: 'helpdesk@contoso.com',
  redirectUri: REDIRECT,
  secretMonths: 6,
  today: new Date('2026-11-28T09:00:00Z'),
  ...patch,
});

/** The value a `$Name = '…'` line assigns, and whatever follows the literal on that line. */
function psAssignment(script: string, variable: string): { value: string; rest: string } {
  const line = script.split('\n').find((l) => l.startsWith(`$${variable} `));
  if (!line) throw new Error(`no $${variable} in the script`);
  const { value, end } = readPsLiteral(line, line.indexOf('=') + 2);
  return { value, rest: line.slice(end) };
}

const HOSTILE = [
  "O'Brien's app",
  "x'; Remove-Item -Recurse C:\\; '",
  '$(Invoke-WebRequest https://evil.example) `whoami` ${env:PATH}',
  'a ; b & c | d && e',
  '‘smart’ quotes ‛and‚ more',
  '"double" quotes and # not a comment',
];

describe('PowerShell script', () => {
  it.each(MICROSOFT_SCENARIOS)('%s: fills in the store’s values and looks permissions up by name', (scenario) => {
    const script = powerShellScript(inputs(scenario));
    expect(psAssignment(script, 'AppName').value).toBe('Mailroom – Contoso helpdesk');
    expect(psAssignment(script, 'RedirectUri').value).toBe(REDIRECT);
    expect(psAssignment(script, 'Sender').value).toBe('helpdesk@contoso.com');
    expect(script).toContain(`-TenantId '${TENANT}'`);
    expect(script).toContain(
      "New-MgApplication -DisplayName $AppName -SignInAudience 'AzureADMyOrg' -Web @{ RedirectUris = @($RedirectUri) }",
    );
    expect(script).toContain(
      "Add-MgApplicationPassword -ApplicationId $App.Id -PasswordCredential @{ DisplayName = 'Mailroom'; EndDateTime =",
    );
    expect(script).toContain('| ConvertTo-Json -Compress');
    // The only GUIDs are the two APIs' well-known application IDs and the tenant: no permission id is hard-coded.
    const guids = new Set(script.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi));
    expect([...guids].every((g) => [EXCHANGE_API.appId, GRAPH_API.appId, TENANT].includes(g))).toBe(true);
  });

  it('app-only SMTP: SMTP.SendAsApp of Office 365 Exchange Online, admin consent, the Exchange service principal with the enterprise app’s object id, mailbox permission and SMTP AUTH', () => {
    const script = powerShellScript(inputs('smtp-app'));
    expect(script).toContain(`Get-Api '${EXCHANGE_API.appId}'`);
    expect(script).toContain("Get-Permission $Exchange 'SMTP.SendAsApp' 'Role'");
    expect(script).toContain(
      'New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $Sp.Id -PrincipalId $Sp.Id -ResourceId $Exchange.Id -AppRoleId $Role.Id',
    );
    expect(script).toContain('New-ServicePrincipal -AppId $App.AppId -ObjectId $Sp.Id -DisplayName $AppName');
    expect(script).toContain('Add-MailboxPermission -Identity $Sender -User $ExchangeSp.Identity -AccessRights FullAccess');
    expect(script).toContain('Set-CASMailbox -Identity $Sender -SmtpClientAuthenticationDisabled $false');
    expect(script).toContain(
      '#Requires -Modules Microsoft.Graph.Authentication, Microsoft.Graph.Applications, ExchangeOnlineManagement',
    );
  });

  it('delegated SMTP: SMTP.Send with tenant-wide consent and SMTP AUTH, no Exchange service principal', () => {
    const script = powerShellScript(inputs('smtp-delegated'));
    expect(script).toContain("Where-Object { $_.Value -eq 'SMTP.Send' }");
    expect(script).toContain("New-MgOauth2PermissionGrant -ClientId $Sp.Id -ConsentType 'AllPrincipals'");
    expect(script).toContain('Set-CASMailbox -Identity $Sender -SmtpClientAuthenticationDisabled $false');
    expect(script).not.toContain('New-ServicePrincipal -AppId');
    expect(script).not.toContain('-RequiredResourceAccess $RequiredAccess -Web');
  });

  it('Graph app-only: no tenant-wide Mail.Send in Entra ID; RBAC for Applications scoped to the sender', () => {
    const script = powerShellScript(inputs('graph-app'));
    expect(script).not.toContain('-RequiredResourceAccess');
    expect(script).not.toContain('New-MgServicePrincipalAppRoleAssignment');
    expect(script).toContain('New-ManagementScope -Name $ScopeName -RecipientRestrictionFilter $ScopeFilter');
    expect(script).toContain(`$ScopeFilter = "PrimarySmtpAddress -eq '{0}'" -f ($Sender -replace "'", "''")`);
    expect(script).toContain(
      "New-ManagementRoleAssignment -App $Sp.Id -Role 'Application Mail.Send' -CustomResourceScope $ScopeName",
    );
    expect(script).toContain('Test-ServicePrincipalAuthorization -Identity $Sp.Id -Resource $Sender');
  });

  it('Graph delegated: Mail.Send of Microsoft Graph, consent, no Exchange Online at all', () => {
    const script = powerShellScript(inputs('graph-delegated'));
    expect(script).toContain("Get-Permission $Graph 'Mail.Send' 'Scope'");
    expect(script).toContain("-Scope 'Mail.Send openid profile offline_access'");
    expect(script).not.toContain('ExchangeOnlineManagement');
    expect(script).not.toContain('Connect-ExchangeOnline');
  });

  it('national clouds connect to their own environments; no tenant means the admin’s own', () => {
    const gov = powerShellScript(inputs('smtp-app', { cloud: 'usgov', tenant: 'organizations' }));
    expect(gov).toContain('-Environment USGov');
    expect(gov).toContain('Connect-ExchangeOnline -ShowBanner:$false -ExchangeEnvironmentName O365USGovGCCHigh');
    expect(gov).not.toContain('-TenantId');
    expect(powerShellScript(inputs('smtp-app', { cloud: 'china' }))).toContain('-ExchangeEnvironmentName O365China');
  });

  it.each(HOSTILE)('keeps a hostile name and sender inside their literals: %s', (hostile) => {
    const script = powerShellScript(
      inputs('graph-app', { appName: hostile, sender: `${hostile.replace(/\s/g, '')}@contoso.com` }),
    );
    for (const [variable, expected] of [
      ['AppName', hostile],
      ['Sender', `${hostile.replace(/\s/g, '')}@contoso.com`],
    ]) {
      const { value, rest } = psAssignment(script, variable);
      expect(value).toBe(expected);
      expect(rest).toBe('');
    }
    // Admin values appear only in those two assignments; everything else refers to the variables.
    expect(script.split(hostile).length - 1).toBeLessThanOrEqual(1);
  });

  it.each(['two\nlines', 'carriage\rreturn', 'tab\there', 'nul\u0000', 'line\u2028separator', 'bidi\u202eoverride'])(
    'refuses a value with a line break or control character: %j',
    (bad) => {
      expect(() => powerShellScript(inputs('smtp-app', { appName: bad }))).toThrow(UnsafeScriptValue);
      expect(() => azureCliScript(inputs('smtp-app', { sender: bad }))).toThrow(UnsafeScriptValue);
    },
  );
});

describe('Azure CLI script', () => {
  it.each(MICROSOFT_SCENARIOS)('%s: the same registration with az, the secret’s end date, and one JSON line', (scenario) => {
    const script = azureCliScript(inputs(scenario));
    expect(script).toContain("APP_NAME='Mailroom – Contoso helpdesk'");
    expect(script).toContain(`REDIRECT_URI='${REDIRECT}'`);
    expect(script).toContain('SECRET_END=2027-05-28');
    expect(script).toContain(
      'az ad app create --display-name "$APP_NAME" --sign-in-audience AzureADMyOrg --web-redirect-uris "$REDIRECT_URI"',
    );
    expect(script).toContain('az ad sp create --id "$APP_ID"');
    expect(script).toContain(
      'az ad app credential reset --id "$APP_ID" --append --display-name Mailroom --end-date "$SECRET_END"',
    );
    expect(script).toMatch(/printf '\{"tenantId":%s,"clientId":%s,"clientSecret":%s,"secretExpiresAt":%s,"sender":%s\}\\n'/);
  });

  it('app-only SMTP: SMTP.SendAsApp by name, consent as an app role assignment through Graph, Exchange commands printed', () => {
    const script = azureCliScript(inputs('smtp-app'));
    expect(script).toContain('SEND_AS_APP=$(permission_id "$EXCHANGE_API" Role SMTP.SendAsApp)');
    expect(script).toContain(
      'az ad app permission add --id "$APP_ID" --api "$EXCHANGE_API" --api-permissions "$SEND_AS_APP=Role"',
    );
    expect(script).toContain('az rest --method POST --url "$GRAPH/servicePrincipals/$SP_ID/appRoleAssignments"');
    expect(script).toContain("printf 'New-ServicePrincipal -AppId '\\''%s'\\'' -ObjectId '\\''%s'\\''");
  });

  it('delegated: az ad app permission grant for the scopes', () => {
    expect(azureCliScript(inputs('graph-delegated'))).toContain(
      `az ad app permission grant --id "$APP_ID" --api "$GRAPH_API" --scope 'Mail.Send openid profile offline_access'`,
    );
  });
});

describe('quoting', () => {
  it.each(HOSTILE)('PowerShell and bash literals round-trip %s', (v) => {
    expect(readPsLiteral(psQuote(v), 0)).toEqual({ value: v, end: psQuote(v).length });
    // bash: inside '…' nothing is special; each ' becomes '\'' (close, escaped quote, reopen).
    expect(shQuote(v).slice(1, -1).split(`'\\''`).join("'")).toBe(v);
  });
});

describe('steps', () => {
  it('app-only SMTP steps carry the redirect URI, the permission, the consent URL and the exact Exchange commands', () => {
    const steps = stepsFor(inputs('smtp-app'));
    expect(steps.map((s) => s.id)).toEqual([
      'registration',
      'secret',
      'consent',
      'exchange-principal',
      'mailbox-permission',
      'smtp-auth',
      'saved',
      'connect',
      'send',
    ]);
    const values = steps.flatMap((s) => s.values.map((v) => v.value));
    expect(values).toContain(REDIRECT);
    expect(values).toContain('SMTP.SendAsApp');
    expect(values).toContain(`https://login.microsoftonline.com/${TENANT}/adminconsent?client_id=${CLIENT}`);
    const commands = steps.flatMap((s) => s.commands ?? []);
    expect(commands).toContain(
      `New-ServicePrincipal -AppId '${CLIENT}' -ObjectId '<Object ID of the enterprise application>' -DisplayName 'Mailroom – Contoso helpdesk'`,
    );
    expect(commands).toContain("Set-CASMailbox -Identity 'helpdesk@contoso.com' -SmtpClientAuthenticationDisabled $false");
  });

  it('no consent URL until the tenant and client are known', () => {
    const values = stepsFor(inputs('smtp-app', { tenant: 'organizations', clientId: '' })).flatMap((s) => s.values);
    expect(values.find((v) => v.label.startsWith('Admin consent URL'))?.href).toBeUndefined();
  });

  it('Google: consent screen, the Gmail scope, a Web client with the redirect URI, and the Testing warning', () => {
    const steps = stepsFor(inputs('google'));
    expect(steps.map((s) => s.id)).toEqual(['publishing', 'consent', 'registration', 'saved', 'connect', 'send']);
    const text = steps.map((s) => `${s.text} ${s.values.map((v) => v.value).join(' ')}`).join(' ');
    expect(text).toContain('https://mail.google.com/');
    expect(text).toContain(REDIRECT);
    expect(text).toContain('expire after 7 days');
    expect(text).toContain('no script');
  });
});
