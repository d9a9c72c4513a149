/**
 * The client's address for rate limits and the audit log, decided in this one place: today the first
 * X-Forwarded-For value, else 'unknown' (docs/security.md#client-address says what is planned).
 */
type HeaderSource = Headers | Request | Record<string, string | string[] | undefined> | undefined;

export function clientAddress(source: HeaderSource): string {
  const raw =
    source instanceof Request
      ? source.headers.get('x-forwarded-for')
      : source instanceof Headers
        ? source.get('x-forwarded-for')
        : source?.['x-forwarded-for'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value?.split(',')[0]?.trim() || 'unknown';
}
