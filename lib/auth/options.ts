import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { recordAudit } from '../audit';
import { db } from '../db';
import { getEnv } from '../env';
import { formatRetry, loginFailures } from '../rate-limit';
import { burnPasswordCheck, verifyPassword } from './password';
import { isRole } from './roles';

const credentials = z.object({
  email: z.string().trim().toLowerCase().max(320),
  password: z.string().max(1024),
});

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

function clientIp(headers: Record<string, string | string[] | undefined> | undefined): string {
  const raw = headers?.['x-forwarded-for'];
  const first = (Array.isArray(raw) ? raw[0] : raw)?.split(',')[0]?.trim();
  return first || 'unknown';
}

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
          const { email, password } = parsed.data;
          const ip = clientIp(req?.headers);
          const key = `${email}|${ip}`;

          const limit = await loginFailures.check(key);
          if (!limit.allowed) {
            await recordAudit({ actorEmail: email, action: 'auth.locked_out', ip });
            throw new Error(`Too many failed sign-in attempts. Try again in ${formatRetry(limit.retryAfterSeconds)}.`);
          }

          const user = await db.user.findUnique({
            where: { email },
            select: { id: true, email: true, name: true, role: true, passwordHash: true },
          });
          const ok = user ? await verifyPassword(password, user.passwordHash) : await burnPasswordCheck(password);
          if (!user || !ok || !isRole(user.role)) {
            await loginFailures.fail(key);
            await recordAudit({ actorEmail: email, action: 'auth.sign_in_failed', ip });
            return null;
          }
          await loginFailures.reset(key);
          await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
          await recordAudit({ actor: user, action: 'auth.sign_in', ip });
          return { id: user.id, email: user.email, name: user.name };
        },
      }),
    ],
    callbacks: {
      // Only the id travels in the token; role and name are read from the database on every request.
      jwt: ({ token, user }) => (user ? { ...token, sub: user.id } : token),
      session: ({ session, token }) => ({ ...session, user: { ...session.user, id: token.sub } }),
    },
    events: {
      async signOut({ token }) {
        const id = token?.sub;
        if (!id) return;
        const user = await db.user.findUnique({ where: { id }, select: { id: true, email: true } });
        if (user) await recordAudit({ actor: user, action: 'auth.sign_out' });
      },
    },
  };
}
