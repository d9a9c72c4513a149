/**
 * Where to go after signing in or out (docs/security.md#redirect-after-sign-in): the target
 * resolved against APP_URL the way a browser would, kept only when it stays on that origin, and
 * reduced to its path, so `/\evil.example`, `/%09/evil.example` or `//evil.example` cannot leave.
 */
export function sameOriginPath(target: string | undefined, appUrl: string): string {
  const base = new URL(appUrl);
  let url: URL;
  try {
    url = new URL(target ?? '/', base);
  } catch {
    return '/';
  }
  if (url.origin !== base.origin) return '/';
  // `/.//evil.example` resolves to the path `//evil.example`, which a browser reads as another host.
  return `${url.pathname.replace(/^\/+/, '/')}${url.search}${url.hash}`;
}
