'use client';

import { useFormContext, useWatch } from 'react-hook-form';
import { CLOUD_INFO, CLOUDS, oauthDefaults, type Transport } from '@/lib/notifications/providers';
import type { NotificationsInput } from '@/lib/validation/notifications';
import { TextField } from '@/components/notifications/inputs';

const OPTIONS: { value: Transport; title: string; text: string }[] = [
  { value: 'smtp', title: 'SMTP server', text: 'Any SMTP server: Exchange, Microsoft 365, Gmail, a relay.' },
  {
    value: 'graph',
    title: 'Microsoft Graph API',
    text: 'Microsoft 365 without SMTP AUTH: sendMail over HTTPS, signed in with Entra ID.',
  },
];

/** SMTP or Microsoft Graph. Graph needs Microsoft OAuth 2.0, so choosing it sets that up. */
export function TransportFields({ disabled }: { disabled: boolean }) {
  const { setValue, getValues } = useFormContext<NotificationsInput>();
  const kind = useWatch<NotificationsInput, 'transport.kind'>({ name: 'transport.kind' });
  const dirty = { shouldDirty: true } as const;

  const choose = (next: Transport) => {
    if (next === kind) return;
    setValue('transport.kind', next, dirty);
    const o = getValues('auth.oauth');
    if (next === 'graph') {
      setValue('auth.useAuth', true, dirty);
      setValue('auth.authType', 'oauth2', dirty);
      if (o.provider !== 'microsoft') setValue('auth.oauth.provider', 'microsoft', dirty);
      if (!getValues('transport.graphSender')) setValue('transport.graphSender', getValues('smtp.fromAddress'), dirty);
      const grant = o.grantType === 'password' ? 'authorization_code' : o.grantType;
      setValue('auth.oauth.grantType', grant, dirty);
      setValue('auth.oauth.scope', oauthDefaults('microsoft', o.cloud, o.tenantId, grant, 'graph').scope, dirty);
      setValue('transport.graphEndpoint', CLOUD_INFO[o.cloud].graph, dirty);
    } else if (o.provider === 'microsoft') {
      setValue('auth.oauth.scope', oauthDefaults('microsoft', o.cloud, o.tenantId, o.grantType, 'smtp').scope, dirty);
    }
  };

  return (
    <div className="space-y-4">
      <div role="radiogroup" aria-label="Send with" className="grid gap-3 sm:grid-cols-2">
        {OPTIONS.map((t) => (
          <button
            key={t.value}
            type="button"
            role="radio"
            aria-checked={kind === t.value}
            disabled={disabled}
            onClick={() => choose(t.value)}
            className={`rounded-lg border-2 p-3 text-left disabled:cursor-not-allowed ${kind === t.value ? 'border-indigo-600 bg-indigo-50 dark:bg-indigo-950' : 'border-slate-200 hover:border-slate-300 dark:border-slate-700'}`}
          >
            <span className="block text-sm font-semibold">{t.title}</span>
            <span className="block text-xs text-slate-600 dark:text-slate-400">{t.text}</span>
          </button>
        ))}
      </div>
      {kind === 'graph' ? (
        <div className="grid gap-5 md:grid-cols-2">
          <TextField
            path="transport.graphEndpoint"
            label="Graph endpoint"
            required
            disabled={disabled}
            hint={`Your cloud's endpoint: ${CLOUDS.map((c) => CLOUD_INFO[c].graph).join(', ')}.`}
          />
          <TextField
            path="transport.graphSender"
            label="Sender mailbox"
            required
            type="email"
            disabled={disabled}
            hint="The mailbox Graph sends as. Delegated: the signed-in mailbox; app-only: any mailbox the app may send as."
          />
        </div>
      ) : null}
    </div>
  );
}
