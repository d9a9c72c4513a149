import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import type { FieldErrors } from '@/lib/action';

/** Puts server-side field errors under their fields and focuses the first one. */
export function applyFieldErrors<T extends FieldValues>(
  setError: UseFormSetError<T>,
  errors: FieldErrors | undefined,
  prefix = '',
) {
  if (!errors) return;
  let first = true;
  for (const [name, messages] of Object.entries(errors)) {
    if (!messages?.length || name === '_form') continue;
    setError(
      name.slice(name.startsWith(prefix) ? prefix.length : 0) as Path<T>,
      { type: 'server', message: messages[0] },
      { shouldFocus: first },
    );
    first = false;
  }
}
