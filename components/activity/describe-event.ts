import { describeAction } from '@/components/activity/describe';
import { STEP_LABELS, type StepName } from '@/lib/mail/types';
import { COLUMN_LABELS, PROFILE_SECRETS, type ProfileSecret } from '@/lib/notifications/secrets';

type Event = { action: string; target: string; details: Record<string, unknown> };

const SECRET_OUTCOMES: Record<string, string> = {
  replaced: 'replaced',
  cleared: 'cleared',
  cleared_destination_changed: 'cleared because the server it was for changed',
};

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));
/** `cleared_destination_changed` → "cleared destination changed"; `secretsRemoved` → "secrets removed". */
const words = (s: string) =>
  s
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_.]+/g, ' ')
    .toLowerCase();
const join = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

function secretChange(entry: string): string {
  const [name, outcome = ''] = entry.split(' ');
  const label = PROFILE_SECRETS[name as ProfileSecret]?.label ?? words(name);
  return `the ${label} ${SECRET_OUTCOMES[outcome] ?? words(outcome)}`;
}

function testOutcome(result: string): string {
  const step = /^failed at (\w+)$/.exec(result)?.[1];
  return step ? `failed at ${STEP_LABELS[step as StepName] ?? words(step)}` : words(result);
}

/** The rest of the details as "name: value" in words, for events without a sentence of their own. */
function rest(details: Record<string, unknown>): string {
  const parts = Object.entries(details)
    .filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0))
    .map(
      ([k, v]) =>
        `${words(k)}: ${Array.isArray(v) ? v.map(String).join(', ') : typeof v === 'boolean' ? (v ? 'yes' : 'no') : text(v)}`,
    );
  return parts.length ? ` (${parts.join('; ')})` : '';
}

/** One activity entry as a sentence an admin reads without knowing Mailroom's internal codes. */
export function describeEvent(e: Event): string {
  const d = e.details;
  const t = e.target;
  switch (e.action) {
    case 'notifications.save': {
      const changed = list(d.changed).map((c) => COLUMN_LABELS[c as keyof typeof COLUMN_LABELS] ?? words(c));
      const secrets = list(d.secrets).map(secretChange);
      const what = [changed.length ? `changed the ${join(changed)}` : '', join(secrets)].filter(Boolean).join('; ');
      return `Saved the notification settings of ${t}${what ? `: ${what}` : ' (no changes)'}.`;
    }
    case 'notifications.test': {
      const reply = text(d.reply);
      return `Sent a test email through ${t} to ${text(d.recipient)}: ${testOutcome(text(d.result))}${reply ? ` (${reply})` : ''}.`;
    }
    case 'oauth.connect':
      return d.result === 'connected'
        ? `Connected ${t} to OAuth 2.0${d.account ? ` as ${text(d.account)}` : ''}.`
        : `The OAuth 2.0 sign-in for ${t} did not complete${d.error ? ` (${text(d.error)})` : ''}.`;
    case 'oauth.refresh':
      return `Checked the OAuth 2.0 token of ${t}: ${d.result === 'ok' ? 'the provider issued a new one' : 'it was refused'}.`;
    case 'oauth.disconnect':
      return `Disconnected ${t} from OAuth 2.0 and deleted its tokens.`;
    case 'store.rename':
      return `Renamed the identity store ${text(d.from)} to ${t}.`;
    case 'apikey.create':
    case 'apikey.revoke':
      return `${describeAction(e.action)} “${text(d.name)}” (${text(d.prefix)}…) for ${t}.`;
    default:
      return `${describeAction(e.action)}${t ? `: ${t}` : ''}${rest(d)}.`;
  }
}

/** Loopback is this server itself (the command line, a local browser): say so instead of "::1". */
export function describeAddress(ip: string): string {
  if (!ip) return '';
  return /^(::1|127\.\d+\.\d+\.\d+|::ffff:127\.\d+\.\d+\.\d+)$/.test(ip) ? 'this server' : ip;
}

/** What each kind filter matches: an action prefix (or one action). */
export const ACTIVITY_KINDS = {
  'auth.': 'Sign-ins',
  'user.': 'Users',
  'store.': 'Identity stores',
  'notifications.save': 'Notification settings',
  'notifications.test': 'Test emails',
  'oauth.': 'OAuth 2.0',
  'apikey.': 'API keys',
  'keys.': 'Encryption keys',
  'backup.': 'Backups',
} as const;
