'use server';

import { publicAction } from '@/lib/action';
import { recordAudit } from '@/lib/audit';
import { createUser } from '@/lib/users/service';
import { setupSchema } from '@/lib/validation/user';

/** The one action without a session: createUser refuses it once any account exists. */
export const createFirstAdmin = publicAction(setupSchema, async ({ email, name, password }, { ip }) => {
  const user = await createUser({ email, name, password, role: 'admin' }, { onlyIfNoUsers: true });
  await recordAudit({ actor: user, action: 'setup.first_admin', target: user.email, ip });
  return { ok: true };
});
