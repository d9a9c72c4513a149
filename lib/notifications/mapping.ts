// Both generated clients share the models; the SQLite one's types stand for both (lib/db.ts).
import type { NotificationProfile } from '@/lib/generated/sqlite/client';
import type { NotificationsInput, NotificationsValues } from '@/lib/validation/notifications';
import { KEEP } from '@/lib/validation/primitives';
import { formatUtc } from '@/lib/format';

/** Columns of NotificationProfile that the form edits (secrets excluded: they have their own path). */
export const PROFILE_COLUMNS = [
  'transport',
  'graphEndpoint',
  'graphSender',
  'preset',
  'host',
  'port',
  'securityMode',
  'allowSelfSigned',
  'ehloName',
  'fromAddress',
  'fromName',
  'connectTimeoutSeconds',
  'greetingTimeoutSeconds',
  'socketTimeoutSeconds',
  'useAuth',
  'authType',
  'smtpUsername',
  'oauthProvider',
  'oauthCloud',
  'tenantId',
  'clientId',
  'credentialType',
  'clientSecretExpiresAt',
  'certificateThumbprint',
  'authorizationEndpoint',
  'tokenEndpoint',
  'oauthIssuer',
  'oauthUserinfoEndpoint',
  'scope',
  'grantType',
  'oauthLoginUser',
  'oauthUsername',
  'toAddresses',
  'ccAddresses',
  'notifyActor',
  'notifyModifiedObject',
  'notifyGroupOwners',
  'notifyManagers',
  'notifyAddedMembers',
  'notifyRemovedMembers',
  'notifyPublicGroupOwners',
  'passwordExpiryPortalUrl',
  'membershipOnJoin',
  'membershipOnLeave',
  'membershipBeforeLeave',
  'membershipBeforeLeaveDays',
  'managedBySameAsMembership',
  'managedByOnAdded',
  'managedByOnRemoved',
  'managedByBeforeRemoval',
  'managedByBeforeRemovalDays',
] as const satisfies readonly (keyof NotificationProfile)[];

export type ProfileColumns = Pick<NotificationProfile, (typeof PROFILE_COLUMNS)[number]>;

export function toColumns(v: NotificationsValues): ProfileColumns {
  const { smtp, auth, recipients: r, membership: m, managedBy: mb } = v;
  const o = auth.oauth;
  return {
    transport: v.transport.kind,
    graphEndpoint: v.transport.graphEndpoint,
    graphSender: v.transport.graphSender,
    preset: smtp.preset,
    host: smtp.host,
    port: smtp.port,
    securityMode: smtp.securityMode,
    allowSelfSigned: smtp.allowSelfSigned,
    ehloName: smtp.ehloName,
    fromAddress: smtp.fromAddress,
    fromName: smtp.fromName,
    connectTimeoutSeconds: smtp.connectTimeoutSeconds,
    greetingTimeoutSeconds: smtp.greetingTimeoutSeconds,
    socketTimeoutSeconds: smtp.socketTimeoutSeconds,
    useAuth: auth.useAuth,
    authType: auth.authType,
    smtpUsername: auth.smtpUsername,
    oauthProvider: o.provider,
    oauthCloud: o.cloud,
    tenantId: o.tenantId,
    clientId: o.clientId,
    credentialType: o.credentialType,
    clientSecretExpiresAt: o.clientSecretExpiresAt ? new Date(`${o.clientSecretExpiresAt}T00:00:00Z`) : null,
    certificateThumbprint: o.certificateThumbprint.toUpperCase(),
    authorizationEndpoint: authorizeEndpointOf(o),
    tokenEndpoint: o.tokenEndpoint,
    oauthIssuer: o.provider === 'generic' ? o.issuer : '',
    oauthUserinfoEndpoint: o.provider === 'generic' ? o.userinfoEndpoint : '',
    scope: o.scope.replace(/\s+/g, ' '),
    grantType: o.grantType,
    oauthLoginUser: o.loginUser,
    oauthUsername: o.username,
    toAddresses: r.to,
    ccAddresses: r.cc,
    notifyActor: r.alsoNotify.actor,
    notifyModifiedObject: r.alsoNotify.modifiedObject,
    notifyGroupOwners: r.alsoNotify.groupOwners,
    notifyManagers: r.alsoNotify.managers,
    notifyAddedMembers: r.alsoNotify.addedMembers,
    notifyRemovedMembers: r.alsoNotify.removedMembers,
    notifyPublicGroupOwners: r.alsoNotify.publicGroupOwners,
    passwordExpiryPortalUrl: v.passwordExpiry.portalUrl,
    membershipOnJoin: m.onJoin,
    membershipOnLeave: m.onLeave,
    membershipBeforeLeave: m.beforeLeave,
    membershipBeforeLeaveDays: m.beforeLeaveDays,
    managedBySameAsMembership: mb.sameAsMembership,
    managedByOnAdded: mb.onAdded,
    managedByOnRemoved: mb.onRemoved,
    managedByBeforeRemoval: mb.beforeRemoval,
    managedByBeforeRemovalDays: mb.beforeRemovalDays,
  };
}

