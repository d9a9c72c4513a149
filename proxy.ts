import { NextResponse, type NextRequest } from 'next/server';

/**
 * Convenience only: sends visitors without a session cookie to the sign-in page.
 * The real checks are in the console layout, every server action and every route handler.
 */
const PUBLIC = [/^\/login$/, /^\/setup$/, /^\/api\//, /^\/_next\//, /^\/favicon\.ico$/];

export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  if (PUBLIC.some((p) => p.test(pathname))) return NextResponse.next();
  const hasSession = req.cookies.getAll().some((c) => c.name.endsWith('next-auth.session-token'));
  if (hasSession) return NextResponse.next();
  const url = req.nextUrl.clone();
  url.pathname = '/login';
  url.search = pathname === '/' ? '' : `?callbackUrl=${encodeURIComponent(pathname + search)}`;
  return NextResponse.redirect(url);
}

export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
