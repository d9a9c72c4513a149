/**
 * Paste-back: the one JSON object the scripts print (or the client JSON Google lets an admin
 * download) becomes form values. Nothing is saved here; the admin reviews the fields and saves.
 */
import type { FieldPath } from 'react-hook-form';
import { z } from 'zod';
import { CLOUD_INFO, oauthDefaults, type Cloud } from '@/lib/notifications/providers';
import type { NotificationsInput } from '@/lib/validation/notifications';
import { emailAddress } from '@/lib/validation/primitives';
import { isScriptSafe } from '@/lib/setup-guide/quote';
import { isGuid, SCENARIOS, type ScenarioId } from '@/lib/setup-guide/scenarios';

const guid = (what: string) =>
  z.string({ error: `${what} is missing.` }).refine(isGuid, `${what} must be a GUID like 00000000-0000-0000-0000-000000000000.`);

const secretText = (what: string) =>
  z
    .string({ error: `${what} is missing.` })
    .min(1, `${what} is empty.`)
    .max(4096, `${what} is longer than 4096 characters.`)
    .refine(isScriptSafe, `${what} contains a line break or control character.`);

/** A date (2027-05-28) or a date and time (2027-05-28T10:00:00Z): the form keeps the UTC day. */
const expiryDate = z.string({ error: 'secretExpiresAt is missing.' }).transform((v, ctx) => {
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v.trim()) ? Date.parse(v.trim()) : Number.NaN;
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'secretExpiresAt must be a date like 2027-05-28.' });
    return z.NEVER;
  }
  return new Date(ms).toISOString().slice(0, 10);
});

const microsoftResult = z.strictObject(
  {
    tenantId: guid('tenantId (the Directory (tenant) ID)'),
    clientId: guid('clientId (the Application (client) ID)'),
    clientSecret: secretText('clientSecret'),
    secretExpiresAt: expiryDate,
    sender: z.string({ error: 'sender is missing.' }).pipe(emailAddress('sender')),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `Unexpected field ${issue.keys.join(', ')}.` : undefined) },
);
export type MicrosoftResult = z.output<typeof microsoftResult>;

/** Google Cloud console's "Download JSON" of an OAuth client; Google adds fields over time, so others are ignored. */
const googleClient = z.object({
  web: z.object(
    {
      client_id: secretText('web.client_id').refine(
        (v) => v.endsWith('.apps.googleusercontent.com'),
        'web.client_id is not a Google OAuth client ID (….apps.googleusercontent.com).',
      ),
      client_secret: secretText('web.client_secret'),
      redirect_uris: z.array(z.string()).optional(),
    },
    { error: 'Expected a "web" client.' },
  ),
});

export type PasteBack =
  | { ok: true; kind: 'microsoft'; result: MicrosoftResult }
  | { ok: true; kind: 'google'; clientId: string; clientSecret: string; warnings: string[] }
  | { ok: false; message: string };

const NOT_JSON = 'This is not the script’s result. Paste the one line that starts with { — the last line the script printed.';

/** The JSON object in what was pasted: the whole text, or the last line that looks like one (admins paste the console). */
function jsonIn(text: string): { value: unknown } | { error: string } {
  const t = text.trim();
  if (!t) return { error: 'Paste the result first.' };
  const candidates = [
    t,
    ...t
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.startsWith('{') && l.endsWith('}'))
      .reverse(),
  ];
  let firstError = '';
  for (const c of candidates) {
    try {
      return { value: JSON.parse(c) as unknown };
    } catch (e) {
      if (c.startsWith('{')) firstError ||= e instanceof Error ? e.message : String(e);
    }
  }
  return { error: firstError ? `The result is not valid JSON (${firstError}). Copy the whole line again.` : NOT_JSON };
}

const problems = (e: z.ZodError) => [...new Set(e.issues.map((i) => i.message))].join(' ');

