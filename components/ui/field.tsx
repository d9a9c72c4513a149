import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import { forwardRef } from 'react';

const inputClass =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 disabled:bg-slate-100 disabled:text-slate-500 aria-[invalid=true]:border-rose-500 dark:border-slate-700 dark:bg-slate-900 dark:disabled:bg-slate-800';

/** Label, control, hint and error wired together for screen readers (aria-describedby). */
export function Field({
  id,
  label,
  hint,
  error,
  children,
  className = '',
  required = false,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
  className?: string;
  /** Marks the label; the control itself carries aria-required. */
  required?: boolean;
}) {
  return (
    <div className={`space-y-1.5 ${className}`}>
      {/* The mark sits beside the label, not in it: the field's accessible name stays its label. */}
      <div className="flex items-baseline">
        <label htmlFor={id} className="block text-sm font-medium text-slate-800 dark:text-slate-200">
          {label}
        </label>
        {required ? <RequiredMark /> : null}
      </div>
      {children}
      {hint && !error ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      ) : null}
      <p id={`${id}-error`} aria-live="polite" className="text-xs font-medium text-rose-600 dark:text-rose-400">
        {error ?? ''}
      </p>
    </div>
  );
}

/** The asterisk after a required field's label (screen readers hear aria-required instead). */
export function RequiredMark() {
  return (
    <span aria-hidden className="ml-0.5 text-rose-600 dark:text-rose-400" data-required-mark>
      *
    </span>
  );
}

/** Props that connect a control to its Field's hint and error. */
export function describedBy(id: string, error?: string) {
  return { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': `${id}-hint ${id}-error` } as const;
}

export const Input = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement>>(function Input(
  { className = '', ...props },
  ref,
) {
  return <input ref={ref} className={`${inputClass} ${className}`} {...props} />;
});

export const Select = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement>>(function Select(
  { className = '', ...props },
  ref,
) {
  return <select ref={ref} className={`${inputClass} ${className}`} {...props} />;
});

export const Textarea = forwardRef<HTMLTextAreaElement, TextareaHTMLAttributes<HTMLTextAreaElement>>(function Textarea(
  { className = '', ...props },
  ref,
) {
  return <textarea ref={ref} className={`${inputClass} ${className}`} {...props} />;
});
