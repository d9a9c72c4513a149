import { authorizeRoute } from '@/lib/auth/route';
import { clientAddress } from '@/lib/http/client-address';
import { handleAndReturnErrorResponse } from '@/lib/http/errors';
import { requireJsonBody } from '@/lib/http/same-origin';
import type { Step } from '@/lib/mail/types';
import { testStore } from '@/lib/notifications/test-server';
import { getAccessToken } from '@/lib/oauth/connection';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ storeId: string }> };

const failure = (err: unknown) =>
  handleAndReturnErrorResponse(err, {
    what: 'test server',
    internalMessage: 'The test could not run because of a server error; see the server log.',
  });

/**
 * Test Server for scripts and the console dialog. Body: {"to": "<address>"}.
 * `Accept: application/x-ndjson` streams one line per completed step, then the result.
 */
export async function POST(req: Request, ctx: Ctx) {
  let run: (onStep?: (step: Step) => void) => ReturnType<typeof testStore>;
  try {
    const user = await authorizeRoute(req, 'admin');
    requireJsonBody(req);
    const { storeId } = await ctx.params;
    const body = (await req.json().catch(() => null)) as { to?: unknown } | null;
    const to = typeof body?.to === 'string' ? body.to : '';
    run = (onStep) =>
      testStore(storeId, to, user, { onStep, ip: clientAddress(req), tokenSource: (profileId) => getAccessToken(profileId) });
    if (!(req.headers.get('accept') ?? '').includes('application/x-ndjson')) return Response.json(await run());
  } catch (err) {
    return failure(err);
  }

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (line: object) => controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      try {
        const result = await run((step) => send({ type: 'step', step }));
        send({ type: 'result', result });
      } catch (err) {
        const res = await failure(err);
        send({ type: 'error', ...((await res.json()) as object), status: res.status });
      } finally {
        controller.close();
      }
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' },
  });
}
