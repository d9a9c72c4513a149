'use client';

import { useCallback, useEffect, useState, useTransition } from 'react';
import { checkSetupAction } from '@/app/(console)/stores/[storeId]/notifications/setup-actions';
import { callAction } from '@/lib/call-action';
import type { SetupFacts } from '@/lib/setup-guide/checklist';

/**
 * The checklist's facts from the server: checked when the guide opens, again whenever the saved
 * settings or the connection change (`savedKey`), and on demand. Not while the form has unsaved changes.
 */
export function useSetupCheck(storeId: string, savedKey: string, active: boolean) {
  const [result, setResult] = useState<{ facts?: SetupFacts; error?: string }>({});
  const [pending, start] = useTransition();
  const check = useCallback(
    () =>
      start(async () => {
        const res = await callAction(() => checkSetupAction({ storeId }));
        setResult(res.ok ? { facts: res.data } : { error: res.message });
      }),
    // savedKey: a new save or connection makes a new check function, which the effect runs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [storeId, savedKey],
  );
  useEffect(() => {
    if (active) check();
  }, [active, check]);
  return { ...result, pending, check };
}
