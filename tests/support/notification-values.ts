import type { NotificationsInput } from '@/lib/validation/notifications';
import { KEEP } from '@/lib/validation/primitives';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

function merge<T>(base: T, patch: DeepPartial<T> | undefined): T {
  if (!patch) return base;
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    const b = (base as Record<string, unknown>)[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' ? merge(b, v as never) : v;
  }
  return out as T;
}

/** A complete, valid Notifications page (Basic auth to a STARTTLS server), with overrides. */
export function notificationsInput(patch?: DeepPartial<NotificationsInput>): NotificationsInput {
  const base: NotificationsInput = {
    version: 0,
    transport: { kind: 'smtp', graphEndpoint: 'https://graph.microsoft.com/v1.0', graphSender: '' },
    smtp: {
      preset: 'custom',
      host: 'smtp.example.com',
      port: 587,
      securityMode: 'starttls',
      allowSelfSigned: false,
      ehloName: '',
      fromAddress: 'helpdesk@example.com',
      fromName: 'IT Helpdesk',
      connectTimeoutSeconds: 10,
      greetingTimeoutSeconds: 10,
      socketTimeoutSeconds: 20,
    },
    auth: {
      useAuth: true,
      authType: 'basic',
      smtpUsername: 'helpdesk@example.com',
      smtpPassword: KEEP,
      oauth: {
        provider: 'microsoft',
        cloud: 'global',
        tenantId: '',
        clientId: '',
        credentialType: 'secret',
        clientSecret: KEEP,
        clientSecretExpiresAt: '',
        certificateThumbprint: '',
        certificateKey: KEEP,
        authorizationEndpoint: '',
        tokenEndpoint: '',
        issuer: '',
        userinfoEndpoint: '',
        scope: '',
        grantType: 'authorization_code',
        loginUser: '',
        username: '',
        password: KEEP,
      },
    },
    recipients: {
      to: 'it-team@example.com',
      cc: '',
      alsoNotify: {
        actor: false,
        modifiedObject: false,
        groupOwners: true,
        managers: false,
        addedMembers: false,
        removedMembers: false,
        publicGroupOwners: false,
      },
    },
    passwordExpiry: { portalUrl: '' },
    membership: { onJoin: true, onLeave: false, beforeLeave: false, beforeLeaveDays: 2 },
    managedBy: { sameAsMembership: true, onAdded: false, onRemoved: false, beforeRemoval: false, beforeRemovalDays: 2 },
  };
  return merge(base, patch);
}

export const MS_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const MS_CLIENT = '11111111-2222-3333-4444-555555555555';
