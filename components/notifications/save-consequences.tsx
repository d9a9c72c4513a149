'use client';

import { get, useFormContext, useFormState, useWatch } from 'react-hook-form';
import { Field, Input, Textarea } from '@/components/ui/field';
import {
  COLUMN_FORM_PATHS,
  movedBindings,
  movedTokenBindings,
  OAUTH_CREDENTIALS,
  PROFILE_SECRET_NAMES,
  PROFILE_SECRETS,
  SECRET_FORM_PATHS,
  weakenedBy,
  type ProfileSecret,
  type SecretStatus,
} from '@/lib/notifications/secrets';
import type { NotificationsInput } from '@/lib/validation/notifications';
import type { Path } from '@/components/notifications/use-field';

type Consequence = { key: string; text: string; reenter?: ProfileSecret };

/** Whether the form, as it is now, would use `secret` (so entering it again here makes sense). */
function inUse(v: NotificationsInput, secret: ProfileSecret): boolean {
  if (!v.auth.useAuth) return false;
  const o = v.auth.oauth;
  if (secret === 'smtpPassword') return v.auth.authType === 'basic';
  if (v.auth.authType !== 'oauth2') return false;
  if (secret === 'oauthPassword') return o.grantType === 'password';
  return o.credentialType === (secret === 'clientSecret' ? 'secret' : 'certificate');
}

const modeOf = (v: NotificationsInput, s: ProfileSecret) =>
  get<NotificationsInput, 'keep' | 'set' | 'clear'>(v, `${SECRET_FORM_PATHS[s]}.mode`);

/**
 * What saving the form as it is would do to stored secrets, by the server's own rules
 * (lib/notifications/secrets.ts): cleared because their destination changed, kept but not sent
 * because protection was turned off, the OAuth connection reset.
 */
export function saveConsequences(
  now: NotificationsInput,
  saved: NotificationsInput,
  secrets: Record<ProfileSecret, SecretStatus>,
  oauthConnected: boolean,
): Consequence[] {
  const changed = Object.entries(COLUMN_FORM_PATHS)
    .filter(([, path]) => String(get(now, path)) !== String(get(saved, path)))
    .map(([column]) => column);
  const out: Consequence[] = [];
  const weakened = now.transport.kind === 'smtp' && now.auth.useAuth ? weakenedBy(saved.smtp, now.smtp) : undefined;

  for (const s of PROFILE_SECRET_NAMES) {
    const { label } = PROFILE_SECRETS[s];
    const mode = modeOf(now, s);
    const moved = movedBindings(s, changed);
    const reenter = inUse(now, s) ? s : undefined;
    if (!secrets[s].set || mode === 'clear') continue;
    if (moved.length) {
      out.push({
        key: `${s}-cleared`,
        reenter,
        text:
          mode === 'set'
            ? `The ${label} is replaced by the one entered (the ${moved.join(', ')} changed).`
            : `Saving clears the stored ${label}: the ${moved.join(', ')} changed.${reenter ? ' Enter it again to keep using it:' : ''}`,
      });
    } else if (s === 'smtpPassword' && weakened && reenter) {
      out.push({
        key: `${s}-weakened`,
        reenter,
        text:
          mode === 'set'
            ? `The ${label} entered here will be sent now that ${weakened}.`
            : `The stored ${label} will not be sent once ${weakened}. Enter it again to send it anyway:`,
      });
    }
  }

  if (oauthConnected) {
    const moved = movedTokenBindings(changed);
    const credential = OAUTH_CREDENTIALS.some(
      (s) => modeOf(now, s) !== 'keep' || (secrets[s].set && movedBindings(s, changed).length),
    );
    if (moved.length || credential) {
      const what = [...moved, ...(credential ? ['client credential'] : [])].join(', ');
      out.push({
        key: 'oauth-reset',
        text: `Saving resets the OAuth connection (the ${what} changed): click Reconnect after saving.`,
      });
    } else if (weakened && now.auth.authType === 'oauth2') {
      out.push({
        key: 'oauth-weakened',
        text: `The OAuth connection will not be used once ${weakened}: click Reconnect after saving to use it anyway.`,
      });
    }
  }
  return out;
}

/** The secret's input again, beside Save: the same form value as the field in its section. */
function ReenterField({ secret }: { secret: ProfileSecret }) {
  const { control, setValue } = useFormContext<NotificationsInput>();
  const path = SECRET_FORM_PATHS[secret];
  const valuePath = `${path}.value` as Path;
  const value = useWatch({ control, name: valuePath }) as string;
  const { errors } = useFormState({ control, name: valuePath });
  const error = get<typeof errors, { message?: string } | undefined>(errors, valuePath)?.message;
  const id = `save-${path.replace(/\./g, '-')}`;
  const onChange = (next: string) => {
    setValue(valuePath, next as never, { shouldDirty: true, shouldValidate: !!error });
    setValue(`${path}.mode`, 'set', { shouldDirty: true });
  };
  const props = {
    id,
    value: value ?? '',
    'aria-invalid': error ? true : undefined,
    'aria-describedby': `${id}-error`,
  } as const;
  const label = `${PROFILE_SECRETS[secret].label[0].toUpperCase()}${PROFILE_SECRETS[secret].label.slice(1)} (entered again)`;
  return (
    <Field id={id} label={label} error={error} className="max-w-md">
      {secret === 'certificateKey' ? (
        <Textarea rows={3} spellCheck={false} {...props} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <Input type="password" autoComplete="new-password" {...props} onChange={(e) => onChange(e.target.value)} />
      )}
    </Field>
  );
}

/** Next to Save: which stored secrets this save clears or stops using, with the field to enter each again. */
export function SaveConsequences({
  saved,
  secrets,
  oauthConnected,
}: {
  saved: NotificationsInput;
  secrets: Record<ProfileSecret, SecretStatus>;
  oauthConnected: boolean;
}) {
  const { control } = useFormContext<NotificationsInput>();
  const now = useWatch({ control }) as NotificationsInput;
  const items = saveConsequences(now, saved, secrets, oauthConnected);
  if (!items.length) return null;
  return (
    <ul data-testid="save-consequences" aria-live="polite" className="space-y-3 text-sm text-amber-800 dark:text-amber-200">
      {items.map((c) => (
        <li key={c.key} className="space-y-2">
          <p>{c.text}</p>
          {c.reenter ? <ReenterField secret={c.reenter} /> : null}
        </li>
      ))}
    </ul>
  );
}
