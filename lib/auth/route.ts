import 'server-only';
import { getEnv } from '@/lib/env';
import { ForbiddenError, UnauthorizedError } from '@/lib/errors';
import { ADMIN_ONLY_MESSAGE, hasRole, type CurrentUser, type Role } from '@/lib/auth/roles';
import { getCurrentUser } from '@/lib/auth/session';

/**
 * For route handlers: session, role, and for state-changing requests an Origin that is the
 * console's own (APP_URL) — a cross-site form or fetch cannot ride the admin's cookie. Throws the
 * error the route's handleAndReturnErrorResponse turns into 401 / 403 (503 when the database is down).
 */
export async function authorizeRoute(req: Request, role: Role): Promise<CurrentUser> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const origin = req.headers.get('origin');
    if (origin && origin !== new URL(getEnv().APP_URL).origin) {
      throw new ForbiddenError('Cross-site request refused: the Origin is not this console (APP_URL).');
    }
  }
  const user = await getCurrentUser();
  if (!user) throw new UnauthorizedError('Sign in first: this endpoint needs a console session.');
  if (!hasRole(user, role)) throw new ForbiddenError(ADMIN_ONLY_MESSAGE);
  return user;
}
