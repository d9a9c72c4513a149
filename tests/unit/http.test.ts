import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, NotReadyError, RateLimitedError, UserFacingError } from '@/lib/errors';
import { clientAddress } from '@/lib/http/client-address';
import { handleAndReturnErrorResponse } from '@/lib/http/errors';

const answer = async (err: unknown) => {
  const res = await handleAndReturnErrorResponse(err, { what: 'unit', internalMessage: 'internal' });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as unknown };
};

describe('handleAndReturnErrorResponse', () => {
  it('answers with the status of the error class and one shape', async () => {
    expect(await answer(new UserFacingError('Enter a valid email address.', 'to'))).toEqual({
      status: 400,
      retryAfter: null,
      body: { status: 'error', error: { message: 'Enter a valid email address.', field: 'to' } },
    });
    expect((await answer(new NotFoundError('gone'))).status).toBe(404);
    expect((await answer(new ConflictError('stale'))).status).toBe(409);
    // Settings that are not ready are a conflict wherever they surface (Test Server and the send API).
    expect(await answer(new NotReadyError('Enter and save the SMTP server first.'))).toMatchObject({
      status: 409,
      body: { error: { message: 'Enter and save the SMTP server first.' } },
    });
    expect(await answer(new RateLimitedError('slow down', 42))).toMatchObject({ status: 429, retryAfter: '42' });
  });
});

describe('clientAddress', () => {
  it('takes the first X-Forwarded-For value from any header source, else "unknown"', () => {
    const xff = '203.0.113.7, 10.0.0.1';
    expect(clientAddress(new Headers({ 'x-forwarded-for': xff }))).toBe('203.0.113.7');
    expect(clientAddress(new Request('http://localhost/', { headers: { 'x-forwarded-for': xff } }))).toBe('203.0.113.7');
    expect(clientAddress({ 'x-forwarded-for': [xff] })).toBe('203.0.113.7');
    expect(clientAddress({})).toBe('unknown');
    expect(clientAddress(undefined)).toBe('unknown');
  });
});
