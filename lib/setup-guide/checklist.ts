/**
 * After saving, each step is checked where Mailroom can tell: the token (and the permissions it
 * carries), the connection, and the last Test Server result since connecting. A step Mailroom
 * cannot see says so.
 */
import { enableSmtpAuthCommand } from '@/lib/setup-guide/powershell';
import { SCENARIOS, type ScenarioId } from '@/lib/setup-guide/scenarios';
import type { CheckKind, Step } from '@/lib/setup-guide/steps';

/** What the server reports about the saved settings (lib/setup-guide/verify.ts); never a secret. */
export type SetupFacts = {
  scenario: ScenarioId | null;
  secretSet: boolean;
  secretExpiresAt: string | null;
  connection: {
    status: string;
    account: string;
    scopes: string;
    refreshTokenAgeDays: number | null;
    errorCode: string;
    error: string;
  };
  token:
    | { state: 'ok'; at: string | null; permissions: string[] | null }
    | { state: 'failed'; code: string; message: string }
    | { state: 'not_connected' }
    | { state: 'not_ready'; message: string };
  /** The last send (Test Server or notification) since the connection was made. */
  delivery: { at: string; ok: boolean; failedStep: string; replyCode: number | null; replyText: string } | null;
  now: string;
};

export type StepState = 'ok' | 'failed' | 'warning' | 'todo' | 'unchecked';
export type StepStatus = { state: StepState; text: string; command?: string };

const REGISTRATION_CODES = /^AADSTS(700016|90002|90038|50011|50194)$/;
const SECRET_CODES = /^AADSTS(7000215|7000222|700027)$/;
const CONSENT_CODES = /^AADSTS(65001|65004)$/;
const SMTP_STEPS_BEFORE_AUTH = ['resolve', 'token', 'connect', 'tls', 'ehlo'];

const at = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

export function evaluate(steps: Step[], scenario: ScenarioId, facts: SetupFacts, sender: string): Record<string, StepStatus> {
  const out: Record<string, StepStatus> = {};
  for (const step of steps) out[step.id] = statusOf(step.id, scenario, facts, sender);
  return out;
}

function statusOf(kind: CheckKind, scenario: ScenarioId, f: SetupFacts, sender: string): StepStatus {
  if (f.scenario !== scenario)
    return { state: 'todo', text: 'Not checked yet: save the settings for this setup first, then check again.' };
  const s = SCENARIOS[scenario];
  const token = f.token;
  const code = token.state === 'failed' ? token.code : f.connection.errorCode;
  const notYet: StepStatus = { state: 'todo', text: 'Checked once you Connect.' };
  const tokenFailure = (pattern: RegExp): StepStatus | null =>
    pattern.test(code)
      ? { state: 'failed', text: token.state === 'failed' ? token.message : `${code}: ${f.connection.error}` }
      : null;

  switch (kind) {
    case 'registration':
      if (token.state === 'ok')
        return {
          state: 'ok',
          text:
            s.grant === 'client_credentials'
              ? 'The provider issued a token for this client ID and tenant.'
              : 'The sign-in came back to the redirect URI and the provider issued a token.',
        };
      return tokenFailure(REGISTRATION_CODES) ?? notYet;
    case 'secret': {
      if (f.secretExpiresAt && f.secretExpiresAt < f.now.slice(0, 10))
        return {
          state: 'failed',
          text: `The client secret expired on ${f.secretExpiresAt}: create a new one, paste it and save.`,
        };
      const failed = tokenFailure(SECRET_CODES);
      if (failed) return failed;
      if (token.state !== 'ok') return f.secretSet ? notYet : { state: 'todo', text: 'No client secret is saved yet.' };
      if (s.provider === 'microsoft' && !f.secretExpiresAt)
        return {
          state: 'warning',
          text: 'The secret works, but its expiry date is not recorded: enter it so Mailroom warns in time.',
        };
      return {
        state: 'ok',
        text: f.secretExpiresAt ? `The secret works; it expires on ${f.secretExpiresAt}.` : 'The secret works.',
      };
    }
    case 'consent':
      return consentStatus(scenario, f) ?? tokenFailure(CONSENT_CODES) ?? notYet;
    case 'smtp-auth':
      return smtpAuthStatus(f, sender);
    case 'exchange-principal':
    case 'mailbox-permission':
    case 'rbac':
      return exchangeStatus(kind, f);
    case 'publishing':
      return f.connection.status === 'connected' && (f.connection.refreshTokenAgeDays ?? 0) >= 7
        ? {
            state: 'ok',
            text: `The refresh token is ${f.connection.refreshTokenAgeDays} days old and still works, so the app is not in Testing.`,
          }
        : {
            state: 'unchecked',
            text: 'Mailroom cannot see the publishing status. An app left in Testing loses its refresh token after 7 days; this turns green once a token has lasted longer.',
          };
    case 'saved':
      return f.secretSet
        ? { state: 'ok', text: 'The settings for this setup are saved.' }
        : { state: 'todo', text: 'The client secret is not saved yet.' };
    case 'connect':
      if (token.state === 'ok')
        return {
          state: 'ok',
          text: f.connection.account ? `Connected as ${f.connection.account}.` : 'Connected: the provider issued a token.',
        };
      if (token.state === 'failed') return { state: 'failed', text: token.message };
      if (token.state === 'not_ready') return { state: 'todo', text: token.message };
      return { state: 'todo', text: 'Click Connect in the connection card below.' };
    case 'send':
      if (!f.delivery) return { state: 'todo', text: 'Click Test Server (SMTP Server section) to send a test message.' };
      return f.delivery.ok
        ? { state: 'ok', text: `Accepted at ${at(f.delivery.at)}.` }
        : { state: 'failed', text: `The send at ${at(f.delivery.at)} failed at ${f.delivery.failedStep}: ${reply(f)}` };
  }
}

