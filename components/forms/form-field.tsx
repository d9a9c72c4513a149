'use client';

import type { InputHTMLAttributes, ReactNode } from 'react';
import { get, type FieldValues, type Path, type RegisterOptions, type UseFormReturn } from 'react-hook-form';
import { describedBy, Field, Input, Select } from '@/components/ui/field';

type Props<T extends FieldValues> = Omit<InputHTMLAttributes<HTMLInputElement>, 'form' | 'name' | 'id'> & {
  form: Pick<UseFormReturn<T>, 'register' | 'formState'>;
  name: Path<T>;
  /** Defaults to the field's name; set it where the same field appears twice on a page. */
  id?: string;
  label: ReactNode;
  hint?: ReactNode;
  /** A select with these options instead of a text input. */
  options?: readonly { value: string; label: string }[];
  registerOptions?: RegisterOptions<T, Path<T>>;
};

/** One form field: label, input (or select), hint and error, wired to react-hook-form and to screen readers. */
export function FormField<T extends FieldValues>({
  form,
  name,
  id = name,
  label,
  hint,
  className,
  options,
  registerOptions,
  required,
  ...input
}: Props<T>) {
  const error = get<typeof form.formState.errors, { message?: string } | undefined>(form.formState.errors, name)?.message;
  // The saved value in the server's HTML too: the field shows it before the page's scripts run.
  const defaultValue = input.defaultValue ?? get<object, string | number | undefined>(form.formState.defaultValues ?? {}, name);
  const control = {
    ...describedBy(id, error),
    ...(required && { 'aria-required': true as const }),
    ...form.register(name, registerOptions),
  };
  return (
    <Field id={id} label={label} hint={hint} error={error} className={className} required={required}>
      {options ? (
        <Select disabled={input.disabled} defaultValue={defaultValue} {...control}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
      ) : (
        <Input {...input} defaultValue={defaultValue} {...control} />
      )}
    </Field>
  );
}
