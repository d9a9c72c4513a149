/** The `token` step: an OAuth 2.0 access token from the profile's token source, within the send's deadline. */
import type { Deadline } from '@/lib/mail/limits';
import { SendError } from '@/lib/mail/types';

export async function obtainToken(source: () => Promise<string>, deadline: Deadline): Promise<string> {
  try {
    const token = await deadline.race(source());
    if (!token) throw new Error('the token source returned an empty token');
    return token;
  } catch (e) {
    // Whatever the token source reports (not connected, reconnect needed, endpoint down) is this step's failure.
    if (e instanceof SendError) throw new SendError(e.errorCode, e.message, 'token', e.response);
    throw new SendError('ETOKEN', `Could not get an access token: ${e instanceof Error ? e.message : String(e)}`, 'token');
  }
}
