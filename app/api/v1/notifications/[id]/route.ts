import { authenticateApiKey } from '@/lib/api-keys/service';
import { getEnv } from '@/lib/env';
import { NotFoundError } from '@/lib/errors';
import { handleAndReturnErrorResponse } from '@/lib/http/errors';
import { statusUrl, unknownKey } from '@/lib/notifications/answers';
import { messageStatus } from '@/lib/outbox/status';

export const dynamic = 'force-dynamic';

/**
 * The state of a notification this key's store queued: each attempt (time, step, the server's
 * reply, advice), the next attempt, and the result. 404 for another store's message.
 */
export async function GET(req: Request, props: { params: Promise<{ id: string }> }) {
  try {
    const caller = await authenticateApiKey(req.headers.get('authorization'));
    if (!caller) return unknownKey();
    const { id } = await props.params;
    const s = await messageStatus(id, caller.storeId);
    if (!s) throw new NotFoundError("No notification with this id was queued with this store's keys.");
    const { state, ...rest } = s;
    return Response.json(
      { status: state, ...rest, statusUrl: statusUrl(getEnv().APP_URL, s.id) },
      { headers: { 'cache-control': 'no-store' } },
    );
  } catch (err) {
    return handleAndReturnErrorResponse(err, {
      what: 'notification status',
      internalMessage: 'The status could not be read; see the server log.',
    });
  }
}
