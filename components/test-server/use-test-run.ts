'use client';

import { useCallback, useState } from 'react';
import type { Step, SendResult } from '@/lib/mail/types';

export type RunState =
  | { phase: 'idle' }
  | { phase: 'running'; steps: Step[] }
  | { phase: 'done'; steps: Step[]; result: SendResult }
  | { phase: 'error'; steps: Step[]; message: string; field?: string };

type Line =
  | { type: 'step'; step: Step }
  | { type: 'result'; result: SendResult }
  | { type: 'error'; error: { message: string; field?: string } };

/** Runs Test Server through the streaming endpoint, updating the steps as the server reports them. */
export function useTestRun(storeId: string) {
  const [state, setState] = useState<RunState>({ phase: 'idle' });

  const run = useCallback(
    async (to: string): Promise<RunState> => {
      const steps: Step[] = [];
      let last: RunState = { phase: 'running', steps: [] };
      const set = (next: RunState) => {
        last = next;
        setState(next);
      };
      setState(last);
      try {
        const res = await fetch(`/api/stores/${encodeURIComponent(storeId)}/test`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
          body: JSON.stringify({ to }),
        });
        if (!res.body || !(res.headers.get('content-type') ?? '').includes('ndjson')) {
          const body = (await res.json().catch(() => ({}))) as { error?: { message?: string; field?: string } };
          set({
            phase: 'error',
            steps,
            message: body.error?.message ?? `The server answered ${res.status}.`,
            field: body.error?.field,
          });
          return last;
        }
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          buffer += decoder.decode(value, { stream: !done });
          const lines = buffer.split('\n');
          buffer = lines.pop() ?? '';
          for (const raw of lines.filter(Boolean)) {
            const line = JSON.parse(raw) as Line;
            if (line.type === 'step') {
              steps.push(line.step);
              set({ phase: 'running', steps: [...steps] });
            } else if (line.type === 'result') {
              set({ phase: 'done', steps: line.result.steps, result: line.result });
            } else {
              set({ phase: 'error', steps, message: line.error.message, field: line.error.field });
            }
          }
          if (done) break;
        }
      } catch {
        set({
          phase: 'error',
          steps,
          message: 'The console lost the connection to the server while testing. Check that Mailroom is running and try again.',
        });
      }
      return last;
    },
    [storeId],
  );

  return { state, run, reset: () => setState({ phase: 'idle' }) };
}
