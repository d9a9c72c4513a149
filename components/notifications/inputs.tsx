'use client';

import type { ChangeEvent, ReactNode } from 'react';
import { FormField } from '@/components/forms/form-field';
import { Checkbox } from '@/components/ui/checkbox';
import { useField, type Path } from '@/components/notifications/use-field';

type Common = { path: Path; label: ReactNode; hint?: ReactNode; disabled?: boolean; className?: string; required?: boolean };

/** What every Notifications field passes to FormField (which renders the saved value into the server HTML itself). */
function useFieldProps({ path, label, hint, disabled, className, required }: Common) {
  const { form, id } = useField(path);
  return { form, name: path, id, label, hint, disabled, className, required };
}

export function TextField({
  path,
  label,
  hint,
  disabled,
  className,
  required,
  type = 'text',
  placeholder,
  autoComplete = 'off',
  number,
  onValueChange,
}: Common & {
  type?: string;
  placeholder?: string;
  autoComplete?: string;
  number?: boolean;
  onValueChange?: (value: string) => void;
}) {
  const field = useFieldProps({ path, label, hint, disabled, className, required });
  return (
    <FormField
      {...field}
      type={type}
      inputMode={number ? 'numeric' : undefined}
      placeholder={placeholder}
      autoComplete={autoComplete}
      spellCheck={false}
      registerOptions={{
        ...(number ? { valueAsNumber: true as const } : {}),
        ...(onValueChange ? { onChange: (e: ChangeEvent<HTMLInputElement>) => onValueChange(e.target.value) } : {}),
      }}
    />
  );
}

export function SelectField({
  path,
  label,
  hint,
  disabled,
  className,
  options,
  onValueChange,
}: Common & {
  options: readonly { value: string; label: string }[];
  onValueChange?: (value: string) => void;
}) {
  const field = useFieldProps({ path, label, hint, disabled, className });
  return (
    <FormField
      {...field}
      options={options}
      registerOptions={
        onValueChange ? { onChange: (e: ChangeEvent<HTMLSelectElement>) => onValueChange(e.target.value) } : undefined
      }
    />
  );
}

export function CheckField({ path, label, hint, disabled }: Common) {
  const { form, id, initial } = useField(path);
  return (
    <Checkbox id={id} label={label} hint={hint} disabled={disabled} defaultChecked={Boolean(initial)} {...form.register(path)} />
  );
}

export const optionsOf = <K extends string>(labels: Record<K, string>) =>
  (Object.entries(labels) as [K, string][]).map(([value, label]) => ({ value, label }));
