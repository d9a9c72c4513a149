import { db } from '@/lib/db';
import { NotFoundError, UserFacingError } from '@/lib/errors';
import { oauthDefaults } from '@/lib/notifications/providers';

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === 'P2002';

/** A store and its (empty) Notifications profile, created together. */
export async function createStore(input: { name: string; type: string }, actorEmail: string) {
  if (await db.identityStore.findUnique({ where: { name: input.name }, select: { id: true } })) {
    throw new UserFacingError(`An identity store named "${input.name}" already exists.`, 'name');
  }
  try {
    return await db.identityStore.create({
      data: {
        name: input.name,
        type: input.type,
        // The OAuth tile starts filled with Microsoft's delegated defaults (docs/architecture.md#notifications-page).
        profile: { create: { ...oauthDefaults('microsoft', 'global', '', 'authorization_code'), updatedBy: actorEmail } },
      },
      select: { id: true, name: true, type: true },
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new UserFacingError(`An identity store named "${input.name}" already exists.`, 'name');
    throw err;
  }
}

export async function renameStore(id: string, name: string) {
  const store = await db.identityStore.findUnique({ where: { id }, select: { name: true } });
  if (!store) throw new NotFoundError('This identity store no longer exists.');
  const clash = await db.identityStore.findFirst({ where: { name, id: { not: id } }, select: { id: true } });
  if (clash) throw new UserFacingError(`An identity store named "${name}" already exists.`, 'name');
  await db.identityStore.update({ where: { id }, data: { name } });
  return { from: store.name, to: name };
}

/** Deleting a store deletes its profile and with it every stored secret and token (cascade). */
export async function deleteStore(id: string, confirmName: string) {
  const store = await db.identityStore.findUnique({ where: { id }, select: { name: true } });
  if (!store) throw new NotFoundError('This identity store no longer exists.');
  if (confirmName.trim() !== store.name) {
    throw new UserFacingError(`Type the store's name, "${store.name}", to confirm.`, 'confirmName');
  }
  await db.identityStore.delete({ where: { id } });
  return store;
}
