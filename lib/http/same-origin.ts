/**
 * Cross-site request refusal for everything that changes state with the console's cookie
 * (docs/security.md#cross-site-requests): the browser must say the request comes from the
 * console itself — an Origin that is APP_URL's, or, where a browser sends no Origin,
 * `Sec-Fetch-Site: same-origin`. A request that says neither is refused too.
 */
import { getEnv } from '@/lib/env';
import { UnsupportedMediaTypeError } from '@/lib/errors';

/** Why the request is refused, or undefined when it comes from the console. */
export function crossSiteRefusal(headers: Headers): string | undefined {
  const origin = headers.get('origin');
  const own = new URL(getEnv().APP_URL).origin;
  if (origin)
    return origin === own ? undefined : `Cross-site request refused: the Origin ${origin} is not this console (APP_URL).`;
  if (headers.get('sec-fetch-site') === 'same-origin') return undefined;
  return `Cross-site request refused: send the header "Origin: ${own}" (browsers add it themselves).`;
}

/** JSON endpoints take JSON only: a cross-site form cannot send application/json without a CORS preflight. */
export function requireJsonBody(req: Request): void {
  const type = req.headers.get('content-type')?.split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    throw new UnsupportedMediaTypeError('Send the body as JSON with "Content-Type: application/json".');
  }
}
