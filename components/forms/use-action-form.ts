'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, type DefaultValues, type FieldValues, type UseFormProps, type UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';
import { applyFieldErrors } from '@/components/forms/apply-field-errors';
import type { ActionResult } from '@/lib/action';
import { callAction } from '@/lib/call-action';

export type FormOutcome = { ok: boolean; message: string };

/**
 * A react-hook-form form whose submit calls a server action: the schema validates in the browser,
 * the action's field errors land under their fields, and its message becomes `outcome`.
 */
export function useActionForm<TInput extends FieldValues, TOutput extends FieldValues, TData = undefined>(opts: {
  schema: z.ZodType<TOutput, TInput>;
  defaultValues: DefaultValues<TInput>;
  action: (values: TOutput) => Promise<ActionResult<TData>>;
  /** After the action succeeded: navigate, reset, tell the parent. */
  onSuccess?: (
    result: { message?: string; data?: TData },
    values: TOutput,
    form: UseFormReturn<TInput, unknown, TOutput>,
  ) => void | Promise<void>;
  /** The action's field errors are keyed under this prefix (e.g. `values.` when it wraps the form's values). */
  fieldPrefix?: string;
  options?: Omit<UseFormProps<TInput, unknown, TOutput>, 'resolver' | 'defaultValues'>;
}) {
  const form = useForm<TInput, unknown, TOutput>({
    resolver: zodResolver(opts.schema),
    defaultValues: opts.defaultValues,
    ...opts.options,
  });
  const [outcome, setOutcome] = useState<FormOutcome>();

  /** Runs the action with already validated values; true when it succeeded. */
  const send = async (values: TOutput): Promise<boolean> => {
    setOutcome(undefined);
    const res = await callAction(() => opts.action(values));
    if (!res.ok) {
      setOutcome({ ok: false, message: res.message });
      applyFieldErrors(form.setError, res.fieldErrors, opts.fieldPrefix);
      return false;
    }
    setOutcome({ ok: true, message: res.message ?? '' });
    await opts.onSuccess?.(res, values, form);
    return true;
  };

  return { form, outcome, setOutcome, send, onSubmit: form.handleSubmit(async (values) => void (await send(values))) };
}
