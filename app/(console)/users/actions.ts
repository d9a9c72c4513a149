'use server';

import { revalidatePath } from 'next/cache';
import { action } from '@/lib/action';
import { recordAudit } from '@/lib/audit';
import { UserFacingError } from '@/lib/errors';
import { changeRole, createUser, deleteUser, resetPassword } from '@/lib/users/service';
import { createUserSchema, deleteUserSchema, resetUserPasswordSchema, updateUserRoleSchema } from '@/lib/validation/user';

export const addUser = action('admin', createUserSchema, async (input, { user, ip }) => {
  const created = await createUser(input);
  await recordAudit({ actor: user, action: 'user.create', target: created.email, details: { role: created.role }, ip });
  revalidatePath('/users');
  return { ok: true, message: `Added ${created.email}.` };
});

export const changeUserRole = action('admin', updateUserRoleSchema, async ({ id, role }, { user, ip }) => {
  const target = await changeRole(id, role);
  await recordAudit({ actor: user, action: 'user.update', target: target.email, details: { role }, ip });
  revalidatePath('/users');
  return { ok: true, message: `${target.email} is now ${role === 'admin' ? 'an admin' : 'a viewer'}.` };
});

export const resetUserPassword = action('admin', resetUserPasswordSchema, async ({ id, password }, { user, ip }) => {
  if (id === user.id) throw new UserFacingError('Change your own password on the Account page (it asks for the current one).');
  const target = await resetPassword({ id }, password);
  await recordAudit({ actor: user, action: 'user.password_reset', target: target.email, ip });
  return { ok: true, message: `New password set for ${target.email}; their sessions were signed out.` };
});

export const removeUser = action('admin', deleteUserSchema, async ({ id }, { user, ip }) => {
  if (id === user.id) throw new UserFacingError('You cannot delete your own account.');
  const target = await deleteUser(id);
  await recordAudit({ actor: user, action: 'user.delete', target: target.email, ip });
  revalidatePath('/users');
  return { ok: true, message: `Deleted ${target.email}.` };
});
