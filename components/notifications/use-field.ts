'use client';

import { get, useFormContext, type FieldPath } from 'react-hook-form';
import { describedBy } from '@/components/ui/field';
import type { NotificationsInput } from '@/lib/validation/notifications';

export type Path = FieldPath<NotificationsInput>;

/** Field id, error, aria wiring and register() for one path of the Notifications form. */
export function useField(path: Path) {
  const form = useFormContext<NotificationsInput>();
  const error = get<typeof form.formState.errors, { message?: string } | undefined>(form.formState.errors, path)?.message;
  const id = path.replace(/\./g, '-');
  return {
    form,
    id,
    error,
    control: describedBy(id, error),
    register: form.register,
    /** saved value, rendered into the server HTML so the form is filled before hydration */
    initial: get(form.formState.defaultValues, path),
  };
}
