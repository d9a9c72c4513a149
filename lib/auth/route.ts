import 'server-only';
import { ForbiddenError, UnauthorizedError } from '@/lib/errors';
import { crossSiteRefusal } from '@/lib/http/same-origin';
import { ADMIN_ONLY_MESSAGE, hasRole, type CurrentUser, type Role } from '@/lib/auth/roles';
import { getCurrentUser } from '@/lib/auth/session';

/**
 * For route handlers: session, role, and for state-changing requests proof that the request comes
 * from the console itself (lib/http/same-origin.ts) — a cross-site form or fetch cannot ride the
 * admin's cookie. Throws the error the route's handleAndReturnErrorResponse turns into 401 / 403
 * (503 when the database is down).
 */
export async function authorizeRoute(req: Request, role: Role): Promise<CurrentUser> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const refusal = crossSiteRefusal(req.headers);
    if (refusal) throw new ForbiddenError(refusal);
  }
  const user = await getCurrentUser();
  if (!user) throw new UnauthorizedError('Sign in first: this endpoint needs a console session.');
  if (!hasRole(user, role)) throw new ForbiddenError(ADMIN_ONLY_MESSAGE);
  return user;
}
