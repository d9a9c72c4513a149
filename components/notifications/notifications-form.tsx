'use client';

import dynamic from 'next/dynamic';
import { useEffect, useMemo, useState } from 'react';
import { FormProvider, get, useWatch, type FieldPath } from 'react-hook-form';
import { saveNotifications } from '@/app/(console)/stores/[storeId]/notifications/actions';
import { useActionForm } from '@/components/forms/use-action-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { RequiredMark } from '@/components/ui/field';
import { stepOrder } from '@/lib/mail/types';
import type { NotificationSettings } from '@/lib/notifications/queries';
import {
  COLUMN_FORM_PATHS,
  COLUMN_LABELS,
  PROFILE_SECRETS,
  PROFILE_SECRET_NAMES,
  type ProfileSecret,
} from '@/lib/notifications/secrets';
import type { NotificationsInput } from '@/lib/validation/notifications';
import { useRouter } from 'next/navigation';
import type { Connection } from '@/lib/oauth/queries';
import { AuthSection } from '@/components/notifications/auth-section';
import { ManagedBySection, MembershipSection, PasswordExpirySection } from '@/components/notifications/lifecycle-sections';
import { RecipientsSection } from '@/components/notifications/recipients-section';
import { SmtpSection } from '@/components/notifications/smtp-section';
import { TestServerButton } from '@/components/test-server/test-server-button';
import { useUnsavedWarning } from '@/components/notifications/use-unsaved-warning';
import { formatUtc } from '@/lib/format';

// Parts not on screen when the page opens, loaded when they first render: the OAuth connection and
// guided setup (OAuth 2.0 only), what saving would do (once the form is edited). Each waits for its
// code on its own (`loading`): without that, the first keystroke would hide the whole form, and the
// field being typed in, until the code of what saving would do had arrived.
const ConnectionCard = dynamic(() => import('@/components/notifications/connection-card').then((m) => m.ConnectionCard), {
  loading: () => null,
});
const SetupGuide = dynamic(() => import('@/components/setup-guide/setup-guide').then((m) => m.SetupGuide), {
  loading: () => null,
});
const SaveConsequences = dynamic(() => import('@/components/notifications/save-consequences').then((m) => m.SaveConsequences), {
  loading: () => null,
});

type Result = { tone: 'success' | 'error' | 'warning'; message: string; notices?: string[] };

