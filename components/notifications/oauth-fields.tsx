'use client';

import { useFormContext, useWatch } from 'react-hook-form';
import { Alert } from '@/components/ui/alert';
import {
  CLOUD_INFO,
  CLOUDS,
  GRANT_TYPES,
  OAUTH_PROVIDERS,
  TRANSPORTS,
  GRANT_LABELS,
  OAUTH_PROVIDER_LABELS,
  oauthDefaults,
  PROVIDER_GRANTS,
  type Cloud,
  type GrantType,
  type OAuthProvider,
} from '@/lib/notifications/providers';
import type { SecretStatus } from '@/lib/notifications/secrets';
import type { NotificationsInput } from '@/lib/validation/notifications';
import { CopyField } from '@/components/notifications/copy-field';
import { IssuerDiscovery } from '@/components/notifications/issuer-discovery';
import { optionsOf, SelectField, TextField } from '@/components/notifications/inputs';
import { SecretInput } from '@/components/notifications/secret-input';

/** Scopes Mailroom itself filled in; a scope the admin typed is never overwritten. */
const DEFAULT_SCOPES = new Set(
  OAUTH_PROVIDERS.flatMap((p) =>
    CLOUDS.flatMap((c) => GRANT_TYPES.flatMap((g) => TRANSPORTS.map((t) => oauthDefaults(p, c, '', g, t).scope))),
  ),
);

const cloudOptions = (Object.keys(CLOUD_INFO) as Cloud[]).map((c) => ({ value: c, label: CLOUD_INFO[c].label }));