const reply = (f: SetupFacts) => [f.delivery?.replyCode, f.delivery?.replyText].filter(Boolean).join(' ') || 'no reply';

function consentStatus(scenario: ScenarioId, f: SetupFacts): StepStatus | null {
  const s = SCENARIOS[scenario];
  if (f.token.state !== 'ok') return null;
  const fromToken = f.token.permissions;
  const granted = fromToken ?? f.connection.scopes.split(/\s+/).map((x) => x.replace(/^https:\/\/[^/]+\/(?=[A-Z])/, ''));
  const has = granted.includes(s.permission.name);
  if (s.permission.kind === 'exchange-rbac')
    return has
      ? {
          state: 'warning',
          text: 'The token carries Mail.Send for the whole tenant, so the app may send as every mailbox: remove the Microsoft Graph Mail.Send application permission in Entra ID.',
        }
      : { state: 'ok', text: 'The token carries no tenant-wide Mail.Send: Exchange Online decides per mailbox.' };
  if (has) return { state: 'ok', text: `Granted: ${s.permission.name}.` };
  if (!fromToken && s.permission.kind === 'application')
    return {
      state: 'unchecked',
      text: `Mailroom cannot read the permissions in this token; the test send shows whether ${s.permission.name} is granted.`,
    };
  return {
    state: 'failed',
    text: `The token does not carry ${s.permission.name}${granted.length ? ` (it carries ${granted.join(', ')})` : ''}: add the permission and grant admin consent, then Reconnect.`,
  };
}

function smtpAuthStatus(f: SetupFacts, sender: string): StepStatus {
  const d = f.delivery;
  if (!d) return { state: 'todo', text: 'Checked by Test Server.' };
  if (d.ok) return { state: 'ok', text: 'Exchange accepted SMTP AUTH for the mailbox.' };
  if (d.failedStep === 'auth' && /5\.7\.139/.test(d.replyText))
    return {
      state: 'failed',
      text: `Exchange answered “${reply(f)}”: SMTP AUTH is off for ${sender} (or for the whole tenant, or by security defaults). Run this in Exchange Online PowerShell, then test again:`,
      command: enableSmtpAuthCommand(sender),
    };
  if (SMTP_STEPS_BEFORE_AUTH.includes(d.failedStep))
    return { state: 'todo', text: `The last test stopped at ${d.failedStep}, before AUTH.` };
  return { state: 'ok', text: 'SMTP AUTH is on: the server checked the token instead of refusing AUTH.' };
}

function exchangeStatus(kind: 'exchange-principal' | 'mailbox-permission' | 'rbac', f: SetupFacts): StepStatus {
  const d = f.delivery;
  if (!d) return { state: 'todo', text: 'Checked by Test Server.' };
  if (d.ok) return { state: 'ok', text: 'Exchange Online let the app send as the mailbox.' };
  const refusedToken = d.failedStep === 'auth' && /5\.7\.3\b/.test(d.replyText);
  const refusedSender = /5\.7\.60/.test(d.replyText);
  const graphDenied = d.failedStep === 'request' && d.replyCode === 403;
  if (kind === 'exchange-principal' && refusedToken)
    return {
      state: 'failed',
      text: `Exchange refused the app (${reply(f)}): check that New-ServicePrincipal used the enterprise application’s Object ID, then allow 15–30 minutes.`,
    };
  if (kind === 'mailbox-permission' && (refusedToken || refusedSender))
    return { state: 'failed', text: `Exchange did not let the app use the mailbox (${reply(f)}): check Add-MailboxPermission.` };
  if (kind === 'rbac' && graphDenied)
    return {
      state: 'failed',
      text: `Graph refused the send (${reply(f)}): check the management scope and role assignment with Test-ServicePrincipalAuthorization.`,
    };
  if (/5\.7\.139/.test(d.replyText) || SMTP_STEPS_BEFORE_AUTH.includes(d.failedStep))
    return { state: 'todo', text: `Not reached: the last test stopped at ${d.failedStep}.` };
  return { state: 'unchecked', text: `The last test failed at ${d.failedStep}; that does not point at this step.` };
}
