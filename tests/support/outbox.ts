/** The outbox worker inside the test process, with retries a test can wait for (0.2 s, 0.6 s, …). */
import { startBackground, type Background } from '@/lib/runtime/background';
import { DEFAULT_RETRY } from '@/lib/outbox/retry';

export async function startTestWorker(retryBaseSeconds = 0.2): Promise<Background> {
  return startBackground({
    periodic: false,
    worker: { pollMs: 100, retry: { ...DEFAULT_RETRY, baseSeconds: retryBaseSeconds, jitter: 0 } },
  });
}
