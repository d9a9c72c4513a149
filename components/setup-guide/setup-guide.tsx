'use client';

import dynamic from 'next/dynamic';
import { useSyncExternalStore } from 'react';
import { useWatch } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import type { NotificationsInput } from '@/lib/validation/notifications';
import type { GuidePanelProps } from '@/components/setup-guide/guide-panel';
import { scenarioOf } from '@/lib/setup-guide/scenarios';

// Loaded when opened: the guide, its scripts and checklist stay out of the page's first JavaScript.
const GuidePanel = dynamic(() => import('@/components/setup-guide/guide-panel').then((m) => m.GuidePanel), {
  ssr: false,
  loading: () => <p className="text-sm text-slate-500">Loading the guided setup…</p>,
});

const OPEN_EVENT = 'mailroom:setup-guide';
const keyOf = (storeId: string) => `mailroom.setup-guide.${storeId}`;
const subscribe = (onChange: () => void) => {
  window.addEventListener(OPEN_EVENT, onChange);
  return () => window.removeEventListener(OPEN_EVENT, onChange);
};

/** Open or closed per store for this browser tab, so it stays open across Connect's round trip to the provider. */
function useOpen(storeId: string): [boolean, (open: boolean) => void] {
  const open = useSyncExternalStore(
    subscribe,
    () => sessionStorage.getItem(keyOf(storeId)) === 'open',
    () => false,
  );
  const set = (next: boolean) => {
    if (next) sessionStorage.setItem(keyOf(storeId), 'open');
    else sessionStorage.removeItem(keyOf(storeId));
    window.dispatchEvent(new Event(OPEN_EVENT));
  };
  return [open, set];
}

/** The guided setup's place in the OAuth section: a heading and a button until the admin opens it. */
export function SetupGuide({
  saved,
  ...props
}: Omit<GuidePanelProps, 'savedScenario'> & {
  /** The saved settings, whose scenario the guide checks. */
  saved: NotificationsInput;
}) {
  const provider = useWatch<NotificationsInput, 'auth.oauth.provider'>({ name: 'auth.oauth.provider' });
  const [open, setOpen] = useOpen(props.storeId);
  if (provider === 'generic') return null;
  const name = provider === 'google' ? 'Google Cloud' : 'Microsoft Entra ID';
  return (
    <section
      aria-label="Guided setup"
      className="space-y-4 rounded-lg border border-indigo-200 bg-indigo-50/40 p-4 dark:border-indigo-900 dark:bg-indigo-950/30"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h3 className="font-semibold">Guided setup</h3>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Register Mailroom in {name} step by step{provider === 'microsoft' ? ' or with a script' : ''}, paste the result back,
            and check each step once saved.
          </p>
        </div>
        <Button variant="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide guided setup' : 'Open guided setup'}
        </Button>
      </div>
      {open ? <GuidePanel {...props} savedScenario={scenarioOf(saved)} /> : null}
    </section>
  );
}
