'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { checkOAuthToken, connectOAuth, disconnectOAuth } from '@/app/(console)/stores/[storeId]/notifications/oauth-actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { Connection, ConnectionStatus } from '@/lib/oauth/queries';
import { Checkbox } from '@/components/ui/checkbox';
import type { ActionResult } from '@/lib/action';
import { callAction } from '@/lib/call-action';
import { formatUtc } from '@/lib/format';
import { CONNECTION_CARD_ID } from '@/lib/notifications/providers';

const STATUS: Record<ConnectionStatus, { label: string; tone: string }> = {
  not_connected: { label: 'Not connected', tone: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300' },
  connected: { label: 'Connected', tone: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200' },
  needs_reconnect: { label: 'Needs reconnect', tone: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200' },
  error: { label: 'Error', tone: 'bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-200' },
};

const when = (iso: string | null) => (iso ? formatUtc(iso) : '—');

export function ConnectionCard({
  storeId,
  connection,
  dirty,
  disabled,
  outcome,
}: {
  storeId: string;
  connection: Connection;
  dirty: boolean;
  disabled: boolean;
  /** ?oauth=connected|failed after the consent redirect */
  outcome?: string;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [allowAccountChange, setAllowAccountChange] = useState(false);
  const c = connection;
  const status = STATUS[c.status];
  const secretDays = c.clientSecretDaysLeft;
  const rtDays = c.refreshTokenAgeDays;
  const card = useRef<HTMLElement>(null);

  // Back from the provider's sign-in: bring the card and its outcome into view (its section may be
  // folded, and the browser's own jump to the fragment happens before the page is laid out).
  useEffect(() => {
    if (!outcome || !card.current) return;
    for (let d = card.current.closest('details'); d; d = d.parentElement?.closest('details') ?? null) d.open = true;
    card.current.scrollIntoView({ block: 'start' });
    card.current.focus({ preventScroll: true });
  }, [outcome]);

  const run = (fn: () => Promise<ActionResult<{ redirectUrl?: string }>>) =>
    start(async () => {
      setMessage(undefined);
      const res = await callAction(fn);
      if (res.ok && res.data?.redirectUrl) {
        window.location.assign(res.data.redirectUrl);
        return;
      }
      setMessage({ ok: res.ok, text: res.message ?? (res.ok ? 'Done.' : 'Failed.') });
      router.refresh();
    });

  return (
    <section
      ref={card}
      id={CONNECTION_CARD_ID}
      tabIndex={-1}
      aria-label="OAuth connection"
      className="scroll-mt-4 rounded-lg border border-slate-200 p-4 focus:outline-none dark:border-slate-700"
      data-testid="oauth-connection"
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h3 className="font-semibold">Connection</h3>
        <span className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${status.tone}`} data-testid="oauth-status">
          {status.label}
        </span>
      </div>
      {outcome === 'connected' && c.status === 'connected' && c.account ? (
        <div className="mt-3">
          <Alert tone="success">Connected as {c.account}.</Alert>
        </div>
      ) : null}
      {c.status !== 'not_connected' && !c.account && c.grantType !== 'client_credentials' ? (
        <div className="mt-3">
          <Alert tone="warning" title="Connected, but the signed-in account is unknown">
            The provider named no account in the ID token{c.provider === 'generic' ? ' and no userinfo endpoint did' : ''}. Enter
            the mailbox under SMTP login user and save
            {c.provider === 'generic' ? ', or enter the userinfo endpoint, save and reconnect' : ''}.
          </Alert>
        </div>
      ) : null}
      {outcome === 'failed' ? (
        <div className="mt-3">
          <Alert tone="error" title="The sign-in did not complete">
            {c.error || 'See the reason below.'}
          </Alert>
        </div>
      ) : null}
      <dl className="mt-3 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
        <Row label="Account" value={c.account || '—'} testId="oauth-account" />
        <Row label="Scopes" value={c.scopes || '—'} />
        <Row label="Access token expires" value={when(c.accessTokenExpiresAt)} />
        <Row label="Last refresh" value={when(c.lastRefreshAt)} />
        {c.grantType !== 'client_credentials' ? (
          <Row label="Refresh token age" value={rtDays === null ? '—' : `${rtDays} day${rtDays === 1 ? '' : 's'}`} />
        ) : null}
        <Row
          label="Client secret expires"
          value={c.clientSecretExpiresAt ? formatUtc(c.clientSecretExpiresAt, 'day') : 'not recorded'}
        />
      </dl>
      {secretDays !== null && secretDays <= 30 ? (
        <div className="mt-3">
          <Alert tone={secretDays < 0 ? 'error' : 'warning'}>
            {secretDays < 0
              ? 'The client secret has expired.'
              : `The client secret expires in ${secretDays} day${secretDays === 1 ? '' : 's'}.`}{' '}
            Create a new secret in the app registration, paste its Value here and save.
          </Alert>
        </div>
      ) : null}
      {c.errorCode && outcome !== 'failed' ? (
        <div className="mt-3">
          <Alert tone={c.status === 'connected' ? 'warning' : 'error'} title={c.advice?.title ?? 'Last attempt failed'}>
            <p className="font-mono text-xs">
              {c.errorCode}
              {c.error ? `: ${c.error}` : ''}
            </p>
            {c.advice ? <p className="mt-1">{c.advice.detail}</p> : null}
          </Alert>
        </div>
      ) : outcome === 'failed' && c.advice ? (
        <div className="mt-3">
          <Alert tone="info" title={c.advice.title}>
            <p className="font-mono text-xs">{c.errorCode}</p>
            <p className="mt-1">{c.advice.detail}</p>
          </Alert>
        </div>
      ) : null}
      {message ? (
        <div className="mt-3">
          <Alert tone={message.ok ? 'success' : 'error'}>{message.text}</Alert>
        </div>
      ) : null}
      {disabled ? null : (
        <div className="mt-4 space-y-3">
          {dirty ? (
            <p className="text-xs text-amber-700 dark:text-amber-300">
              Save your changes first: Connect uses the saved settings.
            </p>
          ) : null}
          {c.status !== 'not_connected' && c.grantType === 'authorization_code' ? (
            <Checkbox
              id="oauth-allow-account-change"
              label="Allow signing in with a different mailbox"
              checked={allowAccountChange}
              onChange={(e) => setAllowAccountChange(e.currentTarget.checked)}
              hint={c.account ? `Otherwise only ${c.account} may reconnect.` : undefined}
            />
          ) : null}
          <div className="flex flex-wrap gap-2">
            <Button disabled={pending || dirty} onClick={() => run(() => connectOAuth({ storeId, allowAccountChange }))}>
              {c.status === 'not_connected' ? 'Connect' : 'Reconnect'}
            </Button>
            {c.status !== 'not_connected' ? (
              <>
                <Button variant="secondary" disabled={pending || dirty} onClick={() => run(() => checkOAuthToken({ storeId }))}>
                  Check token
                </Button>
                <Button
                  variant="ghost"
                  disabled={pending}
                  onClick={() =>
                    window.confirm('Disconnect and delete the stored tokens?') && run(() => disconnectOAuth({ storeId }))
                  }
                >
                  Disconnect
                </Button>
              </>
            ) : null}
          </div>
        </div>
      )}
    </section>
  );
}

function Row({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="flex gap-2">
      <dt className="w-44 shrink-0 text-slate-500">{label}</dt>
      <dd className="min-w-0 break-words" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
