import { NextResponse, type NextRequest } from 'next/server';

/**
 * Sets the Content-Security-Policy with a fresh script nonce per request (Next.js puts it on its
 * own scripts: every page is rendered per request), and, as a convenience only, sends visitors
 * without a session cookie to the sign-in page. The real checks are in the console layout, every
 * server action and every route handler.
 */
// public/: the icons and the logo are shown on the sign-in page too.
const PUBLIC = [/^\/login$/, /^\/setup$/, /^\/api\//, /^\/_next\//, /^\/(favicon\.ico|logo\.svg|icon-192\.png)$/];

// Read directly: lib/env would generate local secrets, which is start-up's job, not a request's.
const HTTPS = (process.env.APP_URL ?? '').startsWith('https:');
// React's development build evaluates code for its error overlays; production never does.
const DEV = process.env.NODE_ENV === 'development';

/** docs/security.md#security-headers: no inline script runs without this request's nonce. */
function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${DEV ? " 'unsafe-eval'" : ''}`,
    // Style attributes (React's style={…}) cannot carry a nonce.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join('; ');
}

export function proxy(req: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
  const csp = contentSecurityPolicy(nonce);
  const res = route(req, csp);
  res.headers.set('Content-Security-Policy', csp);
  // HSTS only when the console is served over https (APP_URL); over http it would be ignored or harmful.
  if (HTTPS) res.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  return res;
}

function route(req: NextRequest, csp: string): NextResponse {
  const { pathname, search } = req.nextUrl;
  const hasSession = req.cookies.getAll().some((c) => c.name.endsWith('next-auth.session-token'));
  if (PUBLIC.some((p) => p.test(pathname)) || hasSession) {
    // Next.js reads the nonce for its scripts from the request's policy header.
    const headers = new Headers(req.headers);
    headers.set('Content-Security-Policy', csp);
    return NextResponse.next({ request: { headers } });
  }
  const url = req.nextUrl.clone();
  url.pathname = '/login';
  url.search = pathname === '/' ? '' : `?callbackUrl=${encodeURIComponent(pathname + search)}`;
  return NextResponse.redirect(url);
}

export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
