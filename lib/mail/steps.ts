/**
 * The ordered step list a UI streams: each step is reported once, in the transport's order
 * (stepOrder in lib/mail/types.ts), and after a failure the rest are skipped.
 */
import { scrubSecrets } from '@/lib/mail/transcript';
import type { Step, StepName } from '@/lib/mail/types';

export class StepRecorder {
  readonly steps: Step[] = [];
  private startedAt = performance.now();

  constructor(
    private readonly onStep: ((step: Step) => void) | undefined,
    /** Credentials of this send (may grow, e.g. once a token is obtained): scrubbed from every detail before anyone sees it. */
    private readonly secrets: string[],
    private readonly order: readonly StepName[],
  ) {}

  /** The step in progress: the first one not yet reported. */
  get current(): StepName | undefined {
    return this.order[this.steps.length];
  }

  get failed(): Step | undefined {
    return this.steps.find((s) => s.status === 'failed');
  }

  ok(name: StepName, detail: string): void {
    this.record(name, 'ok', detail);
  }

  skip(name: StepName, detail: string): void {
    this.record(name, 'skipped', detail);
  }

  /**
   * Fails `name` (default: the step in progress). Steps before it that never ran are reported as
   * skipped, e.g. an invalid subject fails 'data' before anything touched the network.
   */
  fail(detail: string, name: StepName | undefined = this.current): StepName {
    const target = name && this.order.indexOf(name) >= this.steps.length ? name : (this.current ?? 'accepted');
    while (this.current && this.current !== target) this.record(this.current, 'skipped', 'Not run.');
    if (this.current === target) this.record(target, 'failed', detail);
    while (this.current) this.record(this.current, 'skipped', 'Not run: an earlier step failed.');
    return target;
  }

  private record(name: StepName, status: Step['status'], detail: string): void {
    // Out-of-order reports are programming errors upstream; ignore them rather than corrupt the list.
    if (name !== this.current) return;
    const now = performance.now();
    const step: Step = {
      name,
      status,
      detail: scrubSecrets(detail, this.secrets),
      ms: status === 'ok' || status === 'failed' ? Math.round(now - this.startedAt) : 0,
    };
    this.startedAt = now;
    this.steps.push(step);
    try {
      this.onStep?.(step);
    } catch {
      // A broken progress listener must not break the test itself.
    }
  }
}
