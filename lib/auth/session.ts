import 'server-only';
import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { db } from '../db';
import { authOptions } from './options';
import { canChangeSettings, isRole, type CurrentUser } from './roles';

/** The signed-in user as the database knows them now (role changes apply at once). */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
  const user = await db.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, role: true } });
  if (!user || !isRole(user.role)) return null;
  return { ...user, role: user.role };
}

/** For pages and layouts: sends anonymous visitors to the sign-in page. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect('/login');
  return user;
}

export class AccessDenied extends Error {
  override name = 'AccessDenied';
}

export async function requireAdmin(): Promise<CurrentUser> {
  const user = await requireUser();
  if (!canChangeSettings(user)) throw new AccessDenied('This needs the admin role.');
  return user;
}
