'use client';

import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { STEP_LABELS, type AdviceFix, type SendResult } from '@/lib/mail/types';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** `onFix`: put the advice's setting on the page (it is saved with the next Save and test). */
export function TestResultView({ result, onFix }: { result: SendResult; onFix?: (fix: AdviceFix) => void }) {
  const [copied, setCopied] = useState(false);
  const reply = result.reply ? [result.reply.code, result.reply.enhanced, result.reply.text].filter(Boolean).join(' ') : '';
  return (
    <div className="space-y-3" data-testid="test-result" data-ok={result.ok}>
      {result.ok ? (
        <Alert tone="success" title="Test email sent">
          The server accepted the message{result.queueId ? ` (queue id ${result.queueId})` : ''} in {secs(result.durationMs)}.
          Check the recipient&apos;s inbox (and spam folder).
        </Alert>
      ) : (
        <Alert
          tone="error"
          title={`Failed at ${result.failedStep ? STEP_LABELS[result.failedStep] : 'an unknown step'}${result.advice ? `: ${result.advice.title}` : ''}`}
        >
          {reply ? <p className="font-mono text-xs">Server reply: {reply}</p> : null}
          {result.advice ? <p className="mt-2">{result.advice.detail}</p> : null}
          {result.advice?.fix && onFix ? (
            <p className="mt-3">
              <Button variant="secondary" onClick={() => onFix(result.advice!.fix!)}>
                {result.advice.fix.label}
              </Button>
            </p>
          ) : null}
          {result.advice?.docs ? (
            <p className="mt-2">
              <a href={result.advice.docs} target="_blank" rel="noreferrer noopener" className="underline">
                Microsoft / provider documentation
              </a>
            </p>
          ) : null}
        </Alert>
      )}
      {result.transcript.length ? (
        <details className="rounded-md border border-slate-200 dark:border-slate-800">
          <summary className="cursor-pointer px-3 py-2 text-sm font-medium">
            {result.transport === 'graph' ? 'Request transcript' : 'SMTP transcript'} ({result.transcript.length} lines, secrets
            hidden)
          </summary>
          <div className="border-t border-slate-200 p-3 dark:border-slate-800">
            <pre className="max-h-64 overflow-auto whitespace-pre-wrap font-mono text-xs" data-testid="transcript">
              {result.transcript.join('\n')}
            </pre>
            <Button
              variant="secondary"
              className="mt-2"
              onClick={async () => {
                await navigator.clipboard?.writeText(result.transcript.join('\n')).catch(() => undefined);
                setCopied(true);
              }}
            >
              {copied ? 'Copied' : 'Copy transcript'}
            </Button>
          </div>
        </details>
      ) : null}
    </div>
  );
}
