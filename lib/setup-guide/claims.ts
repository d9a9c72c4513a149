/**
 * The permissions an access token says it carries: `scp` (delegated) and `roles` (application)
 * of an Entra ID JWT. Read only to tell the admin what was granted, never to trust the token;
 * opaque tokens (Google's, personal Microsoft accounts') give null.
 */
export function permissionsInToken(token: string): string[] | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null) return null;
  const { scp, roles } = payload as { scp?: unknown; roles?: unknown };
  const out = [
    ...(typeof scp === 'string' ? scp.split(/\s+/).filter(Boolean) : []),
    ...(Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : []),
  ];
  return 'scp' in payload || 'roles' in payload || 'aud' in payload ? out : null;
}
