'use client';

import { useState, useTransition } from 'react';
import { useFormContext } from 'react-hook-form';
import { discoverOAuthEndpoints } from '@/app/(console)/stores/[storeId]/notifications/oauth-actions';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import type { Discovered } from '@/lib/oauth/discovery';
import type { NotificationsInput } from '@/lib/validation/notifications';
import { useField } from '@/components/notifications/use-field';
import { callAction } from '@/lib/call-action';

const PATH = 'auth.oauth.issuer';
const SHOWN_SCOPES = 12;

/** Generic OAuth: the issuer URL and a button that fills the endpoints from its discovery document. */
export function IssuerDiscovery({ disabled }: { disabled: boolean }) {
  const { setValue, getValues, setError, clearErrors, setFocus } = useFormContext<NotificationsInput>();
  const { id, error, control, register, initial } = useField(PATH);
  const [found, setFound] = useState<Discovered | null>(null);
  const [pending, startTransition] = useTransition();

  const discover = () =>
    startTransition(async () => {
      setFound(null);
      clearErrors(PATH);
      const res = await callAction(() => discoverOAuthEndpoints({ issuer: getValues(PATH) }));
      if (!res.ok || !res.data) {
        setError(PATH, { message: res.ok ? 'The server sent no endpoints.' : (res.fieldErrors?.issuer?.[0] ?? res.message) });
        setFocus(PATH);
        return;
      }
      const d = res.data;
      const dirty = { shouldDirty: true, shouldValidate: true } as const;
      setValue(PATH, d.issuer, dirty);
      setValue('auth.oauth.tokenEndpoint', d.tokenEndpoint, dirty);
      if (d.authorizationEndpoint) setValue('auth.oauth.authorizationEndpoint', d.authorizationEndpoint, dirty);
      setValue('auth.oauth.userinfoEndpoint', d.userinfoEndpoint, dirty);
      setFound(d);
    });

  const hint =
    'Optional. The OpenID Connect issuer; “Discover endpoints” fills in the endpoints, and ID tokens must then name exactly this issuer.';
  return (
    <div className="md:col-span-2">
      <Field id={id} label="Issuer (OpenID Connect discovery)" hint={hint} error={error}>
        <div className="flex gap-2">
          <Input
            defaultValue={initial as string | undefined}
            type="url"
            placeholder="https://id.example.com/realms/helpdesk"
            autoComplete="off"
            spellCheck={false}
            disabled={disabled}
            {...control}
            {...register(PATH, { onChange: () => setFound(null) })}
          />
          <Button variant="secondary" onClick={discover} disabled={disabled || pending} className="shrink-0">
            {pending ? 'Discovering…' : 'Discover endpoints'}
          </Button>
        </div>
      </Field>
      {found ? (
        <div
          role="status"
          data-testid="issuer-discovered"
          className="mt-2 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-xs text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
        >
          <p className="font-medium">Endpoints filled in from {found.issuer}. Save to keep them.</p>
          {found.scopes.length ? (
            <p className="mt-1">
              Scopes offered: {found.scopes.slice(0, SHOWN_SCOPES).join(' ')}
              {found.scopes.length > SHOWN_SCOPES ? ` and ${found.scopes.length - SHOWN_SCOPES} more` : ''}
            </p>
          ) : null}
          {found.warnings.map((w) => (
            <p key={w} className="mt-1 font-medium text-amber-800 dark:text-amber-300">
              {w}
            </p>
          ))}
        </div>
      ) : null}
    </div>
  );
}
