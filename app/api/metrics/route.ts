import { handleAndReturnErrorResponse } from '@/lib/http/errors';
import { renderMetrics } from '@/lib/metrics';
import { assertMetricsAccess } from '@/lib/metrics/access';

export const dynamic = 'force-dynamic';

/** Prometheus metrics of this process and the shared outbox (docs/operations.md#metrics). */
export async function GET(req: Request) {
  try {
    assertMetricsAccess(req);
    const { body, contentType } = await renderMetrics();
    return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
  } catch (err) {
    return handleAndReturnErrorResponse(err, { what: 'metrics', internalMessage: 'The metrics could not be collected.' });
  }
}
