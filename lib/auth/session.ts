import 'server-only';
import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { db } from '@/lib/db';
import { authOptions } from '@/lib/auth/options';
import { isRole, type CurrentUser } from '@/lib/auth/roles';

/** The signed-in user as the database knows them now (role changes apply at once). */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await getServerSession(authOptions());
  const { id, signedInAt, sid } = (session?.user ?? {}) as { id?: string; signedInAt?: unknown; sid?: unknown };
  // Sessions without an id (issued before sign-out was recorded) cannot be ended, so they are not accepted.
  if (!id || typeof sid !== 'string') return null;
  const found = await db.user.findUnique({
    where: { id },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      passwordChangedAt: true,
      endedSessions: { where: { id: sid }, select: { id: true } },
    },
  });
  if (!found || !isRole(found.role) || found.endedSessions.length) return null;
  const { passwordChangedAt, endedSessions: _ended, ...user } = found;
  // A password change ends every session signed in before it, in every browser.
  if (passwordChangedAt && (typeof signedInAt !== 'number' || signedInAt < passwordChangedAt.getTime())) return null;
  return { ...user, role: found.role };
}

/** For pages and layouts: sends anonymous visitors to the sign-in page. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect('/login');
  return user;
}
