/** The `resolve` step's DNS lookup, bounded in time; an IP address needs none. */
import dns from 'node:dns/promises';
import { isIP } from 'node:net';
import { seconds } from '@/lib/mail/classify';
import { SendError } from '@/lib/mail/types';

/**
 * With `errorCode` every failure is reported under it (Graph: EGRAPH_DNS); without, a timeout is
 * ETIMEDOUT and a resolver error keeps its own code (ENOTFOUND, EAI_AGAIN) for the advice catalogue.
 */
export async function resolveHost(host: string, timeoutMs: number, errorCode?: string): Promise<string[]> {
  if (isIP(host)) return [host];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new SendError(
            errorCode ?? 'ETIMEDOUT',
            `DNS lookup of ${host} did not answer within ${seconds(timeoutMs)}.`,
            'resolve',
          ),
        ),
      timeoutMs,
    );
  });
  try {
    const found = await Promise.race([dns.lookup(host, { all: true, verbatim: true }), timeout]);
    return found.map((a) => a.address);
  } catch (e) {
    if (e instanceof SendError || !errorCode) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new SendError(errorCode, `DNS lookup of ${host} failed (${code || (e as Error).message}).`, 'resolve');
  } finally {
    clearTimeout(timer);
  }
}