export function NotificationsForm({
  settings: initial,
  canEdit,
  userEmail,
  connection,
  oauthOutcome,
}: {
  settings: NotificationSettings;
  canEdit: boolean;
  userEmail: string;
  connection: Connection;
  oauthOutcome?: string;
}) {
  const router = useRouter();
  const [settings, setSettings] = useState(initial);
  const [result, setResult] = useState<Result>();
  const { form, outcome, setOutcome, send } = useActionForm({
    schema: () => import('@/lib/validation/notifications').then((m) => m.notificationsSchema),
    defaultValues: settings.values,
    action: (values) => saveNotifications({ storeId: settings.store.id, values }),
    fieldPrefix: 'values.',
    options: { shouldFocusError: true, mode: 'onSubmit', reValidateMode: 'onChange' },
    onSuccess: (res, _values, f) => {
      if (!res.data) return;
      setSettings(res.data.settings);
      f.reset(res.data.settings.values);
      setResult({
        tone: res.data.notices.length ? 'warning' : 'success',
        message: res.message ?? 'Saved.',
        notices: res.data.notices,
      });
      router.refresh();
    },
  });
  const { formState, handleSubmit, reset } = form;
  const dirty = formState.isDirty;
  useUnsavedWarning(dirty && canEdit);
  useEffect(() => {
    // After the browser's own scroll to the focused field, which counts the bar's area as visible.
    const onFocus = (e: FocusEvent) => {
      const el = e.target;
      if (el instanceof Element) requestAnimationFrame(() => keepAboveSaveBar(el));
    };
    document.addEventListener('focusin', onFocus);
    // The focus that brought the form to life came before this listener: it gets the same care.
    const first = document.activeElement;
    if (first instanceof HTMLElement && first.closest('form')) requestAnimationFrame(() => keepAboveSaveBar(first));
    return () => document.removeEventListener('focusin', onFocus);
  }, []);

  const watched = useWatch({ control: form.control });
  const pendingClear = useMemo(() => {
    const out: Partial<Record<ProfileSecret, string>> = {};
    for (const s of PROFILE_SECRET_NAMES) {
      const moved = PROFILE_SECRETS[s].boundTo.filter(
        (c) => String(get(watched, COLUMN_FORM_PATHS[c])) !== String(get(settings.values, COLUMN_FORM_PATHS[c])),
      );
      if (moved.length) {
        out[s] =
          `Saving will clear the stored ${PROFILE_SECRETS[s].label} because the ${moved.map((c) => COLUMN_LABELS[c]).join(', ')} changed. Enter it again (Replace) to keep using it.`;
      }
    }
    return out;
  }, [watched, settings.values]);

  const save: typeof send = async (values) => {
    setResult(undefined);
    const saved = await send(values);
    if (!saved) focusFirstInvalid();
    return saved;
  };
  // A refused save shows the action's message; a save or an invalid form shows its own result.
  // "Saved" no longer describes the page once it is edited again.
  const current = dirty && result?.tone !== 'error' ? undefined : result;
  const shown: Result | undefined = current ?? (outcome && !outcome.ok ? { tone: 'error', message: outcome.message } : undefined);
  const onInvalid = (errors: object) => {
    const count = countErrors(errors);
    setResult({
      tone: 'error',
      message: `Nothing was saved: ${count === 1 ? 'one field needs' : `${count} fields need`} attention.`,
    });
    focusFirstInvalid();
  };
  const onSubmit = handleSubmit(async (values) => void (await save(values)), onInvalid);
  const saveFirst = () =>
    new Promise<boolean>(
      (resolve) =>
        void handleSubmit(
          async (values) => resolve(await save(values)),
          (errors) => {
            onInvalid(errors);
            resolve(false);
          },
        )(),
    );

  return (
    <FormProvider {...form}>
      <form method="post" onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Notifications settings">
        {!canEdit ? <Alert tone="info">You have read-only access (viewer). Ask an admin to change these settings.</Alert> : null}
        {canEdit ? (
          <p className="text-xs text-slate-500 dark:text-slate-400">
            Fields marked <RequiredMark /> are required.
          </p>
        ) : null}
        <SmtpSection
          disabled={!canEdit}
          testButton={
            canEdit ? (
              <TestServerButton
                storeId={settings.store.id}
                transport={settings.values.transport.kind}
                steps={savedStepOrder(settings.values)}
                defaultRecipient={userEmail}
                dirty={dirty}
                saveFirst={saveFirst}
                blockedReason={testBlockedBy(settings.values)}
                connectWaitSeconds={
                  settings.values.transport.kind === 'smtp'
                    ? settings.values.smtp.connectTimeoutSeconds + settings.values.smtp.greetingTimeoutSeconds
                    : undefined
                }
                applyFix={({ set }) => {
                  const opts = { shouldDirty: true, shouldValidate: true } as const;
                  if (set.securityMode) form.setValue('smtp.securityMode', set.securityMode, opts);
                  if (set.port !== undefined) form.setValue('smtp.port', set.port, opts);
                }}
                showFieldError={(field, message) => {
                  form.setError(field as FieldPath<NotificationsInput>, { type: 'server', message });
                  focusFirstInvalid();
                }}
              />
            ) : undefined
          }
        />
        <AuthSection
          disabled={!canEdit}
          redirectUri={settings.redirectUri}
          secrets={settings.secrets}
          pendingClear={pendingClear}
          connectionCard={
            <ConnectionCard
              storeId={settings.store.id}
              connection={connection}
              dirty={dirty}
              disabled={!canEdit}
              outcome={oauthOutcome}
            />
          }
          setupGuide={
            canEdit ? (
              <SetupGuide
                storeId={settings.store.id}
                storeName={settings.store.name}
                redirectUri={settings.redirectUri}
                savedKey={`${settings.values.version}|${connection.status}|${connection.connectedAt}|${connection.lastRefreshAt}|${connection.errorCode}`}
                saved={settings.values}
                dirty={dirty}
              />
            ) : undefined
          }
        />
        <RecipientsSection disabled={!canEdit} />
        <PasswordExpirySection disabled={!canEdit} />
        <MembershipSection disabled={!canEdit} />
        <ManagedBySection disabled={!canEdit} />

        <div
          data-sticky-save
          className="sticky bottom-0 z-10 -mx-1 space-y-3 rounded-lg border border-slate-200 bg-white/95 p-4 shadow-lg backdrop-blur dark:border-slate-800 dark:bg-slate-900/95"
        >
          {shown ? (
            <Alert tone={shown.tone} title={shown.message}>
              {shown.notices?.length ? (
                <ul className="list-disc pl-5">
                  {shown.notices.map((n) => (
                    <li key={n}>{n}</li>
                  ))}
                </ul>
              ) : null}
            </Alert>
          ) : null}
          {canEdit && dirty ? (
            <SaveConsequences
              saved={settings.values}
              secrets={settings.secrets}
              oauthConnected={connection.status !== 'not_connected'}
            />
          ) : null}
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p className="text-xs text-slate-500">
              {dirty
                ? 'You have unsaved changes.'
                : settings.values.version === 0
                  ? 'Not saved yet: these are the defaults of a new store.'
                  : `Last saved ${formatUtc(settings.updatedAt)}${settings.updatedBy ? ` by ${settings.updatedBy}` : ''}.`}
            </p>
            {canEdit ? (
              <div className="flex gap-2">
                <Button
                  variant="secondary"
                  disabled={!dirty || formState.isSubmitting}
                  onClick={() => {
                    reset();
                    setResult(undefined);
                    setOutcome(undefined);
                  }}
                >
                  Discard changes
                </Button>
                <Button type="submit" disabled={!dirty || formState.isSubmitting}>
                  {formState.isSubmitting ? 'Saving…' : 'Save'}
                </Button>
              </div>
            ) : null}
          </div>
        </div>
      </form>
    </FormProvider>
  );
}

