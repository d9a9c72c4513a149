'use client';

import type { ReactNode } from 'react';
import { get, useFormContext } from 'react-hook-form';
import { Field, Input, Select } from '@/components/ui/field';
import type { NotificationsInput } from '@/lib/validation/notifications';
import { Checkbox } from '@/components/notifications/section';
import { useField, type Path } from '@/components/notifications/use-field';

type Common = { path: Path; label: ReactNode; hint?: ReactNode; disabled?: boolean; className?: string };

export function TextField({ path, label, hint, disabled, className, type = 'text', placeholder, autoComplete = 'off', number, onValueChange }: Common & {
  type?: string;
  placeholder?: string;
  autoComplete?: string;
  number?: boolean;
  onValueChange?: (value: string) => void;
}) {
  const { id, error, control, register, initial } = useField(path);
  return (
    <Field id={id} label={label} hint={hint} error={error} className={className}>
      <Input
        defaultValue={initial as string | number | undefined}
        type={type}
        inputMode={number ? 'numeric' : undefined}
        placeholder={placeholder}
        autoComplete={autoComplete}
        spellCheck={false}
        disabled={disabled}
        {...control}
        {...register(path, {
          ...(number ? { valueAsNumber: true as const } : {}),
          ...(onValueChange ? { onChange: (e: React.ChangeEvent<HTMLInputElement>) => onValueChange(e.target.value) } : {}),
        })}
      />
    </Field>
  );
}

export function SelectField({ path, label, hint, disabled, className, options, onValueChange }: Common & {
  options: readonly { value: string; label: string }[];
  onValueChange?: (value: string) => void;
}) {
  const { id, error, control, register, initial } = useField(path);
  return (
    <Field id={id} label={label} hint={hint} error={error} className={className}>
      <Select
        defaultValue={initial as string | undefined}
        disabled={disabled}
        {...control}
        {...register(path, onValueChange ? { onChange: (e: React.ChangeEvent<HTMLSelectElement>) => onValueChange(e.target.value) } : undefined)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    </Field>
  );
}

export function CheckField({ path, label, hint, disabled }: Common) {
  const { register, formState } = useFormContext<NotificationsInput>();
  const id = path.replace(/\./g, '-');
  // Server-rendered HTML shows the saved state before hydration (register alone renders nothing).
  const initial = Boolean(get(formState.defaultValues, path));
  return <Checkbox id={id} label={label} hint={hint} disabled={disabled} defaultChecked={initial} {...register(path)} />;
}

export const optionsOf = <K extends string>(labels: Record<K, string>) =>
  (Object.entries(labels) as [K, string][]).map(([value, label]) => ({ value, label }));
