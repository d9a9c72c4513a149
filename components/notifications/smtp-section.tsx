'use client';

import type { ReactNode } from 'react';
import { useFormContext, useWatch } from 'react-hook-form';
import { Alert } from '@/components/ui/alert';
import {
  DEFAULT_PORT,
  SECURITY_MODE_LABELS,
  SMTP_PRESETS,
  type SecurityMode,
  type SmtpPreset,
} from '@/lib/notifications/providers';
import type { NotificationsInput } from '@/lib/validation/notifications';
import { CheckField, optionsOf, SelectField, TextField } from '@/components/notifications/inputs';
import { Section } from '@/components/notifications/section';
import { useField } from '@/components/notifications/use-field';
import { TransportFields } from '@/components/notifications/transport-fields';

const presetOptions = (Object.keys(SMTP_PRESETS) as SmtpPreset[]).map((k) => ({ value: k, label: SMTP_PRESETS[k].label }));
const defaultPorts = new Set(Object.values(DEFAULT_PORT));

export function SmtpSection({ disabled, testButton }: { disabled: boolean; testButton?: ReactNode }) {
  const { setValue, getValues, register } = useFormContext<NotificationsInput>();
  const preset = useField('smtp.preset');
  const [mode, useAuth, transport] = useWatch<NotificationsInput, ['smtp.securityMode', 'auth.useAuth', 'transport.kind']>({
    name: ['smtp.securityMode', 'auth.useAuth', 'transport.kind'],
  });
  const smtp = transport === 'smtp';
  const dirty = { shouldDirty: true, shouldValidate: false } as const;

  // A port still at a mode's default follows the mode; a port the admin typed is left alone.
  const followMode = (next: SecurityMode) => {
    if (defaultPorts.has(getValues('smtp.port'))) setValue('smtp.port', DEFAULT_PORT[next], dirty);
  };

  const presetField = register('smtp.preset', {
    onChange: (e: React.ChangeEvent<HTMLSelectElement>) => {
      const p = SMTP_PRESETS[e.target.value as SmtpPreset];
      if (!p || e.target.value === 'custom') return;
      setValue('smtp.host', p.host, dirty);
      setValue('smtp.port', p.port, dirty);
      setValue('smtp.securityMode', p.securityMode, dirty);
    },
  });

  return (
    <Section id="smtp-server" title="SMTP Server" description="The server email notifications are routed through.">
      <TransportFields disabled={disabled} />
      <div className="grid gap-5 md:grid-cols-2">
        <TextField
          path="smtp.fromAddress"
          label="From email address"
          required
          hint="The mailbox notifications are sent from."
          disabled={disabled}
          type="email"
          placeholder="helpdesk@example.com"
        />
        <TextField
          path="smtp.fromName"
          label="Display name"
          hint="Optional; shown as the sender's name."
          disabled={disabled}
          placeholder="IT Helpdesk"
        />
      </div>
      {smtp ? (
        <>
          <div className="grid gap-5 md:grid-cols-2">
            <div className="space-y-1.5">
              <label htmlFor="smtp-preset" className="block text-sm font-medium">
                Provider preset
              </label>
              <select
                id="smtp-preset"
                disabled={disabled}
                defaultValue={preset.initial as string | undefined}
                className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900"
                {...presetField}
              >
                {presetOptions.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
              <p className="text-xs text-slate-500">Fills in the server, port and security mode.</p>
            </div>
            <TextField
              path="smtp.host"
              label="SMTP Server"
              required
              hint="Fully qualified domain name or IP address, e.g. smtp.office365.com."
              disabled={disabled}
              placeholder="smtp.example.com"
            />
            <TextField
              path="smtp.port"
              label="Port"
              required
              hint="587 for STARTTLS, 465 for implicit TLS, 25 for unencrypted relay."
              disabled={disabled}
              number
            />
            {/* The one TLS control: the advice quotes these option names. */}
            <SelectField
              path="smtp.securityMode"
              label="Security mode"
              hint="How the connection is encrypted."
              disabled={disabled}
              options={optionsOf(SECURITY_MODE_LABELS)}
              onValueChange={(v) => followMode(v as SecurityMode)}
            />
          </div>
          {mode === 'none' ? (
            <Alert tone="warning" title="The connection will not be encrypted">
              {useAuth
                ? 'The SMTP username and password (or OAuth token) would travel in clear text. Use STARTTLS or implicit TLS unless this is a relay on a trusted network.'
                : 'Messages travel in clear text. Use this only for a relay on a trusted network.'}
            </Alert>
          ) : null}
          <CheckField
            path="smtp.allowSelfSigned"
            label="Allow self-signed certificate"
            hint="Only for your own server with a certificate you trust; the test fails on untrusted certificates otherwise."
            disabled={disabled || mode === 'none'}
          />
          <details className="rounded-md border border-slate-200 px-4 py-3 dark:border-slate-800">
            <summary className="cursor-pointer text-sm font-medium">Advanced: EHLO name and timeouts</summary>
            <div className="mt-4 grid gap-5 md:grid-cols-2">
              <TextField
                path="smtp.ehloName"
                label="EHLO name"
                hint="Optional; the name Mailroom introduces itself with. Default: this machine's host name."
                disabled={disabled}
              />
              <TextField
                path="smtp.connectTimeoutSeconds"
                label="Connection timeout (seconds)"
                hint="1–10."
                disabled={disabled}
                number
              />
              <TextField
                path="smtp.greetingTimeoutSeconds"
                label="Greeting timeout (seconds)"
                hint="1–10."
                disabled={disabled}
                number
              />
              <TextField
                path="smtp.socketTimeoutSeconds"
                label="Reply timeout (seconds)"
                hint="1–30; how long to wait for each server reply."
                disabled={disabled}
                number
              />
            </div>
          </details>
        </>
      ) : null}
      {testButton ? (
        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-4 dark:border-slate-800">
          <p className="text-sm text-slate-600 dark:text-slate-400">Send a real test email through the saved settings.</p>
          {testButton}
        </div>
      ) : null}
    </Section>
  );
}
