import 'server-only';
import { headers } from 'next/headers';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import { getCurrentUser } from '@/lib/auth/session';
import { canChangeSettings, type CurrentUser, type Role } from '@/lib/auth/roles';
import { databaseAnswers } from '@/lib/db';
import { DATABASE_DOWN_MESSAGE, UserFacingError } from '@/lib/errors';
import { logger } from '@/lib/log';

export type FieldErrors = Record<string, string[] | undefined>;

export type ActionResult<T = undefined> =
  | { ok: true; message?: string; data?: T }
  | { ok: false; message: string; fieldErrors?: FieldErrors };

export type ActionContext = { user: CurrentUser; ip: string };

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_form';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/**
 * Every server action goes through here: session, role, then schema. An action cannot skip
 * a check because the check is not its job.
 */
export function action<S extends z.ZodType, T = undefined>(
  role: Role,
  schema: S,
  run: (input: z.output<S>, ctx: ActionContext) => Promise<ActionResult<T>>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (input) => {
    try {
      const user = await getCurrentUser();
      if (!user) return { ok: false, message: 'Your session has ended. Sign in again.' };
      if (role === 'admin' && !canChangeSettings(user)) {
        return { ok: false, message: 'Only admins can do this. Your account is read-only (viewer).' };
      }
      const parsed = schema.safeParse(input);
      if (!parsed.success) {
        return { ok: false, message: 'Some fields need attention.', fieldErrors: fieldErrorsOf(parsed.error) };
      }
      const h = await headers();
      const ip = h.get('x-forwarded-for')?.split(',')[0]?.trim() || 'unknown';
      return await run(parsed.data, { user, ip });
    } catch (err) {
      unstable_rethrow(err); // redirect() / notFound() are control flow, not failures
      if (err instanceof UserFacingError) {
        return { ok: false, message: err.message, fieldErrors: err.field ? { [err.field]: [err.message] } : undefined };
      }
      logger.error({ err: err instanceof Error ? { name: err.name, message: err.message } : String(err) }, 'action failed');
      if (!(await databaseAnswers())) return { ok: false, message: DATABASE_DOWN_MESSAGE };
      return { ok: false, message: 'Something went wrong on the server; nothing was changed. The error is in the server log.' };
    }
  };
}
