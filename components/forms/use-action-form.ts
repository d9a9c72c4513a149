'use client';

import { useEffect, useState } from 'react';
import {
  useForm,
  type DefaultValues,
  type FieldValues,
  type Resolver,
  type UseFormProps,
  type UseFormReturn,
} from 'react-hook-form';
import type { z } from 'zod';
import { applyFieldErrors } from '@/components/forms/apply-field-errors';
import type { ActionResult } from '@/lib/action';
import { callAction } from '@/lib/call-action';

export type FormOutcome = { ok: boolean; message: string };

type Schema<TInput, TOutput> = z.ZodType<TOutput, TInput>;

/**
 * The resolver, loaded with the schema on first use (a save validates first, and an edited form
 * starts loading them): Zod's resolver, and the schema when given as an import, stay out of the
 * JavaScript a page needs to show up.
 */
function lazyResolver<TInput extends FieldValues, TOutput extends FieldValues>(
  load: () => Promise<Schema<TInput, TOutput>>,
): { resolver: Resolver<TInput, unknown, TOutput>; preload: () => void } {
  let loaded: Promise<Resolver<TInput, unknown, TOutput>> | undefined;
  const get = () =>
    (loaded ??= Promise.all([load(), import('@hookform/resolvers/zod')]).then(([schema, { zodResolver }]) =>
      zodResolver(schema),
    ));
  return {
    resolver: async (values, context, options) => (await get())(values, context, options),
    // A failed load is tried again by the next validation, which reports it.
    preload: () => void get().catch(() => (loaded = undefined)),
  };
}

/**
 * A react-hook-form form whose submit calls a server action: the schema validates in the browser,
 * the action's field errors land under their fields, and its message becomes `outcome`.
 */
export function useActionForm<TInput extends FieldValues, TOutput extends FieldValues, TData = undefined>(opts: {
  /** The schema, or a function importing it (loaded like the resolver, when the form is edited or first validates). */
  schema: Schema<TInput, TOutput> | (() => Promise<Schema<TInput, TOutput>>);
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
  const [{ resolver, preload }] = useState(() => {
    const schema = opts.schema;
    return lazyResolver(typeof schema === 'function' ? schema : async () => schema);
  });
  const form = useForm<TInput, unknown, TOutput>({ resolver, defaultValues: opts.defaultValues, ...opts.options });
  const [outcome, setOutcome] = useState<FormOutcome>();
  const edited = form.formState.isDirty;
  useEffect(() => {
    if (edited) preload();
  }, [edited, preload]);

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
