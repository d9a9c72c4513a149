import { clientIp, authorizeRoute } from '@/lib/auth/route';
import { NotFoundError, RateLimitedError, UserFacingError } from '@/lib/errors';
import { logger } from '@/lib/log';
import type { Step } from '@/lib/mail/types';
import { testStore } from '@/lib/notifications/test-server';
import { getAccessToken } from '@/lib/oauth/connection';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ storeId: string }> };

/**
 * Test Server for scripts and the console dialog. Body: {"to": "<address>"}.
 * `Accept: application/x-ndjson` streams one line per completed step, then the result.
 */
export async function POST(req: Request, ctx: Ctx) {
  const auth = await authorizeRoute(req, 'admin');
  if ('response' in auth) return auth.response;
  const { storeId } = await ctx.params;
  const body = (await req.json().catch(() => null)) as { to?: unknown } | null;
  const to = typeof body?.to === 'string' ? body.to : '';
  const run = (onStep?: (step: Step) => void) =>
    testStore(storeId, to, auth.user, { onStep, ip: clientIp(req), tokenSource: (profileId) => getAccessToken(profileId) });

  if (!(req.headers.get('accept') ?? '').includes('application/x-ndjson')) {
    try {
      return Response.json(await run());
    } catch (err) {
      return failure(err);
    }
  }

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (line: object) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      try {
        const result = await run((step) => send({ type: 'step', step }));
        send({ type: 'result', result });
      } catch (err) {
        const res = failure(err);
        send({ type: 'error', status: res.status, ...((await res.json()) as object) });
      } finally {
        controller.close();
      }
    },
  });
  return new Response(stream, { headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' } });
}

function failure(err: unknown): Response {
  if (err instanceof UserFacingError) {
    const status = err instanceof NotFoundError ? 404 : err instanceof RateLimitedError ? 429 : 400;
    return Response.json({ error: { message: err.message, field: err.field } }, { status });
  }
  logger.error({ err: err instanceof Error ? { name: err.name, message: err.message } : String(err) }, 'test server failed');
  return Response.json({ error: { message: 'The test could not run because of a server error; see the server log.' } }, { status: 500 });
}
