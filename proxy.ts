import { NextResponse, type NextRequest } from 'next/server';

/**
 * Convenience only: sends visitors without a session cookie to the sign-in page.
 * The real checks are in the console layout, every server action and every route handler.
 */
const PUBLIC = [/^\/login$/, /^\/setup$/, /^\/api\//, /^\/_next\//, /^\/favicon\.ico$/];

// Read directly: lib/env would generate local secrets, which is start-up's job, not a request's.
const HTTPS = (process.env.APP_URL ?? '').startsWith('https:');

/** HSTS only when the console is served over https (APP_URL); over http it would be ignored or harmful. */
function withHsts(res: NextResponse): NextResponse {
  if (HTTPS) res.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  return res;
}

export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  if (PUBLIC.some((p) => p.test(pathname))) return withHsts(NextResponse.next());
  const hasSession = req.cookies.getAll().some((c) => c.name.endsWith('next-auth.session-token'));
  if (hasSession) return withHsts(NextResponse.next());
  const url = req.nextUrl.clone();
  url.pathname = '/login';
  url.search = pathname === '/' ? '' : `?callbackUrl=${encodeURIComponent(pathname + search)}`;
  return withHsts(NextResponse.redirect(url));
}

export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
