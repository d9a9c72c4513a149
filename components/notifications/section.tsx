import type { ReactNode } from 'react';

/** A collapsible section of the Notifications page (native <details>: keyboard and screen-reader friendly). */
export function Section({
  id,
  title,
  description,
  children,
  defaultOpen = true,
  badge,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  defaultOpen?: boolean;
  badge?: ReactNode;
}) {
  return (
    <details
      id={id}
      open={defaultOpen}
      className="group rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <summary className="flex cursor-pointer list-none items-center justify-between gap-4 px-5 py-4 [&::-webkit-details-marker]:hidden">
        <span>
          <span className="block text-base font-semibold">{title}</span>
          {description ? <span className="mt-0.5 block text-sm text-slate-500 dark:text-slate-400">{description}</span> : null}
        </span>
        <span className="flex items-center gap-3">
          {badge}
          <svg
            aria-hidden
            viewBox="0 0 20 20"
            className="h-5 w-5 text-slate-400 transition-transform group-open:rotate-180"
            fill="currentColor"
          >
            <path d="M5.3 7.3a1 1 0 0 1 1.4 0L10 10.6l3.3-3.3a1 1 0 1 1 1.4 1.4l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 0 1 0-1.4Z" />
          </svg>
        </span>
      </summary>
      <div className="space-y-5 border-t border-slate-200 px-5 py-5 dark:border-slate-800">{children}</div>
    </details>
  );
}
