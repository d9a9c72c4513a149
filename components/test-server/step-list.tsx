'use client';

import { useEffect, useState } from 'react';
import { STEP_LABELS, type Step, type StepName } from '@/lib/mail/types';

const ICON = { ok: '✓', failed: '✗', skipped: '–', running: '…', pending: '○' } as const;
const TONE = {
  ok: 'text-emerald-600 dark:text-emerald-400',
  failed: 'text-rose-600 dark:text-rose-400',
  skipped: 'text-slate-400',
  running: 'text-indigo-600 animate-pulse',
  pending: 'text-slate-300 dark:text-slate-600',
} as const;

/**
 * `order`: every step the send will report (stepOrder), shown pending until it arrives.
 * `connectWaitSeconds`: the saved connection + greeting timeouts, counted down while connecting.
 */
export function StepList({
  steps,
  running,
  order,
  connectWaitSeconds,
}: {
  steps: Step[];
  running: boolean;
  order: readonly StepName[];
  connectWaitSeconds?: number;
}) {
  const byName = new Map(steps.map((s) => [s.name, s]));
  const firstPending = order.find((n) => !byName.has(n));
  return (
    <ol className="space-y-1.5 text-sm" aria-label="Test steps">
      {order.map((name) => {
        const step = byName.get(name);
        const status = step?.status ?? (running && name === firstPending ? 'running' : 'pending');
        return (
          <li key={name} className="flex gap-3" data-step={name} data-status={status}>
            <span aria-hidden className={`w-4 shrink-0 text-center font-bold ${TONE[status]}`}>
              {ICON[status]}
            </span>
            <span className="w-40 shrink-0 font-medium">{STEP_LABELS[name]}</span>
            <span className="min-w-0 break-words text-slate-600 dark:text-slate-400">
              {step?.detail ?? ''}
              {status === 'running' && name === 'connect' && connectWaitSeconds ? (
                <Countdown seconds={connectWaitSeconds} />
              ) : null}
              <span className="sr-only"> ({status})</span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}

/** "Waiting for the server, gives up in 17 s": a silent server is not mistaken for a hung console. */
function Countdown({ seconds }: { seconds: number }) {
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    const started = Date.now();
    const timer = setInterval(() => setLeft(Math.max(0, seconds - Math.floor((Date.now() - started) / 1000))), 250);
    return () => clearInterval(timer);
  }, [seconds]);
  return <span data-testid="connect-countdown">Waiting for the server to answer; gives up in {left} s.</span>;
}
