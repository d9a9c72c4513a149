'use client';

import { useState, type KeyboardEvent } from 'react';
import { useWatch } from 'react-hook-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { describedBy, Field, Input, Select } from '@/components/ui/field';
import { toAsciiEmail } from '@/lib/mail/address';
import { evaluate } from '@/lib/setup-guide/checklist';
import { isScriptSafe } from '@/lib/setup-guide/quote';
import { MICROSOFT_SCENARIOS, SCENARIOS, scenarioOf, type GuideInputs, type ScenarioId } from '@/lib/setup-guide/scenarios';
import { stepsFor } from '@/lib/setup-guide/steps';
import type { NotificationsInput } from '@/lib/validation/notifications';
import { PasteBox } from '@/components/setup-guide/paste-box';
import { ScriptView } from '@/components/setup-guide/script-view';
import { StepList } from '@/components/setup-guide/step-list';
import { useSetupCheck } from '@/components/setup-guide/use-setup-check';

export type GuidePanelProps = {
  storeId: string;
  storeName: string;
  redirectUri: string;
  /** Changes whenever the saved settings or the connection change, so the checklist checks again. */
  savedKey: string;
  /** The scenario the saved settings describe. */
  savedScenario: ScenarioId | null;
  dirty: boolean;
};

const MONTHS = [3, 6, 12, 24];
// These inputs sit inside the settings form: Enter must not save it.
const noSubmit = (e: KeyboardEvent) => e.key === 'Enter' && e.preventDefault();

const WATCHED = [
  'auth.oauth.provider',
  'transport.kind',
  'auth.oauth.grantType',
  'auth.oauth.cloud',
  'auth.oauth.tenantId',
  'auth.oauth.clientId',
  'auth.oauth.loginUser',
  'transport.graphSender',
  'smtp.fromAddress',
] as const;

export function GuidePanel({ storeId, storeName, redirectUri, savedKey, savedScenario, dirty }: GuidePanelProps) {
  const [provider, transport, grant, cloud, tenant, clientId, loginUser, graphSender, fromAddress] = useWatch<
    NotificationsInput,
    typeof WATCHED
  >({ name: WATCHED });
  const formScenario = scenarioOf({
    transport: { kind: transport },
    auth: { useAuth: true, authType: 'oauth2', oauth: { provider, grantType: grant } },
  });
  const choices: readonly ScenarioId[] = provider === 'google' ? ['google'] : MICROSOFT_SCENARIOS;
  const [picked, setPicked] = useState<ScenarioId>();
  const scenario = [picked, formScenario].find((s): s is ScenarioId => !!s && choices.includes(s)) ?? choices[0];
  const s = SCENARIOS[scenario];

  const [appName, setAppName] = useState(`Mailroom – ${storeName}`.slice(0, 120));
  const [typedSender, setSender] = useState<string>();
  const sender = typedSender ?? (loginUser || graphSender || fromAddress || '');
  const [months, setMonths] = useState(6);
  const [today] = useState(() => new Date());

  const nameError = !appName.trim()
    ? 'Enter a name for the app registration.'
    : !isScriptSafe(appName)
      ? 'Line breaks and control characters are not allowed here.'
      : appName.length > 120
        ? 'At most 120 characters.'
        : undefined;
  const senderError = !sender.trim()
    ? 'Enter the mailbox Mailroom sends as.'
    : !isScriptSafe(sender) || !toAsciiEmail(sender)
      ? `"${sender}" is not a valid email address.`
      : undefined;
  const inputs: GuideInputs | null =
    nameError || senderError
      ? null
      : {
          scenario,
          cloud,
          tenant,
          clientId,
          appName: appName.trim(),
          sender: sender.trim(),
          redirectUri,
          secretMonths: months,
          today,
        };

  const { facts, error, pending, check } = useSetupCheck(storeId, savedKey, !dirty && savedScenario !== null);
  const steps = inputs ? stepsFor(inputs) : [];
  const statuses = facts && inputs && !dirty ? evaluate(steps, scenario, facts, inputs.sender) : null;

  return (
    <div className="space-y-5">
      {choices.length > 1 ? (
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">What should Mailroom use?</legend>
          <div className="grid gap-2 md:grid-cols-2">
            {choices.map((id) => (
              <label
                key={id}
                className={`flex cursor-pointer gap-2 rounded-md border p-3 text-sm ${id === scenario ? 'border-indigo-600 bg-white dark:bg-slate-900' : 'border-slate-200 dark:border-slate-700'}`}
              >
                <input
                  type="radio"
                  name="setup-scenario"
                  checked={id === scenario}
                  onChange={() => setPicked(id)}
                  className="mt-1"
                />
                <span>
                  <span className="block font-medium">{SCENARIOS[id].label}</span>
                  <span className="block text-slate-600 dark:text-slate-400">{SCENARIOS[id].summary}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">{s.summary}</p>
      )}
      {savedScenario && savedScenario !== scenario ? (
        <Alert tone="info">
          The saved settings are for “{SCENARIOS[savedScenario].label}”. Pasting the result below switches the form to this setup.
        </Alert>
      ) : null}

      <div className="grid gap-4 md:grid-cols-3">
        <Field id="setup-app-name" label="Application name" error={nameError}>
          <Input
            {...describedBy('setup-app-name', nameError)}
            value={appName}
            onKeyDown={noSubmit}
            onChange={(e) => setAppName(e.currentTarget.value)}
          />
        </Field>
        <Field
          id="setup-sender"
          label={s.grant === 'client_credentials' ? 'Sender mailbox' : 'Mailbox that signs in'}
          error={senderError}
        >
          <Input
            {...describedBy('setup-sender', senderError)}
            type="email"
            value={sender}
            onKeyDown={noSubmit}
            onChange={(e) => setSender(e.currentTarget.value)}
          />
        </Field>
        {s.provider === 'microsoft' ? (
          <Field id="setup-secret-months" label="Client secret valid for">
            <Select id="setup-secret-months" value={months} onChange={(e) => setMonths(Number(e.currentTarget.value))}>
              {MONTHS.map((m) => (
                <option key={m} value={m}>
                  {m} months
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
      </div>

      {inputs ? <StepList steps={steps} statuses={statuses} /> : null}
      {inputs && s.provider === 'microsoft' ? (
        <details className="rounded-md border border-slate-200 bg-white p-3 dark:border-slate-700 dark:bg-slate-900">
          <summary className="cursor-pointer text-sm font-medium">Do steps 1–{steps.length - 3} with a script</summary>
          <div className="mt-3">
            <ScriptView inputs={inputs} />
          </div>
        </details>
      ) : null}
      <PasteBox scenario={scenario} redirectUri={redirectUri} />

      <div className="flex flex-wrap items-center gap-3 text-sm">
        <Button variant="secondary" onClick={check} disabled={pending || dirty || !savedScenario}>
          {pending ? 'Checking…' : 'Check again'}
        </Button>
        <span className="text-slate-500" role="status">
          {dirty
            ? 'Save your changes to check the steps.'
            : !savedScenario
              ? 'Save OAuth settings to check the steps.'
              : error
                ? error
                : facts
                  ? `Checked ${facts.now.slice(11, 16)} UTC.`
                  : ''}
        </span>
      </div>
    </div>
  );
}
