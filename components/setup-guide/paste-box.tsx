'use client';

import { useState } from 'react';
import { useFormContext } from 'react-hook-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { describedBy, Field, Textarea } from '@/components/ui/field';
import { formPatch, parsePasteBack } from '@/lib/setup-guide/paste-back';
import { SCENARIOS, type ScenarioId } from '@/lib/setup-guide/scenarios';
import type { NotificationsInput } from '@/lib/validation/notifications';

const ID = 'setup-paste';

/** Paste the script's JSON (or Google's client JSON): fills the form below; the admin reviews and saves. */
export function PasteBox({ scenario, redirectUri }: { scenario: ScenarioId; redirectUri: string }) {
  const { setValue, getValues, formState } = useFormContext<NotificationsInput>();
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [filled, setFilled] = useState<{ fields: string[]; warnings: string[] }>();
  const google = SCENARIOS[scenario].provider === 'google';

  const fill = () => {
    setFilled(undefined);
    const paste = parsePasteBack(text, scenario, redirectUri);
    if (!paste.ok) {
      setError(paste.message);
      return;
    }
    setError(undefined);
    const { patch, filled: fields } = formPatch(paste, scenario, {
      cloud: getValues('auth.oauth.cloud'),
      fromAddress: getValues('smtp.fromAddress'),
      graphEndpoint: getValues('transport.graphEndpoint'),
    });
    for (const { path, value } of patch) setValue(path, value as never, { shouldDirty: true });
    setText(''); // the secret does not stay on the page outside its own field
    setFilled({ fields, warnings: paste.kind === 'google' ? paste.warnings : [] });
  };

  return (
    <div className="space-y-2">
      <Field
        id={ID}
        label="Paste the result"
        hint={
          google
            ? 'The client JSON Google lets you download after creating the client ({"web": {…}}).'
            : 'The one line of JSON the script printed last: {"tenantId": …, "clientId": …, "clientSecret": …}.'
        }
        error={error}
      >
        <Textarea
          {...describedBy(ID, error)}
          rows={3}
          spellCheck={false}
          autoComplete="off"
          className="font-mono text-xs"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
        />
      </Field>
      <Button variant="secondary" onClick={fill} disabled={!text.trim()}>
        Fill in the form
      </Button>
      {filled && formState.isDirty ? (
        <Alert tone={filled.warnings.length ? 'warning' : 'success'} title="Filled in — nothing is saved yet">
          <p>{filled.fields.join(', ')}. Check the fields below and click Save; then Connect.</p>
          {filled.warnings.map((w) => (
            <p key={w} className="mt-1">
              {w}
            </p>
          ))}
        </Alert>
      ) : null}
    </div>
  );
}
