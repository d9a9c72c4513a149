'use client';

import dynamic from 'next/dynamic';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import type { TestDialogProps } from '@/components/test-server/test-dialog';

const loadDialog = () => import('@/components/test-server/test-dialog').then((m) => m.TestDialog);
// The dialog's code loads when it is first wanted (pointer over the button, focus, click), not with the page.
const TestDialog = dynamic(loadDialog, { ssr: false });

/** "Test Server": opens the Test Notification dialog, or says why the saved settings cannot be tested yet. */
export function TestServerButton({
  blockedReason,
  ...dialog
}: TestDialogProps & {
  /** Why the saved settings cannot be tested yet (no server, no From address): the button is disabled and says so. */
  blockedReason?: string;
}) {
  // How many times it was opened: the dialog opens itself on each change, and stays mounted to keep its recipient.
  const [opened, setOpened] = useState(0);
  const preload = () => void loadDialog();
  return (
    <>
      <span className="flex flex-wrap items-center justify-end gap-3">
        {blockedReason ? (
          <span id="test-server-blocked" className="text-sm text-amber-700 dark:text-amber-300">
            {blockedReason}
          </span>
        ) : null}
        <Button
          variant="secondary"
          disabled={Boolean(blockedReason)}
          aria-describedby={blockedReason ? 'test-server-blocked' : undefined}
          onPointerEnter={preload}
          onFocus={preload}
          onClick={() => setOpened((n) => n + 1)}
        >
          Test Server
        </Button>
      </span>
      {opened ? <TestDialog {...dialog} opened={opened} /> : null}
    </>
  );
}
