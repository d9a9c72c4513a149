'use client';

import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import type { AdviceFix, StepName } from '@/lib/mail/types';
import { StepList } from '@/components/test-server/step-list';
import { TestResultView } from '@/components/test-server/test-result';
import { useTestRun } from '@/components/test-server/use-test-run';

export type TestDialogProps = {
  storeId: string;
  transport: 'smtp' | 'graph';
  /** The steps the saved settings will report (stepOrder), listed before they run. */
  steps: readonly StepName[];
  defaultRecipient: string;
  /** The page has unsaved changes: offer to save them first (tests always use saved settings). */
  dirty: boolean;
  saveFirst: () => Promise<boolean>;
  /** The saved settings lack a value: put the message under that field of the page and take the admin there. */
  showFieldError: (field: string, message: string) => void;
  /** Puts an advice's setting on the page. */
  applyFix: (fix: AdviceFix) => void;
  /** SMTP: the saved connection and greeting timeouts, counted down while connecting. */
  connectWaitSeconds?: number;
};

/**
 * The Test Notification dialog (docs/architecture.md#test-server), loaded and opened by the Test
 * Server button (test-server-button.tsx); it opens again each time `opened` changes.
 */
export function TestDialog({
  opened,
  storeId,
  transport,
  steps,
  defaultRecipient,
  dirty,
  saveFirst,
  showFieldError,
  applyFix,
  connectWaitSeconds,
}: TestDialogProps & { opened: number }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [to, setTo] = useState(defaultRecipient);
  const [saveError, setSaveError] = useState<string>();
  const { state, run, reset } = useTestRun(storeId);
  const running = state.phase === 'running';
  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
  }, [opened]);

  const start = async (save: boolean) => {
    setSaveError(undefined);
    if (save && !(await saveFirst())) {
      setSaveError('The settings could not be saved; fix the fields marked on the page, then test again.');
      return;
    }
    const outcome = await run(to);
    // A setting on the page is missing: its message belongs at that field, where it can be fixed.
    if (outcome.phase === 'error' && outcome.field && outcome.field !== 'to') {
      dialog.current?.close();
      reset();
      showFieldError(outcome.field, outcome.message);
    }
  };
  const close = () => {
    if (running) return;
    dialog.current?.close();
    reset();
  };

  return (
    // Into <body>: it has its own form and must not sit inside the settings form.
    createPortal(
      <dialog
        ref={dialog}
        aria-labelledby="test-dialog-title"
        onCancel={(e) => {
          if (running) e.preventDefault();
          else reset();
        }}
        className="m-auto max-h-[90vh] w-full max-w-2xl overflow-y-auto rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40 dark:border-slate-800 dark:backdrop:bg-black/75 dark:bg-slate-900 dark:text-slate-100"
      >
        <form
          method="post"
          className="space-y-4 p-6"
          noValidate
          onSubmit={(e) => {
            // React events bubble through portals: keep this submit away from the settings form.
            e.preventDefault();
            e.stopPropagation();
            // Enter does what the primary button says.
            void start(dirty);
          }}
        >
          <h2 id="test-dialog-title" className="text-lg font-semibold">
            Test Notification
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Sends a real email through the saved settings and shows each step{' '}
            {transport === 'graph' ? 'of the Microsoft Graph request' : 'of the conversation with the server'}.
          </p>
          {dirty && state.phase === 'idle' ? (
            <Alert tone="warning" title="You have unsaved changes">
              Test Server uses the saved settings. Save first to test what is on the page.
            </Alert>
          ) : null}
          {saveError ? <Alert tone="error">{saveError}</Alert> : null}
          <Field
            id="test-recipient"
            label="Send the test email to"
            error={state.phase === 'error' && state.field === 'to' ? state.message : undefined}
          >
            <Input
              id="test-recipient"
              type="email"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              disabled={running}
              autoComplete="email"
              aria-describedby="test-recipient-error"
            />
          </Field>
          {state.phase !== 'idle' ? (
            <StepList
              steps={state.steps}
              running={running}
              order={state.phase === 'done' ? state.result.steps.map((s) => s.name) : steps}
              connectWaitSeconds={connectWaitSeconds}
            />
          ) : null}
          {state.phase === 'done' ? <TestResultView result={state.result} onFix={applyFix} /> : null}
          {state.phase === 'error' && state.field !== 'to' ? (
            <Alert tone="error" title="The test did not run">
              {state.message}
            </Alert>
          ) : null}
          <div className="flex flex-wrap justify-end gap-2 pt-2">
            <Button variant="ghost" onClick={close} disabled={running}>
              {state.phase === 'done' ? 'Close' : 'Cancel'}
            </Button>
            {/* With unsaved changes, saving first is what the admin most likely wants: it is the primary button. */}
            <Button
              type={dirty ? 'button' : 'submit'}
              variant={dirty ? 'secondary' : 'primary'}
              disabled={running}
              onClick={dirty ? () => void start(false) : undefined}
            >
              {running
                ? 'Testing…'
                : state.phase === 'idle'
                  ? dirty
                    ? 'Send test with saved settings'
                    : 'Send test'
                  : 'Test again'}
            </Button>
            {dirty ? (
              <Button type="submit" disabled={running}>
                Save and test
              </Button>
            ) : null}
          </div>
        </form>
      </dialog>,
      document.body,
    )
  );
}
