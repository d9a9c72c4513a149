'use client';

import { useFormContext, useWatch } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Field, Input, Textarea } from '@/components/ui/field';
import type { SecretStatus } from '@/lib/notifications/secrets';
import type { NotificationsInput } from '@/lib/validation/notifications';
import { useField, type Path } from '@/components/notifications/use-field';
import { formatUtc } from '@/lib/format';

type SecretPath = 'auth.smtpPassword' | 'auth.oauth.clientSecret' | 'auth.oauth.certificateKey' | 'auth.oauth.password';

/**
 * Write-only secret: shows "Set on <date> — Replace / Clear", never the value. The stored value
 * never reaches the browser; the form only sends keep / set (with the new value) / clear.
 */
export function SecretInput({
  path,
  label,
  status,
  hint,
  multiline,
  disabled,
  pendingClear,
}: {
  path: SecretPath;
  label: string;
  status: SecretStatus;
  hint?: string;
  multiline?: boolean;
  disabled?: boolean;
  /** a destination field changed: saving will clear the stored value unless a new one is entered */
  pendingClear?: string;
}) {
  const { setValue, register } = useFormContext<NotificationsInput>();
  const mode = useWatch<NotificationsInput>({ name: `${path}.mode` as Path }) as 'keep' | 'set' | 'clear';
  const { id, error, control } = useField(`${path}.value` as Path);
  const set = (m: 'keep' | 'set' | 'clear') => {
    setValue(`${path}.mode` as Path, m as never, { shouldDirty: true });
    if (m !== 'set') setValue(`${path}.value` as Path, '', { shouldDirty: true });
  };
  const editing = mode === 'set' || (!status.set && mode !== 'clear');

  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {editing ? (
        <div className="flex gap-2">
          {multiline ? (
            <Textarea
              rows={4}
              spellCheck={false}
              disabled={disabled}
              placeholder={status.set ? 'New value' : ''}
              {...control}
              {...register(`${path}.value` as Path, { onChange: () => mode !== 'set' && set('set') })}
            />
          ) : (
            <Input
              type="password"
              autoComplete="new-password"
              disabled={disabled}
              placeholder={status.set ? 'New value' : ''}
              {...control}
              {...register(`${path}.value` as Path, { onChange: () => mode !== 'set' && set('set') })}
            />
          )}
          {status.set ? (
            <Button variant="ghost" disabled={disabled} onClick={() => set('keep')}>
              Cancel
            </Button>
          ) : null}
        </div>
      ) : (
        <div
          className="flex flex-wrap items-center gap-3 rounded-md border border-dashed border-slate-300 px-3 py-2 text-sm dark:border-slate-700"
          data-testid={`${id}-status`}
        >
          {mode === 'clear' ? (
            <span className="text-amber-700 dark:text-amber-300">Will be cleared when you save</span>
          ) : (
            <span>
              <span className="font-medium text-emerald-700 dark:text-emerald-300">Set</span>
              <span className="text-slate-500"> on {status.setAt ? formatUtc(status.setAt) : '—'}</span>
            </span>
          )}
          {disabled ? null : (
            <span className="ml-auto flex gap-2">
              <Button variant="secondary" onClick={() => set('set')}>
                Replace
              </Button>
              {mode === 'clear' ? (
                <Button variant="ghost" onClick={() => set('keep')}>
                  Undo
                </Button>
              ) : (
                <Button variant="ghost" onClick={() => set('clear')}>
                  Clear
                </Button>
              )}
            </span>
          )}
        </div>
      )}
      {pendingClear && status.set && mode === 'keep' ? (
        <p className="text-xs text-amber-700 dark:text-amber-300" role="status">
          {pendingClear}
        </p>
      ) : null}
    </Field>
  );
}