export function parsePasteBack(text: string, scenario: ScenarioId, redirectUri: string): PasteBack {
  const parsed = jsonIn(text);
  if ('error' in parsed) return { ok: false, message: parsed.error };
  const v = parsed.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, message: 'Expected one JSON object { … }.' };
  if (SCENARIOS[scenario].provider === 'google') {
    if ('installed' in v)
      return { ok: false, message: 'This is a Desktop app client. Create a Web application client with the redirect URI above.' };
    if ('tenantId' in v) return { ok: false, message: 'This is a Microsoft result; the chosen setup is Google.' };
    const g = googleClient.safeParse(v);
    if (!g.success) return { ok: false, message: `This is not a Google OAuth client JSON: ${problems(g.error)}` };
    const uris = g.data.web.redirect_uris;
    const warnings =
      uris && !uris.includes(redirectUri)
        ? [`The client’s redirect URIs do not include ${redirectUri}: add it in the Google Cloud console, or Connect fails.`]
        : [];
    return { ok: true, kind: 'google', clientId: g.data.web.client_id, clientSecret: g.data.web.client_secret, warnings };
  }
  if ('web' in v || 'installed' in v)
    return { ok: false, message: 'This is a Google client JSON; the chosen setup is Microsoft.' };
  const m = microsoftResult.safeParse(v);
  if (!m.success) return { ok: false, message: `The result does not fit: ${problems(m.error)}` };
  return { ok: true, kind: 'microsoft', result: m.data };
}

type Path = FieldPath<NotificationsInput>;
export type FormPatch = { path: Path; value: string | boolean }[];

/** The form changes a pasted result makes, for the chosen scenario; `current` supplies the cloud and what is already filled in. */
export function formPatch(
  paste: Extract<PasteBack, { ok: true }>,
  scenario: ScenarioId,
  current: { cloud: Cloud; fromAddress: string; graphEndpoint: string },
): { patch: FormPatch; filled: string[] } {
  const s = SCENARIOS[scenario];
  const tenant = paste.kind === 'microsoft' ? paste.result.tenantId : '';
  const d = oauthDefaults(s.provider, current.cloud, tenant, s.grant, s.transport);
  const patch: FormPatch = [
    { path: 'auth.useAuth', value: true },
    { path: 'auth.authType', value: 'oauth2' },
    { path: 'auth.oauth.provider', value: s.provider },
    { path: 'transport.kind', value: s.transport },
    { path: 'auth.oauth.grantType', value: s.grant },
    { path: 'auth.oauth.credentialType', value: 'secret' },
    { path: 'auth.oauth.authorizationEndpoint', value: d.authorizationEndpoint },
    { path: 'auth.oauth.tokenEndpoint', value: d.tokenEndpoint },
    { path: 'auth.oauth.scope', value: d.scope },
    { path: 'auth.oauth.clientSecret.mode', value: 'set' },
  ];
  if (paste.kind === 'google') {
    patch.push(
      { path: 'auth.oauth.clientId', value: paste.clientId },
      { path: 'auth.oauth.clientSecret.value', value: paste.clientSecret },
    );
    return { patch, filled: ['Client ID', 'client secret'] };
  }
  const r = paste.result;
  patch.push(
    { path: 'auth.oauth.tenantId', value: r.tenantId },
    { path: 'auth.oauth.clientId', value: r.clientId },
    { path: 'auth.oauth.clientSecret.value', value: r.clientSecret },
    { path: 'auth.oauth.clientSecretExpiresAt', value: r.secretExpiresAt },
  );
  const filled = ['Tenant ID', 'Client ID', 'client secret', `secret expiry ${r.secretExpiresAt}`];
  if (s.transport === 'graph') {
    patch.push({ path: 'transport.graphSender', value: r.sender });
    if (!current.graphEndpoint) patch.push({ path: 'transport.graphEndpoint', value: CLOUD_INFO[current.cloud].graph });
    filled.push(`sender mailbox ${r.sender}`);
  } else {
    patch.push({ path: 'auth.oauth.loginUser', value: r.sender });
    filled.push(`SMTP login user ${r.sender}`);
  }
  if (!current.fromAddress) {
    patch.push({ path: 'smtp.fromAddress', value: r.sender });
    filled.push('From address');
  }
  return { patch, filled };
}
