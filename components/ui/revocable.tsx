'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Cell } from '@/components/ui/table';
import type { ActionResult } from '@/lib/action';
import { callAction } from '@/lib/call-action';
import { formatUtc } from '@/lib/format';

export const when = (d: Date | null) => (d ? formatUtc(d) : '—');

/** Revoking a key or credential from a table: confirm, run the action, show its message, refresh. */
export function useRevoke() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const revoke = (confirmText: string, run: () => Promise<ActionResult>) => {
    if (!window.confirm(confirmText)) return;
    start(async () => {
      const res = await callAction(run);
      setMessage({ ok: res.ok, text: res.message ?? (res.ok ? 'Revoked.' : 'Failed.') });
      router.refresh();
    });
  };
  const notice = message ? <Alert tone={message.ok ? 'success' : 'error'}>{message.text}</Alert> : null;
  return { pending, revoke, notice };
}

/** "Active", or when it was revoked; then the Revoke button for admins. */
export function RevocableCells({
  revokedAt,
  name,
  canEdit,
  pending,
  onRevoke,
}: {
  revokedAt: Date | null;
  name: string;
  canEdit: boolean;
  pending: boolean;
  onRevoke: () => void;
}) {
  return (
    <>
      <Cell className="whitespace-nowrap">
        {revokedAt ? (
          `Revoked ${when(revokedAt)}`
        ) : (
          <span className="font-medium text-emerald-700 dark:text-emerald-400">Active</span>
        )}
      </Cell>
      <Cell className="text-right">
        {canEdit && !revokedAt ? (
          <Button variant="ghost" disabled={pending} onClick={onRevoke} aria-label={`Revoke ${name}`}>
            Revoke
          </Button>
        ) : null}
      </Cell>
    </>
  );
}
