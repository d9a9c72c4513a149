'use server';

import { headers } from 'next/headers';
import { fieldErrorsOf, type ActionResult } from '@/lib/action';
import { recordAudit } from '@/lib/audit';
import { UserFacingError } from '@/lib/errors';
import { createUser } from '@/lib/users/service';
import { setupSchema, type SetupInput } from '@/lib/validation/user';

/** The one action without a session: it only works while no account exists at all. */
export async function createFirstAdmin(input: SetupInput): Promise<ActionResult> {
  const parsed = setupSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: 'Some fields need attention.', fieldErrors: fieldErrorsOf(parsed.error) };
  const { email, name, password } = parsed.data;
  try {
    const user = await createUser({ email, name, password, role: 'admin' }, { onlyIfNoUsers: true });
    const ip = (await headers()).get('x-forwarded-for')?.split(',')[0]?.trim() ?? '';
    await recordAudit({ actor: user, action: 'setup.first_admin', target: user.email, ip });
    return { ok: true };
  } catch (err) {
    if (err instanceof UserFacingError) return { ok: false, message: err.message };
    throw err;
  }
}