export function OAuthFields({
  disabled,
  redirectUri,
  secrets,
  pendingClear,
  connectionCard,
  setupGuide,
}: {
  disabled: boolean;
  connectionCard?: React.ReactNode;
  /** The guided setup (provider side), placed right after the redirect URI. */
  setupGuide?: React.ReactNode;
  redirectUri: string;
  secrets: { clientSecret: SecretStatus; certificateKey: SecretStatus; oauthPassword: SecretStatus };
  pendingClear: { clientSecret?: string; certificateKey?: string; oauthPassword?: string };
}) {
  const { setValue, getValues } = useFormContext<NotificationsInput>();
  const [provider, grant, credentialType] = useWatch<
    NotificationsInput,
    ['auth.oauth.provider', 'auth.oauth.grantType', 'auth.oauth.credentialType']
  >({
    name: ['auth.oauth.provider', 'auth.oauth.grantType', 'auth.oauth.credentialType'],
  });
  const dirty = { shouldDirty: true } as const;

  /** Provider, cloud and tenant decide the endpoints: rewrite them (and the scope when it was a default). */
  const applyDefaults = (changes: { provider?: OAuthProvider; cloud?: Cloud; tenant?: string; grant?: GrantType }) => {
    // RHF has already stored the new value when this runs, so `o` holds it.
    const o = getValues('auth.oauth');
    const p = changes.provider ?? o.provider;
    const g = PROVIDER_GRANTS[p].includes(changes.grant ?? o.grantType) ? (changes.grant ?? o.grantType) : 'authorization_code';
    const next = oauthDefaults(p, changes.cloud ?? o.cloud, changes.tenant ?? o.tenantId, g, getValues('transport.kind'));
    if (g !== o.grantType) setValue('auth.oauth.grantType', g, dirty);
    if (p !== 'generic' || changes.provider) {
      // A generic provider starts empty: the previous provider's endpoints would only mislead.
      setValue('auth.oauth.authorizationEndpoint', next.authorizationEndpoint, dirty);
      setValue('auth.oauth.tokenEndpoint', next.tokenEndpoint, dirty);
    }
    if (!o.scope || DEFAULT_SCOPES.has(o.scope) || changes.provider) setValue('auth.oauth.scope', next.scope, dirty);
    if (p !== 'microsoft' && o.credentialType !== 'secret') setValue('auth.oauth.credentialType', 'secret', dirty);
    if (changes.cloud && getValues('transport.kind') === 'graph')
      setValue('transport.graphEndpoint', CLOUD_INFO[changes.cloud].graph, dirty);
  };

  const grants = PROVIDER_GRANTS[provider];
  const grantOptions = grants.map((g) => ({ value: g, label: GRANT_LABELS[g] }));

  return (
    <div className="space-y-5">
      <div className="grid gap-5 md:grid-cols-2">
        <SelectField
          path="auth.oauth.provider"
          label="Provider"
          disabled={disabled}
          options={optionsOf(OAUTH_PROVIDER_LABELS)}
          onValueChange={(v) => applyDefaults({ provider: v as OAuthProvider })}
        />
        <SelectField
          path="auth.oauth.grantType"
          label="Grant type"
          disabled={disabled}
          options={grantOptions}
          onValueChange={(v) => applyDefaults({ grant: v as GrantType })}
        />
      </div>

      {/* The provider side first: the app registration asks for the redirect URI before anything else. */}
      {grant === 'authorization_code' ? (
        <CopyField
          id="oauth-redirect-uri"
          label="Redirect URI"
          value={redirectUri}
          hint={
            provider === 'microsoft'
              ? 'Add it in the app registration under Authentication → Web → Redirect URIs, exactly as shown.'
              : 'Register it with your OAuth client exactly as shown.'
          }
        />
      ) : null}
      {setupGuide}

      <div className="grid gap-5 md:grid-cols-2">
        {provider === 'microsoft' ? (
          <>
            <SelectField
              path="auth.oauth.cloud"
              label="Cloud"
              disabled={disabled}
              options={cloudOptions}
              onValueChange={(v) => applyDefaults({ cloud: v as Cloud })}
            />
            <TextField
              path="auth.oauth.tenantId"
              label="Tenant (directory) ID"
              required
              disabled={disabled}
              hint="Directory (tenant) ID GUID, a domain like contoso.onmicrosoft.com, or “organizations”."
              onValueChange={(t) => applyDefaults({ tenant: t })}
            />
          </>
        ) : null}
        <TextField
          path="auth.oauth.clientId"
          label="Client ID"
          required
          hint={
            provider === 'microsoft'
              ? 'Application (client) ID from the app registration’s Overview page.'
              : 'The OAuth client ID.'
          }
          disabled={disabled}
        />
        {provider === 'microsoft' ? (
          <SelectField
            path="auth.oauth.credentialType"
            label="Client credential"
            disabled={disabled}
            options={[
              { value: 'secret', label: 'Client secret' },
              { value: 'certificate', label: 'Certificate (private key + thumbprint)' },
            ]}
          />
        ) : null}
      </div>

      {credentialType === 'certificate' && provider === 'microsoft' ? (
        <div className="grid gap-5 md:grid-cols-2">
          <TextField
            path="auth.oauth.certificateThumbprint"
            label="Certificate thumbprint"
            hint="SHA-1 (40 hex) or SHA-256 (64 hex) thumbprint shown in Certificates & secrets."
            disabled={disabled}
          />
          <SecretInput
            path="auth.oauth.certificateKey"
            label="Certificate private key (PEM)"
            status={secrets.certificateKey}
            multiline
            disabled={disabled}
            pendingClear={pendingClear.certificateKey}
          />
          <TextField
            path="auth.oauth.clientSecretExpiresAt"
            label="Certificate expires on"
            type="date"
            hint="Optional. Alerts warn 30, 7 and 1 day before."
            disabled={disabled}
          />
        </div>
      ) : (
        <div className="grid gap-5 md:grid-cols-2">
          <SecretInput
            path="auth.oauth.clientSecret"
            label="Client Secret"
            status={secrets.clientSecret}
            disabled={disabled}
            pendingClear={pendingClear.clientSecret}
            hint={provider === 'microsoft' ? 'The secret’s Value (shown once when created), not its Secret ID.' : undefined}
          />
          <TextField
            path="auth.oauth.clientSecretExpiresAt"
            label="Client secret expires on"
            type="date"
            hint="Optional. Mailroom warns from 30 days before."
            disabled={disabled}
          />
        </div>
      )}

      <div className="grid gap-5 md:grid-cols-2">
        {provider === 'generic' ? <IssuerDiscovery disabled={disabled} /> : null}
        {grant === 'authorization_code' ? (
          <TextField
            path="auth.oauth.authorizationEndpoint"
            label="Authorization endpoint"
            required
            disabled={disabled || provider !== 'generic'}
            hint={provider === 'generic' ? 'https://… from your provider.' : 'Follows the provider, cloud and tenant.'}
          />
        ) : null}
        <TextField
          path="auth.oauth.tokenEndpoint"
          label="Token Endpoint"
          required
          disabled={disabled}
          onValueChange={(v) => {
            if (getValues('auth.oauth.provider') === 'microsoft' && /\/oauth2\/v2\.0\/token$/.test(v)) {
              setValue('auth.oauth.authorizationEndpoint', v.replace(/\/token$/, '/authorize'), dirty);
            }
          }}
          hint={
            provider === 'microsoft'
              ? 'Follows the tenant; e.g. https://login.microsoftonline.com/organizations/oauth2/v2.0/token.'
              : undefined
          }
        />
        {provider === 'generic' ? (
          <TextField
            path="auth.oauth.userinfoEndpoint"
            label="Userinfo endpoint"
            disabled={disabled}
            hint="Optional. Asked for the signed-in account when the ID token does not name it (OpenID Connect)."
          />
        ) : null}
        <TextField
          path="auth.oauth.scope"
          label="Scope"
          required
          disabled={disabled}
          hint={
            grant === 'client_credentials'
              ? 'App-only: https://outlook.office365.com/.default.'
              : provider === 'google'
                ? 'Google SMTP needs https://mail.google.com/.'
                : 'Delegated: https://outlook.office.com/SMTP.Send offline_access.'
          }
        />
        <TextField
          path="auth.oauth.loginUser"
          label="SMTP login user"
          required={grant === 'client_credentials'}
          type="email"
          disabled={disabled}
          hint={
            grant === 'client_credentials'
              ? 'The mailbox the app sends as.'
              : 'The mailbox that signs in; filled in from the account after Connect.'
          }
        />
      </div>

      {grant === 'password' ? (
        <>
          <Alert tone="warning" title="Legacy grant">
            Username + password sign-in fails for accounts with multi-factor authentication, federated accounts and personal
            accounts, and Microsoft is retiring it. Prefer the authorization code grant.
          </Alert>
          <div className="grid gap-5 md:grid-cols-2">
            <TextField
              path="auth.oauth.username"
              label="Username"
              required
              hint="The account’s user principal name (UPN)."
              disabled={disabled}
            />
            <SecretInput
              path="auth.oauth.password"
              label="Password"
              status={secrets.oauthPassword}
              disabled={disabled}
              pendingClear={pendingClear.oauthPassword}
            />
          </div>
        </>
      ) : null}

      {connectionCard}
    </div>
  );
}
