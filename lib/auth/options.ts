import { randomBytes } from 'node:crypto';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { recordAudit } from '@/lib/audit';
import { databaseAnswers, db } from '@/lib/db';
import { UserFacingError } from '@/lib/errors';
import { clientAddress } from '@/lib/http/client-address';
import { logError } from '@/lib/log';
import { getEnv } from '@/lib/env';
import { accountLoginFailures, formatRetry, loginFailures } from '@/lib/rate-limit';
import { burnPasswordCheck, verifyPassword } from '@/lib/auth/password';
import { sameOriginPath } from '@/lib/auth/redirect';
import { isRole } from '@/lib/auth/roles';
import { endSession } from '@/lib/users/service';

const credentials = z.object({
  email: z.string().trim().toLowerCase().max(320),
  password: z.string().max(1024),
});

const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export function authOptions(): NextAuthOptions {
  return {
    secret: getEnv().NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/login' },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: { email: { type: 'email' }, password: { type: 'password' } },
        async authorize(raw, req) {
          const parsed = credentials.safeParse(raw);
          if (!parsed.success) return null;
          try {
            return await checkCredentials(parsed.data, clientAddress(req?.headers));
          } catch (err) {
            // next-auth shows the message on the sign-in page: never a driver's own text.
            if (err instanceof UserFacingError) throw err;
            logError('sign-in failed', err);
            throw new Error(
              (await databaseAnswers())
                ? 'Signing in failed because of a server error; the error is in the server log.'
                : DATABASE_DOWN_SIGN_IN,
            );
          }
        },
      }),
    ],
    callbacks: {
      // next-auth's default passes any URL that starts with "/": resolve it against APP_URL instead.
      redirect: ({ url }) => new URL(sameOriginPath(url, getEnv().APP_URL), getEnv().APP_URL).href,
      // Only the user id, the sign-in time and a session id travel in the token; role and name are read from the database on every request.
      jwt: ({ token, user }) =>
        user ? { ...token, sub: user.id, signedInAt: Date.now(), sid: randomBytes(18).toString('base64url') } : token,
      session: ({ session, token }) => ({
        ...session,
        user: { ...session.user, id: token.sub, signedInAt: token.signedInAt, sid: token.sid },
      }),
    },
    events: {
      async signOut({ token }) {
        const id = token?.sub;
        if (!id) return;
        const user = await db.user.findUnique({ where: { id }, select: { id: true, email: true } });
        if (!user) return;
        if (typeof token.sid === 'string') {
          const expires = typeof token.exp === 'number' ? token.exp * 1000 : Date.now() + SESSION_MAX_AGE_SECONDS * 1000;
          await endSession(token.sid, user.id, new Date(expires));
        }
        await recordAudit({ actor: user, action: 'auth.sign_out' });
      },
    },
  };
}

const DATABASE_DOWN_SIGN_IN =
  'The database is not answering, so nobody can sign in right now. Try again once it is back (/api/health shows its state).';

async function checkCredentials({ email, password }: z.output<typeof credentials>, ip: string) {
  const key = `${email}|${ip}`;
  // Per account and address, and per account from any address (docs/security.md#rate-limits).
  const limits = await Promise.all([loginFailures.check(key), accountLoginFailures.check(email)]);
  const waits = limits.flatMap((l) => (l.allowed ? [] : [l.retryAfterSeconds]));
  if (waits.length) {
    await recordAudit({ actorEmail: email, action: 'auth.locked_out', ip });
    throw new UserFacingError(`Too many failed sign-in attempts. Try again in ${formatRetry(Math.max(...waits))}.`);
  }

  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, role: true, passwordHash: true },
  });
  const ok = user ? await verifyPassword(password, user.passwordHash) : await burnPasswordCheck(password);
  if (!user || !ok || !isRole(user.role)) {
    await Promise.all([loginFailures.fail(key), accountLoginFailures.fail(email)]);
    await recordAudit({ actorEmail: email, action: 'auth.sign_in_failed', ip });
    return null;
  }
  await Promise.all([loginFailures.reset(key), accountLoginFailures.reset(email)]);
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await recordAudit({ actor: user, action: 'auth.sign_in', ip });
  return { id: user.id, email: user.email, name: user.name };
}
