/** The end of every send, whichever engine: the result with its steps and transcript, one log line, credentials scrubbed. */
import { logger } from '@/lib/log';
import type { StepRecorder } from '@/lib/mail/steps';
import { scrubSecrets, type Transcript } from '@/lib/mail/transcript';
import type { SendResult } from '@/lib/mail/types';

export type ResultPart = Omit<SendResult, 'transport' | 'steps' | 'transcript' | 'durationMs' | 'connections'>;

type SendRun = {
  transport: SendResult['transport'];
  steps: StepRecorder;
  transcript: Transcript;
  /** performance.now() when the send started. */
  started: number;
  connections: number;
  secrets: string[];
  /** Where the send went, for the log line (never a credential). */
  destination: Record<string, unknown>;
};

export function finishSend(part: ResultPart, run: SendRun): SendResult {
  const result: SendResult = {
    transport: run.transport,
    ...part,
    steps: run.steps.steps,
    transcript: run.transcript.lines(),
    durationMs: Math.round(performance.now() - run.started),
    connections: run.connections,
  };
  logger.info(
    {
      transport: run.transport,
      ...run.destination,
      ok: result.ok,
      failedStep: result.failedStep,
      errorCode: result.errorCode,
      ms: result.durationMs,
    },
    'send finished',
  );
  return scrubSecrets(result, run.secrets);
}
