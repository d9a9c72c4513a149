import 'server-only';
import { headers } from 'next/headers';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import { getCurrentUser } from '@/lib/auth/session';
import { ADMIN_ONLY_MESSAGE, hasRole, type CurrentUser, type Role } from '@/lib/auth/roles';
import { databaseAnswers } from '@/lib/db';
import { DATABASE_DOWN_MESSAGE, UserFacingError } from '@/lib/errors';
import { clientAddress } from '@/lib/http/client-address';
import { crossSiteRefusal } from '@/lib/http/same-origin';
import { logError } from '@/lib/log';

export type FieldErrors = Record<string, string[] | undefined>;

export type ActionResult<T = undefined> =
  { ok: true; message?: string; data?: T } | { ok: false; message: string; fieldErrors?: FieldErrors };

type ActionContext = { user: CurrentUser; ip: string };
type PublicActionContext = { ip: string };

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_form';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/**
 * Every server action goes through here: origin, session, role, then schema. An action cannot skip
 * a check because the check is not its job.
 */
export function action<S extends z.ZodType, T = undefined>(
  role: Role,
  schema: S,
  run: (input: z.output<S>, ctx: ActionContext) => Promise<ActionResult<T>>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return (input) =>
    guarded(async () => {
      const refused = await fromAnotherSite();
      if (refused) return refused;
      const user = await getCurrentUser();
      if (!user) return { ok: false, message: 'Your session has ended. Sign in again.' };
      if (!hasRole(user, role)) return { ok: false, message: ADMIN_ONLY_MESSAGE };
      return validated(schema, input, async (values, ip) => run(values, { user, ip }));
    });
}

/** The same without a session, for the one action that runs before any account exists (first-run setup). */
export function publicAction<S extends z.ZodType, T = undefined>(
  schema: S,
  run: (input: z.output<S>, ctx: PublicActionContext) => Promise<ActionResult<T>>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return (input) =>
    guarded(async () => (await fromAnotherSite()) ?? validated(schema, input, async (values, ip) => run(values, { ip })));
}

/**
 * Next.js refuses an action whose Origin names another host, but lets one without any Origin
 * through; here both must show the request came from the console (docs/security.md#cross-site-requests).
 */
async function fromAnotherSite(): Promise<ActionResult<never> | undefined> {
  const refusal = crossSiteRefusal(await headers());
  return refusal ? { ok: false, message: refusal } : undefined;
}

async function validated<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  run: (values: z.output<S>, ip: string) => Promise<ActionResult<T>>,
): Promise<ActionResult<T>> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { ok: false, message: 'Some fields need attention.', fieldErrors: fieldErrorsOf(parsed.error) };
  return run(parsed.data, clientAddress(await headers()));
}

/** A UserFacingError becomes the result's message (and field error); anything else is logged and explained. */
async function guarded<T>(body: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    return await body();
  } catch (err) {
    unstable_rethrow(err); // redirect() / notFound() are control flow, not failures
    if (err instanceof UserFacingError) {
      return { ok: false, message: err.message, fieldErrors: err.field ? { [err.field]: [err.message] } : undefined };
    }
    logError('action failed', err);
    if (!(await databaseAnswers())) return { ok: false, message: DATABASE_DOWN_MESSAGE };
    return { ok: false, message: 'Something went wrong on the server; nothing was changed. The error is in the server log.' };
  }
}
