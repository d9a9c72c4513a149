import type { InputHTMLAttributes, ReactNode } from 'react';

/** A checkbox with its label and an optional hint the box is described by. */
export function Checkbox({
  id,
  label,
  hint,
  disabled,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
}) {
  return (
    <div className="flex items-start gap-3">
      <input
        id={id}
        type="checkbox"
        disabled={disabled}
        className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-300 text-indigo-600 focus:ring-indigo-500 disabled:opacity-50"
        aria-describedby={hint ? `${id}-hint` : undefined}
        {...props}
      />
      <div className={`text-sm ${disabled ? 'text-slate-400' : ''}`}>
        <label htmlFor={id} className="font-medium">
          {label}
        </label>
        {hint ? (
          <p id={`${id}-hint`} className="text-xs text-slate-500 dark:text-slate-400">
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}
