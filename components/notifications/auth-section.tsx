'use client';

import dynamic from 'next/dynamic';
import { useFormContext, useWatch } from 'react-hook-form';
import type { ProfileSecret, SecretStatus } from '@/lib/notifications/secrets';
import type { NotificationsInput } from '@/lib/validation/notifications';
import { CheckField, TextField } from '@/components/notifications/inputs';
import { Section } from '@/components/notifications/section';
import { SecretInput } from '@/components/notifications/secret-input';

// Loaded when OAuth 2.0 is the chosen authentication (rendered with the page when it is saved so).
const OAuthFields = dynamic(() => import('@/components/notifications/oauth-fields').then((m) => m.OAuthFields), {
  loading: () => <p className="text-sm text-slate-500">Loading the OAuth 2.0 settings…</p>,
});

const TILES = [
  { value: 'basic', title: 'Basic', text: 'SMTP username and password.' },
  { value: 'oauth2', title: 'OAuth 2.0', text: 'Modern authentication: Microsoft 365, Google or any OAuth 2.0 provider.' },
] as const;

export function AuthSection({
  disabled,
  redirectUri,
  secrets,
  pendingClear,
  connectionCard,
  setupGuide,
}: {
  disabled: boolean;
  connectionCard?: React.ReactNode;
  setupGuide?: React.ReactNode;
  redirectUri: string;
  secrets: Record<ProfileSecret, SecretStatus>;
  pendingClear: Partial<Record<ProfileSecret, string>>;
}) {
  const { setValue } = useFormContext<NotificationsInput>();
  const [useAuth, authType] = useWatch<NotificationsInput, ['auth.useAuth', 'auth.authType']>({
    name: ['auth.useAuth', 'auth.authType'],
  });

  return (
    <Section id="authentication" title="Authentication" description="The account Mailroom signs in to the SMTP server with.">
      <CheckField
        path="auth.useAuth"
        label="Use SMTP user authentication"
        disabled={disabled}
        hint="Sign in with a dedicated account. Leave unticked only for a relay that accepts mail without signing in."
      />
      {useAuth ? (
        <>
          <div role="radiogroup" aria-label="Authentication type" className="grid gap-3 sm:grid-cols-2">
            {TILES.map((t) => {
              const selected = authType === t.value;
              return (
                <button
                  key={t.value}
                  type="button"
                  role="radio"
                  aria-checked={selected}
                  disabled={disabled}
                  onClick={() => setValue('auth.authType', t.value, { shouldDirty: true })}
                  className={`rounded-lg border-2 p-4 text-left transition-colors disabled:cursor-not-allowed ${
                    selected
                      ? 'border-indigo-600 bg-indigo-50 dark:bg-indigo-950'
                      : 'border-slate-200 hover:border-slate-300 dark:border-slate-700'
                  }`}
                >
                  <span className="block font-semibold">{t.title}</span>
                  <span className="block text-sm text-slate-600 dark:text-slate-400">{t.text}</span>
                </button>
              );
            })}
          </div>
          {authType === 'basic' ? (
            <div className="grid gap-5 md:grid-cols-2">
              <TextField
                path="auth.smtpUsername"
                label="SMTP username"
                required
                hint="Often the mailbox address."
                disabled={disabled}
                autoComplete="off"
              />
              <SecretInput
                path="auth.smtpPassword"
                label="SMTP password"
                status={secrets.smtpPassword}
                disabled={disabled}
                pendingClear={pendingClear.smtpPassword}
              />
            </div>
          ) : (
            <OAuthFields
              disabled={disabled}
              redirectUri={redirectUri}
              secrets={secrets}
              pendingClear={pendingClear}
              connectionCard={connectionCard}
              setupGuide={setupGuide}
            />
          )}
        </>
      ) : null}
    </Section>
  );
}
