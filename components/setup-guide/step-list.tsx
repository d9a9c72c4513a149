'use client';

import type { StepState, StepStatus } from '@/lib/setup-guide/checklist';
import type { Step } from '@/lib/setup-guide/steps';
import { CopyButton } from '@/components/setup-guide/copy-button';

const NOTE: Record<StepState, string> = {
  ok: 'border-emerald-400',
  failed: 'border-rose-500 bg-rose-50 dark:bg-rose-950/40',
  warning: 'border-amber-400 bg-amber-50 dark:bg-amber-950/40',
  todo: 'border-slate-300 dark:border-slate-600',
  unchecked: 'border-sky-300',
};

const BADGE: Record<StepState, { label: string; tone: string }> = {
  ok: { label: 'Done', tone: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200' },
  failed: { label: 'Needs attention', tone: 'bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-200' },
  warning: { label: 'Check this', tone: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200' },
  todo: { label: 'To do', tone: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300' },
  unchecked: { label: 'Mailroom cannot check', tone: 'bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200' },
};

/** The scenario's steps in order, each with the store's values and, once saved, what Mailroom found. */
export function StepList({ steps, statuses }: { steps: Step[]; statuses: Record<string, StepStatus> | null }) {
  return (
    <ol className="space-y-3" aria-label="Setup steps">
      {steps.map((step, n) => {
        const status = statuses?.[step.id];
        // A fix the checklist names moves from the step's commands into its finding.
        const commands = step.commands?.filter((c) => c !== status?.command);
        return (
          <li
            key={step.id}
            data-testid={`setup-step-${step.id}`}
            data-state={status?.state ?? 'todo'}
            className="rounded-md border border-slate-200 bg-white p-3 dark:border-slate-700 dark:bg-slate-900"
          >
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h4 className="font-medium">
                {n + 1}. {step.title}
              </h4>
              {status ? (
                <span className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${BADGE[status.state].tone}`}>
                  {BADGE[status.state].label}
                </span>
              ) : null}
            </div>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{step.text}</p>
            {step.values.length ? (
              <dl className="mt-2 space-y-1 text-sm">
                {step.values.map((v) => (
                  <div key={v.label} className="flex flex-wrap items-center gap-2">
                    <dt className="text-slate-500">{v.label}:</dt>
                    <dd className="min-w-0 break-all font-mono text-xs">
                      {v.href ? (
                        <a
                          href={v.value}
                          target="_blank"
                          rel="noreferrer noopener"
                          className="text-indigo-700 underline dark:text-indigo-300"
                        >
                          {v.value}
                        </a>
                      ) : (
                        v.value
                      )}
                    </dd>
                    {v.copy === false ? null : <CopyButton value={v.value} label={`Copy ${v.label}`} />}
                  </div>
                ))}
              </dl>
            ) : null}
            {commands?.length ? <Commands commands={commands} label={`Copy the commands of step ${n + 1}`} /> : null}
            {status ? (
              <div
                className={`mt-2 border-l-4 py-1 pl-3 text-sm ${NOTE[status.state]}`}
                role={status.state === 'failed' ? 'alert' : undefined}
              >
                <p data-testid={`setup-step-${step.id}-status`}>{status.text}</p>
                {status.command ? <Commands commands={[status.command]} label="Copy the command" /> : null}
              </div>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

function Commands({ commands, label }: { commands: string[]; label: string }) {
  const text = commands.join('\n');
  return (
    <div className="mt-2 flex items-start gap-2">
      <pre className="min-w-0 flex-1 overflow-x-auto rounded bg-slate-900 p-2 text-xs text-slate-100">{text}</pre>
      <CopyButton value={text} label={label} />
    </div>
  );
}
