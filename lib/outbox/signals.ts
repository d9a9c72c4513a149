/**
 * In-process signals between the code that queues messages (route handlers, the relay) and the
 * worker: "there is work" and "message X reached a final state". Kept on globalThis because the
 * console's bundled route handlers and the background runtime load separate copies of lib/.
 * Other processes are not told: they poll (see worker.ts).
 */
import { EventEmitter } from 'node:events';

const g = globalThis as unknown as { mailroomOutboxSignals?: EventEmitter };
const bus = (g.mailroomOutboxSignals ??= new EventEmitter().setMaxListeners(0));

export function wakeWorkers(): void {
  bus.emit('wake');
}

export function onWake(listener: () => void): () => void {
  bus.on('wake', listener);
  return () => bus.off('wake', listener);
}

export function messageSettled(outboxId: string): void {
  bus.emit(`settled:${outboxId}`);
}

/** Resolves when `outboxId` settles in this process, or after `ms`; whichever is first. */
export function waitForSettled(outboxId: string, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      bus.off(`settled:${outboxId}`, done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    bus.once(`settled:${outboxId}`, done);
    signal?.addEventListener('abort', done);
  });
}
