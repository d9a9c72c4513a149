'use client';

import { get, useFormContext, type FieldPath } from 'react-hook-form';
import type { NotificationsInput } from '@/lib/validation/notifications';

export type Path = FieldPath<NotificationsInput>;

/** Field id, error message and register() for one path of the Notifications form. */
export function useField(path: Path) {
  const { register, formState } = useFormContext<NotificationsInput>();
  const error = (get(formState.errors, path) as { message?: string } | undefined)?.message;
  const id = path.replace(/\./g, '-');
  return {
    id,
    error,
    control: {
      id,
      'aria-invalid': error ? true : undefined,
      'aria-describedby': `${id}-hint ${id}-error`,
    } as const,
    register,
    /** saved value, rendered into the server HTML so the form is filled before hydration */
    initial: get(formState.defaultValues, path) as unknown,
  };
}
