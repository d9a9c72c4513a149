'use server';

import { action } from '@/lib/action';
import { recordAudit } from '@/lib/audit';
import { RateLimitedError } from '@/lib/errors';
import { formatRetry, take } from '@/lib/rate-limit';
import { changeOwnPassword } from '@/lib/users/service';
import { changePasswordSchema } from '@/lib/validation/user';

/** Any signed-in user, for their own account. Ends every session, this one included. */
export const changePassword = action('viewer', changePasswordSchema, async ({ currentPassword, password }, { user, ip }) => {
  const limit = await take('password-change', user.id, 5, 15 * 60);
  if (!limit.allowed) throw new RateLimitedError(`Too many attempts. Try again in ${formatRetry(limit.retryAfterSeconds)}.`);
  await changeOwnPassword(user.id, currentPassword, password);
  await recordAudit({ actor: user, action: 'user.password_change', target: user.email, ip });
  return { ok: true, message: 'Password changed. Sign in again with the new password.' };
});
