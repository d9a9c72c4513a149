import 'server-only';
import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { db } from '@/lib/db';
import { authOptions } from '@/lib/auth/options';
import { isRole, type CurrentUser } from '@/lib/auth/roles';

/** The signed-in user as the database knows them now (role changes apply at once). */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await getServerSession(authOptions());
  const { id, signedInAt } = (session?.user ?? {}) as { id?: string; signedInAt?: unknown };
  if (!id) return null;
  const found = await db.user.findUnique({
    where: { id },
    select: { id: true, email: true, name: true, role: true, passwordChangedAt: true },
  });
  if (!found || !isRole(found.role)) return null;
  const { passwordChangedAt, ...user } = found;
  // A password change ends every session signed in before it (JWTs cannot be revoked one by one).
  if (passwordChangedAt && (typeof signedInAt !== 'number' || signedInAt < passwordChangedAt.getTime())) return null;
  return { ...user, role: found.role };
}

/** For pages and layouts: sends anonymous visitors to the sign-in page. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect('/login');
  return user;
}
