import { hashPassword, verifyPassword } from '@/lib/auth/password';
import type { Role } from '@/lib/auth/roles';
import { db } from '@/lib/db';
import { ConflictError, UserFacingError } from '@/lib/errors';

type NewUser = { email: string; name: string; password: string; role: Role };

/** Creates an account; used by /setup, the Users page and the admin CLI. */
export async function createUser(input: NewUser, opts: { onlyIfNoUsers?: boolean } = {}) {
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    if (opts.onlyIfNoUsers && (await tx.user.count()) > 0) {
      throw new ConflictError('Mailroom is already set up. Sign in with an existing account.');
    }
    if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
      throw new UserFacingError('An account with this email address already exists.', 'email');
    }
    return tx.user.create({
      data: { email: input.email, name: input.name, role: input.role, passwordHash },
      select: { id: true, email: true, name: true, role: true },
    });
  });
}

/** By an admin (Users page) or the CLI: a new password, and every session of that user ends. */
export async function resetPassword(by: { email: string } | { id: string }, password: string) {
  const user = await db.user.findUnique({ where: by, select: { id: true, email: true } });
  if (!user)
    throw new UserFacingError(
      'email' in by ? `No account with the email address ${by.email}.` : 'This account no longer exists.',
      'email' in by ? 'email' : undefined,
    );
  await db.user.update({
    where: { id: user.id },
    data: { passwordHash: await hashPassword(password), passwordChangedAt: new Date() },
  });
  return user;
}

/** The signed-in user's own change: the current password first; every existing session ends. */
export async function changeOwnPassword(userId: string, current: string, next: string) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true, email: true } });
  if (!user) throw new UserFacingError('Your account no longer exists.');
  if (!(await verifyPassword(current, user.passwordHash)))
    throw new UserFacingError('The current password is not correct.', 'currentPassword');
  if (current === next) throw new UserFacingError('Choose a password different from the current one.', 'password');
  await db.user.update({
    where: { id: userId },
    data: { passwordHash: await hashPassword(next), passwordChangedAt: new Date() },
  });
  return { email: user.email };
}

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

/** Refuses to leave the console without an admin. */
async function assertAnotherAdminRemains(tx: Tx, userId: string) {
  const others = await tx.user.count({ where: { role: 'admin', id: { not: userId } } });
  if (others === 0) throw new UserFacingError('Mailroom needs at least one admin; promote someone else first.');
}

/** Users page: admin ↔ viewer; the last admin cannot step down. */
export async function changeRole(id: string, role: Role) {
  return db.$transaction(async (tx) => {
    if (role !== 'admin') await assertAnotherAdminRemains(tx, id);
    return tx.user.update({ where: { id }, data: { role }, select: { email: true } });
  });
}

/** Users page: deletes an account (its audit entries keep the email); the last admin cannot be deleted. */
export async function deleteUser(id: string) {
  return db.$transaction(async (tx) => {
    await assertAnotherAdminRemains(tx, id);
    return tx.user.delete({ where: { id }, select: { email: true } });
  });
}

export const hasAnyUser = async () => (await db.user.count()) > 0;

/**
 * Sign-out ends the session on the server (docs/security.md#sign-out): its id is kept until the
 * JWT would have expired, so the cookie is refused even if someone copied it. Expired rows go here too.
 */
export async function endSession(sessionId: string, userId: string, expiresAt: Date) {
  await db.$transaction([
    db.endedSession.deleteMany({ where: { expiresAt: { lt: new Date() } } }),
    db.endedSession.upsert({ where: { id: sessionId }, create: { id: sessionId, userId, expiresAt }, update: {} }),
  ]);
}
