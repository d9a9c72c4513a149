import type { AuditAction } from '@/lib/audit';

const labels: Record<AuditAction, string> = {
  'auth.sign_in': 'Signed in',
  'auth.sign_in_failed': 'Failed sign-in',
  'auth.sign_out': 'Signed out',
  'auth.locked_out': 'Sign-in blocked (too many failures)',
  'setup.first_admin': 'Created the first admin',
  'user.create': 'Created a user',
  'user.update': 'Changed a user',
  'user.delete': 'Deleted a user',
  'user.password_reset': 'Reset a password',
  'user.password_change': 'Changed their password',
  'store.create': 'Created an identity store',
  'store.rename': 'Renamed an identity store',
  'store.delete': 'Deleted an identity store',
  'notifications.save': 'Saved notification settings',
  'notifications.test': 'Sent a test email',
  'oauth.connect': 'Connected OAuth',
  'oauth.disconnect': 'Disconnected OAuth',
  'oauth.refresh': 'Refreshed OAuth token',
  'apikey.create': 'Created an API key',
  'apikey.revoke': 'Revoked an API key',
  'relay.credential_create': 'Created a relay credential',
  'relay.credential_revoke': 'Revoked a relay credential',
  'relay.access_save': 'Changed unauthenticated relay',
  'relay.test': 'Sent a test through the relay',
  'keys.rotate': 'Re-encrypted secrets with the current key',
  'keys.forget_missing': 'Cleared secrets whose encryption key is lost',
  'backup.create': 'Made a backup',
  'backup.restore': 'Restored from a backup',
};

export const describeAction = (action: string) => labels[action as AuditAction] ?? action;