/** Microsoft's authority is the token endpoint's: the authorize endpoint always sits beside it. */
function authorizeEndpointOf(o: NotificationsValues['auth']['oauth']): string {
  const msToken = /\/oauth2\/v2\.0\/token$/;
  return o.provider === 'microsoft' && msToken.test(o.tokenEndpoint)
    ? o.tokenEndpoint.replace(msToken, '/oauth2/v2.0/authorize')
    : o.authorizationEndpoint;
}

type Narrow<T extends string> = (v: string) => T;
const as =
  <T extends string>(): Narrow<T> =>
  (v) =>
    v as T;

/** Form values for a stored row; secrets always start as "keep". */
export function toFormValues(c: ProfileColumns & { version: number }): NotificationsInput {
  type I = NotificationsInput;
  return {
    version: c.version,
    transport: { kind: as<I['transport']['kind']>()(c.transport), graphEndpoint: c.graphEndpoint, graphSender: c.graphSender },
    smtp: {
      preset: as<I['smtp']['preset']>()(c.preset),
      host: c.host,
      port: c.port,
      securityMode: as<I['smtp']['securityMode']>()(c.securityMode),
      allowSelfSigned: c.allowSelfSigned,
      ehloName: c.ehloName,
      fromAddress: c.fromAddress,
      fromName: c.fromName,
      connectTimeoutSeconds: c.connectTimeoutSeconds,
      greetingTimeoutSeconds: c.greetingTimeoutSeconds,
      socketTimeoutSeconds: c.socketTimeoutSeconds,
    },
    auth: {
      useAuth: c.useAuth,
      authType: as<I['auth']['authType']>()(c.authType),
      smtpUsername: c.smtpUsername,
      smtpPassword: KEEP,
      oauth: {
        provider: as<I['auth']['oauth']['provider']>()(c.oauthProvider),
        cloud: as<I['auth']['oauth']['cloud']>()(c.oauthCloud),
        tenantId: c.tenantId,
        clientId: c.clientId,
        credentialType: as<I['auth']['oauth']['credentialType']>()(c.credentialType),
        clientSecret: KEEP,
        clientSecretExpiresAt: c.clientSecretExpiresAt ? formatUtc(c.clientSecretExpiresAt, 'day') : '',
        certificateThumbprint: c.certificateThumbprint,
        certificateKey: KEEP,
        authorizationEndpoint: c.authorizationEndpoint,
        tokenEndpoint: c.tokenEndpoint,
        issuer: c.oauthIssuer,
        userinfoEndpoint: c.oauthUserinfoEndpoint,
        scope: c.scope,
        grantType: as<I['auth']['oauth']['grantType']>()(c.grantType),
        loginUser: c.oauthLoginUser,
        username: c.oauthUsername,
        password: KEEP,
      },
    },
    recipients: {
      to: c.toAddresses,
      cc: c.ccAddresses,
      alsoNotify: {
        actor: c.notifyActor,
        modifiedObject: c.notifyModifiedObject,
        groupOwners: c.notifyGroupOwners,
        managers: c.notifyManagers,
        addedMembers: c.notifyAddedMembers,
        removedMembers: c.notifyRemovedMembers,
        publicGroupOwners: c.notifyPublicGroupOwners,
      },
    },
    passwordExpiry: { portalUrl: c.passwordExpiryPortalUrl },
    membership: {
      onJoin: c.membershipOnJoin,
      onLeave: c.membershipOnLeave,
      beforeLeave: c.membershipBeforeLeave,
      beforeLeaveDays: c.membershipBeforeLeaveDays,
    },
    managedBy: {
      sameAsMembership: c.managedBySameAsMembership,
      onAdded: c.managedByOnAdded,
      onRemoved: c.managedByOnRemoved,
      beforeRemoval: c.managedByBeforeRemoval,
      beforeRemovalDays: c.managedByBeforeRemovalDays,
    },
  };
}

export function changedColumns(before: ProfileColumns, after: ProfileColumns): (keyof ProfileColumns)[] {
  const same = (a: unknown, b: unknown) =>
    a instanceof Date || b instanceof Date ? String(a && (a as Date).getTime()) === String(b && (b as Date).getTime()) : a === b;
  return PROFILE_COLUMNS.filter((k) => !same(before[k], after[k]));
}
