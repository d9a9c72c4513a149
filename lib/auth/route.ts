import 'server-only';
import { databaseAnswers } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { DATABASE_DOWN_MESSAGE } from '@/lib/errors';
import { canChangeSettings, type CurrentUser, type Role } from '@/lib/auth/roles';
import { getCurrentUser } from '@/lib/auth/session';

const problem = (status: number, message: string) => Response.json({ error: { message } }, { status });

/**
 * For route handlers: session, role, and for state-changing requests an Origin that is the
 * console's own (APP_URL) — a cross-site form or fetch cannot ride the admin's cookie.
 */
export async function authorizeRoute(req: Request, role: Role): Promise<{ user: CurrentUser } | { response: Response }> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const origin = req.headers.get('origin');
    if (origin && origin !== new URL(getEnv().APP_URL).origin) {
      return { response: problem(403, 'Cross-site request refused: the Origin is not this console (APP_URL).') };
    }
  }
  let user: CurrentUser | null;
  try {
    user = await getCurrentUser();
  } catch (err) {
    if (!(await databaseAnswers())) return { response: problem(503, DATABASE_DOWN_MESSAGE) };
    throw err;
  }
  if (!user) return { response: problem(401, 'Sign in first: this endpoint needs a console session.') };
  if (role === 'admin' && !canChangeSettings(user)) {
    return { response: problem(403, 'Only admins can do this. Your account is read-only (viewer).') };
  }
  return { user };
}

export const clientIp = (req: Request) => req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || 'unknown';