/** Test Server sends through the saved settings: without a server and a From address there is nothing to test. */
function testBlockedBy(v: NotificationsInput): string | undefined {
  const missing = [
    v.transport.kind === 'smtp' && !v.smtp.host && 'an SMTP server',
    v.transport.kind === 'graph' && !v.transport.graphSender && 'a sender mailbox',
    !v.smtp.fromAddress && 'a From email address',
  ].filter((m): m is string => typeof m === 'string');
  return missing.length ? `Save ${missing.join(' and ')} first: Test Server uses the saved settings.` : undefined;
}

/** The steps Test Server will report for the saved settings. */
const savedStepOrder = (v: NotificationsInput) => stepOrder(v.transport.kind, v.auth.useAuth ? v.auth.authType : 'none');

/**
 * A field focused while partly under the sticky save bar (Tab, focus on error) is scrolled clear
 * of it: the browser counts it as visible, and neither it nor scroll-padding moves it.
 */
function keepAboveSaveBar(el: Element) {
  const bar = document.querySelector('[data-sticky-save]');
  if (!bar || bar.contains(el)) return;
  const overlap = el.getBoundingClientRect().bottom - bar.getBoundingClientRect().top;
  if (overlap > 0) window.scrollBy({ top: overlap + 16 });
}

/**
 * Sections are collapsible: open every one around the first invalid field, then focus it. The
 * error that marks it may render a moment later than this is called (an error set after an await
 * is rendered by React's scheduler, not at once), so it looks again for a short while.
 */
function focusFirstInvalid(triesLeft = 25) {
  setTimeout(
    () => {
      const el = document.querySelector<HTMLElement>('form[aria-label="Notifications settings"] [aria-invalid="true"]');
      if (!el) {
        if (triesLeft > 0) focusFirstInvalid(triesLeft - 1);
        return;
      }
      for (let d = el.closest('details'); d; d = d.parentElement?.closest('details') ?? null) d.open = true;
      el.focus();
    },
    triesLeft === 25 ? 0 : 20,
  );
}

function countErrors(errors: object): number {
  return Object.values(errors).reduce<number>((n, e) => {
    if (!e || typeof e !== 'object') return n;
    return n + ('message' in e && typeof (e as { message?: unknown }).message === 'string' ? 1 : countErrors(e));
  }, 0);
}
